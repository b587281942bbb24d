import { z } from "./zod-pt";

// Ollama's native bodies (docs/api.md), checked where the door must read them before anything goes upstream;
// fields the door does not translate are ignored, as Ollama ignores fields it does not know.

const modelo = z
  .string({ error: "model é obrigatório: o nome de um modelo (veja GET /api/tags)." })
  .trim()
  .min(1, "model é obrigatório: o nome de um modelo (veja GET /api/tags).")
  .max(500, "model deve ter até 500 caracteres.");
const stream = z.boolean({ error: "stream deve ser true ou false." }).optional();
/** Base64 (standard alphabet, padded or not, line breaks allowed), or a `data:` URL of an image in base64. */
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;
const DATA_URL = /^data:image\/[\w.+-]+;base64,/;
const imagem = z
  .string({ error: "images deve ser uma lista de imagens em base64." })
  .refine((v) => (DATA_URL.test(v) ? BASE64.test(v.slice(v.indexOf(",") + 1)) : BASE64.test(v)), {
    error: "images deve ter cada imagem em base64 (ou uma URL data:image/…;base64,…), não um caminho nem uma URL.",
  });
const imagens = z.array(imagem, { error: "images deve ser uma lista de imagens em base64." });
const manterCarregado = z.union([z.string(), z.number()], { error: 'keep_alive deve ser uma duração ("5m") ou segundos.' }).optional();
const pensar = z.union([z.boolean(), z.enum(["low", "medium", "high"])], {
  error: 'think deve ser true, false, "low", "medium" ou "high".',
});

export const OpcoesOllama = z.looseObject({
  temperature: z.number({ error: "options.temperature deve ser um número." }).optional(),
  top_p: z.number({ error: "options.top_p deve ser um número." }).optional(),
  top_k: z.number({ error: "options.top_k deve ser um número." }).int("options.top_k deve ser inteiro.").optional(),
  num_predict: z.number({ error: "options.num_predict deve ser um número." }).int("options.num_predict deve ser inteiro.").optional(),
  num_ctx: z.number({ error: "options.num_ctx deve ser um número." }).int("options.num_ctx deve ser inteiro.").positive().optional(),
  seed: z.number({ error: "options.seed deve ser um número." }).int("options.seed deve ser inteiro.").optional(),
  stop: z.array(z.string(), { error: "options.stop deve ser uma lista de textos." }).optional(),
});
export type OpcoesOllama = z.infer<typeof OpcoesOllama>;

/** `format`: "json", or a JSON schema the answer must follow. */
const formato = z.union([z.literal("json"), z.record(z.string(), z.unknown())], {
  error: 'format deve ser "json" ou um JSON schema (objeto).',
});

const chamadaDeFerramenta = z.looseObject({
  function: z.looseObject({
    name: z.string({ error: "tool_calls[].function.name deve ser um texto." }),
    arguments: z.record(z.string(), z.unknown(), { error: "tool_calls[].function.arguments deve ser um objeto." }).optional(),
  }),
});

export const MensagemOllama = z.looseObject({
  role: z.enum(["system", "user", "assistant", "tool"], { error: "role deve ser system, user, assistant ou tool." }),
  content: z.string({ error: "content deve ser um texto." }).optional().default(""),
  images: imagens.nullish(),
  tool_calls: z.array(chamadaDeFerramenta, { error: "tool_calls deve ser uma lista." }).nullish(),
  tool_name: z.string().optional(),
  thinking: z.string().optional(),
});
export type MensagemOllama = z.infer<typeof MensagemOllama>;

const ferramentas = z.array(
  z.looseObject({
    type: z.literal("function", { error: 'tools[].type deve ser "function".' }).optional().default("function"),
    function: z.looseObject({ name: z.string({ error: "tools[].function.name é obrigatório." }).min(1) }),
  }),
  { error: "tools deve ser uma lista de ferramentas {type, function}." },
);

export const CorpoChatOllama = z.looseObject({
  model: modelo,
  messages: z.array(MensagemOllama, { error: "messages deve ser uma lista de mensagens {role, content}." }).optional().default([]),
  stream,
  format: formato.optional(),
  options: OpcoesOllama.optional(),
  tools: ferramentas.optional(),
  think: pensar.optional(),
  keep_alive: manterCarregado,
});
export type CorpoChatOllama = z.infer<typeof CorpoChatOllama>;

export const CorpoGenerateOllama = z.looseObject({
  model: modelo,
  prompt: z.string({ error: "prompt deve ser um texto." }).optional().default(""),
  suffix: z.string({ error: "suffix deve ser um texto." }).optional(),
  system: z.string({ error: "system deve ser um texto." }).optional(),
  raw: z.boolean({ error: "raw deve ser true ou false." }).optional(),
  images: imagens.optional(),
  stream,
  format: formato.optional(),
  options: OpcoesOllama.optional(),
  think: pensar.optional(),
  keep_alive: manterCarregado,
});
export type CorpoGenerateOllama = z.infer<typeof CorpoGenerateOllama>;

export const CorpoEmbedOllama = z.looseObject({
  model: modelo,
  input: z.union([z.string(), z.array(z.string()).min(1, "input não pode ser uma lista vazia.")], {
    error: "input deve ser um texto ou uma lista de textos.",
  }),
  truncate: z.boolean().optional(),
  dimensions: z.number().int().positive().optional(),
  options: OpcoesOllama.optional(),
  keep_alive: manterCarregado,
});
export type CorpoEmbedOllama = z.infer<typeof CorpoEmbedOllama>;

/** The legacy /api/embeddings: one `prompt`, one `embedding` back. */
export const CorpoEmbeddingsOllama = z.looseObject({
  model: modelo,
  prompt: z.string({ error: "prompt deve ser um texto." }),
  options: OpcoesOllama.optional(),
  keep_alive: manterCarregado,
});
export type CorpoEmbeddingsOllama = z.infer<typeof CorpoEmbeddingsOllama>;

/** /api/show, /api/pull, /api/delete: `model`, or the legacy `name` Ollama still reads. */
export const CorpoNomeOllama = z
  .looseObject({ model: z.string().optional(), name: z.string().optional(), stream })
  .transform((c) => ({ ...c, model: (c.model || c.name || "").trim() }))
  .refine((c) => c.model.length > 0 && c.model.length <= 500, { message: "model é obrigatório: o nome de um modelo.", path: ["model"] });
export type CorpoNomeOllama = z.infer<typeof CorpoNomeOllama>;
