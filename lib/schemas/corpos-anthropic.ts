import { SequenciaDeParada } from "./parada";
import { z } from "./zod-pt";

// Anthropic's Messages bodies (POST /v1/messages, /v1/messages/count_tokens), checked as Anthropic checks them
// where the app must read them (to translate them, or because a server is laxer: llama-server takes a body
// without max_tokens). Fields the app does not read (metadata, thinking, service_tier…) pass through untouched
// to a server that speaks the dialect natively; cache_control is accepted on every block and ignored.

const texto = (campo: string) => z.string({ error: `${campo} deve ser um texto.` });

// Anthropic refuses an empty text block ("text content blocks must be non-empty") wherever it stands.
const BlocoTexto = z.looseObject({
  type: z.literal("text"),
  text: texto("text").min(1, "Blocos de texto não podem ser vazios (text vazio)."),
});

const FonteImagem = z.discriminatedUnion(
  "type",
  [
    z.looseObject({
      type: z.literal("base64"),
      media_type: texto("source.media_type").regex(/^image\//, "source.media_type deve ser um tipo de imagem (image/png, image/jpeg…)."),
      data: texto("source.data").min(1, "source.data não pode ser vazio."),
    }),
    z.looseObject({ type: z.literal("url"), url: z.url({ error: "source.url deve ser uma URL." }) }),
  ],
  { error: 'source.type deve ser "base64" ou "url".' },
);

const BlocoImagem = z.looseObject({ type: z.literal("image"), source: FonteImagem });

const BlocoUsoDeFerramenta = z.looseObject({
  type: z.literal("tool_use"),
  id: texto("id").min(1),
  name: texto("name").min(1),
  input: z.record(z.string(), z.unknown(), { error: "input deve ser um objeto JSON." }),
});

/**
 * A file the client read (Claude Code sends PDFs and text files so): `source` base64 (a PDF), text, content
 * (blocks) or url, with an optional title and context. Checked loosely: a native server reads it, a translation
 * takes what it can (lib/portas/anthropic/documentos.ts).
 */
const BlocoDocumento = z.looseObject({
  type: z.literal("document"),
  source: z.looseObject({ type: texto("source.type") }, { error: "source de document deve ser um objeto {type, …}." }),
  title: z.string().nullish(),
  context: z.string().nullish(),
});

/** A search tool's result handed to the model: its source, title and text blocks. */
const BlocoResultadoDeBusca = z.looseObject({
  type: z.literal("search_result"),
  source: z.string().optional(),
  title: z.string().optional(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
});

const BlocoResultadoDeFerramenta = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: texto("tool_use_id").min(1),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion("type", [BlocoTexto, BlocoImagem, BlocoDocumento, BlocoResultadoDeBusca]))], {
      error: "content de tool_result deve ser um texto ou uma lista de blocos text, image, document ou search_result.",
    })
    .optional(),
  is_error: z.boolean().optional(),
});

/** A model's reasoning sent back in the history (Claude Code does): kept for a native server, dropped in translation. */
const BlocoRaciocinio = z.looseObject({ type: z.enum(["thinking", "redacted_thinking"]) });

export const BlocoAnthropic = z.discriminatedUnion(
  "type",
  [BlocoTexto, BlocoImagem, BlocoDocumento, BlocoResultadoDeBusca, BlocoUsoDeFerramenta, BlocoResultadoDeFerramenta, BlocoRaciocinio],
  {
    error: "Cada bloco de content deve ter type text, image, document, search_result, tool_use, tool_result ou thinking.",
  },
);

const MensagemAnthropic = z.looseObject({
  role: z.enum(["user", "assistant"], { error: 'role deve ser "user" ou "assistant".' }),
  content: z.union([z.string(), z.array(BlocoAnthropic)], { error: "content deve ser um texto ou uma lista de blocos." }),
});

const FerramentaAnthropic = z.looseObject({
  name: texto("name").min(1, "Cada ferramenta precisa de name."),
  description: z.string().optional(),
  /** Absent on Anthropic's server tools (web search…), which no local server runs: those are not translated. */
  input_schema: z.record(z.string(), z.unknown(), { error: "input_schema deve ser um JSON Schema (objeto)." }).optional(),
});

const EscolhaDeFerramenta = z.discriminatedUnion(
  "type",
  [
    z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
    z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
    z.looseObject({ type: z.literal("tool"), name: texto("tool_choice.name").min(1), disable_parallel_tool_use: z.boolean().optional() }),
    z.looseObject({ type: z.literal("none") }),
  ],
  { error: 'tool_choice.type deve ser "auto", "any", "tool" ou "none".' },
);

const conteudoVazio = (c: string | unknown[]) => c.length === 0;

const camposComuns = {
  model: z.string({ error: "model deve ser o id de um modelo (veja GET /v1/models)." }).trim().min(1, "model não pode ser vazio.").max(500),
  messages: z
    .array(MensagemAnthropic, { error: "messages deve ser uma lista de mensagens {role, content}." })
    .min(1, "Envie ao menos uma mensagem em messages.")
    // As Anthropic: every message has content, but for a final assistant turn (a prefill the model continues).
    .superRefine((mensagens, ctx) => {
      mensagens.forEach((m, i) => {
        const prefill = i === mensagens.length - 1 && m.role === "assistant";
        if (!prefill && conteudoVazio(m.content)) {
          ctx.addIssue({
            code: "custom",
            path: [i, "content"],
            message: "Toda mensagem precisa de content não vazio (só a última, se do assistant, pode ficar vazia).",
          });
        }
      });
    }),
  system: z.union([z.string(), z.array(BlocoTexto)], { error: "system deve ser um texto ou uma lista de blocos text." }).optional(),
  tools: z.array(FerramentaAnthropic, { error: "tools deve ser uma lista de ferramentas." }).optional(),
  tool_choice: EscolhaDeFerramenta.optional(),
};

export const CorpoMensagensAnthropic = z.looseObject({
  ...camposComuns,
  // Anthropic requires it; llama-server does not (it would generate until the context ends).
  max_tokens: z
    .number({ error: "max_tokens é obrigatório: o número máximo de tokens da resposta." })
    .int("max_tokens deve ser um inteiro.")
    .min(1, "max_tokens deve ser ao menos 1."),
  stop_sequences: z.array(SequenciaDeParada, { error: "stop_sequences deve ser uma lista de textos." }).optional(),
  temperature: z.number({ error: "temperature deve ser um número." }).min(0).max(1).optional(),
  top_p: z.number({ error: "top_p deve ser um número." }).min(0).max(1).optional(),
  top_k: z.number({ error: "top_k deve ser um número." }).int().min(0).optional(),
  stream: z.boolean({ error: "stream deve ser true ou false." }).optional(),
  // Read only to know whether to show a translated server's reasoning; passed through as it came.
  thinking: z.looseObject({ type: texto("thinking.type") }, { error: "thinking deve ser um objeto {type, …}." }).optional(),
});

export const CorpoContagemAnthropic = z.looseObject(camposComuns);

export type CorpoMensagensAnthropic = z.infer<typeof CorpoMensagensAnthropic>;
export type CorpoContagemAnthropic = z.infer<typeof CorpoContagemAnthropic>;
export type BlocoAnthropic = z.infer<typeof BlocoAnthropic>;
