import { SequenciaDeParada } from "./parada";
import { z } from "./zod-pt";

// The gateway's bodies: OpenAI's, checked only where the app must read them; every other field (tools,
// response_format, logprobs, seed, n, user…) passes through to the server untouched.

const modelo = z
  .string({ error: "model deve ser o id de um modelo (veja GET /v1/models)." })
  .trim()
  .min(1, "model não pode ser vazio.")
  .max(500);
const stream = z.boolean({ error: "stream deve ser true ou false." }).optional();
const opcoesStream = z
  .looseObject({ include_usage: z.boolean({ error: "stream_options.include_usage deve ser true ou false." }).optional() })
  .nullish();
// Read only to refuse an empty sequence.
const parada = z
  .union([SequenciaDeParada, z.array(SequenciaDeParada)], { error: "stop deve ser um texto ou uma lista de textos." })
  .nullish();

export const CorpoChatOpenAI = z.looseObject({
  model: modelo,
  messages: z
    .array(z.unknown(), { error: "messages deve ser uma lista de mensagens {role, content}." })
    .min(1, "Envie ao menos uma mensagem em messages."),
  stream,
  stream_options: opcoesStream,
  stop: parada,
});

export const CorpoCompletionOpenAI = z.looseObject({
  model: modelo,
  prompt: z.union([z.string(), z.array(z.unknown())], { error: "prompt deve ser um texto ou uma lista." }),
  stream,
  stream_options: opcoesStream,
  stop: parada,
});

export const CorpoEmbeddingsOpenAI = z.looseObject({
  model: modelo,
  input: z.union([z.string(), z.array(z.unknown()).min(1, "input não pode ser uma lista vazia.")], {
    error: "input deve ser um texto ou uma lista.",
  }),
});

export type CorpoOpenAI = z.infer<typeof CorpoChatOpenAI> | z.infer<typeof CorpoCompletionOpenAI> | z.infer<typeof CorpoEmbeddingsOpenAI>;

/** GET /v1/models, as OpenAI lists models, plus who holds each one. */
export type ModeloOpenAI = {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  provedores_llm: {
    /** `slug` prefixes the model's pinned id: `<slug>/<model>`. */
    provedores: { id: number; nome: string; tipo: string; slug: string; carregado: boolean | null }[];
    embedding: boolean;
    /** Pinned to one provider (`<slug>/<model>`), or routed to any that has it. */
    fixo: boolean;
  };
};
