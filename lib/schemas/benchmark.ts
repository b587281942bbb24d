import { TipoProvedor } from "./provedor";
import { z } from "./zod-pt";

/**
 * A benchmark run of one provider and one model (issue 20): the profile asked for, its progress, and one cell per
 * prompt length × concurrency. One schema per contract type, shared by the form, the REST routes and OpenAPI.
 */

/** The most requests one run may send (prompt lengths × Σ concurrencies × repetitions). */
export const MAX_REQUISICOES_POR_BENCHMARK = 2000;
/** Bounds of each field of a profile: a run stays a benchmark, not a load test. */
export const LIMITES_DO_PERFIL = {
  tokensPrompt: { min: 1, max: 131072, itens: 8 },
  tokensResposta: { min: 1, max: 8192 },
  concorrencia: { min: 1, max: 64, itens: 8 },
  repeticoes: { min: 1, max: 50 },
} as const;

export const PRESETS_BENCHMARK = ["rapido", "completo"] as const;
export const PresetBenchmark = z.enum(PRESETS_BENCHMARK, { error: 'preset deve ser "rapido" ou "completo".' });
export type PresetBenchmark = z.infer<typeof PresetBenchmark>;

/** What a run measures: every prompt length at every concurrency, `repeticoes` rounds of `concorrencia` requests each. */
export const PerfilBenchmark = z.object({
  tokens_prompt: z.array(z.number().int()).min(1),
  tokens_resposta: z.number().int(),
  concorrencias: z.array(z.number().int()).min(1),
  repeticoes: z.number().int(),
});
export type PerfilBenchmark = z.infer<typeof PerfilBenchmark>;

/** The presets: "rápido" is under a minute on a small model; "completo" is the full sweep. */
export const PERFIS_PRESET: Readonly<Record<PresetBenchmark, PerfilBenchmark>> = {
  rapido: { tokens_prompt: [128, 1024], tokens_resposta: 64, concorrencias: [1, 2, 4], repeticoes: 2 },
  completo: { tokens_prompt: [128, 1024, 4096], tokens_resposta: 128, concorrencias: [1, 2, 4, 8], repeticoes: 3 },
};

/** How many requests a profile sends: every prompt length, at every concurrency, `repeticoes` times. */
export function totalDeRequisicoes(p: PerfilBenchmark): number {
  const somaConcorrencias = p.concorrencias.reduce((s, c) => s + c, 0);
  return p.tokens_prompt.length * somaConcorrencias * p.repeticoes;
}

const inteiroEntre = (campo: string, min: number, max: number) =>
  z
    .number({ error: `${campo} deve ser um número inteiro.` })
    .int(`${campo} deve ser um número inteiro.`)
    .min(min, `${campo} deve ser pelo menos ${min}.`)
    .max(max, `${campo} pode ser no máximo ${max}.`);

/** Body of POST /api/provedores-llm/{id}/benchmarks: a preset, the explicit fields overriding it field by field. */
export const NovoBenchmark = z
  .object({
    modelo: z.string({ error: "Informe o modelo." }).trim().min(1, "Informe o modelo.").max(300, "O modelo pode ter até 300 caracteres."),
    preset: PresetBenchmark.optional(),
    tokens_prompt: z
      .array(inteiroEntre("Cada tamanho de prompt", LIMITES_DO_PERFIL.tokensPrompt.min, LIMITES_DO_PERFIL.tokensPrompt.max))
      .min(1, "Informe ao menos um tamanho de prompt.")
      .max(LIMITES_DO_PERFIL.tokensPrompt.itens, `Informe até ${LIMITES_DO_PERFIL.tokensPrompt.itens} tamanhos de prompt.`)
      .optional(),
    tokens_resposta: inteiroEntre("tokens_resposta", LIMITES_DO_PERFIL.tokensResposta.min, LIMITES_DO_PERFIL.tokensResposta.max).optional(),
    concorrencias: z
      .array(inteiroEntre("Cada concorrência", LIMITES_DO_PERFIL.concorrencia.min, LIMITES_DO_PERFIL.concorrencia.max))
      .min(1, "Informe ao menos uma concorrência.")
      .max(LIMITES_DO_PERFIL.concorrencia.itens, `Informe até ${LIMITES_DO_PERFIL.concorrencia.itens} concorrências.`)
      .optional(),
    repeticoes: inteiroEntre("repeticoes", LIMITES_DO_PERFIL.repeticoes.min, LIMITES_DO_PERFIL.repeticoes.max).optional(),
  })
  .strict();
export type NovoBenchmark = z.infer<typeof NovoBenchmark>;

/**
 * The profile a request asks for: its preset ("rapido" when none), each explicit field over it; sorted and without
 * repeats. Checked against the request cap by the caller (validarPerfil), with its message.
 */
export function perfilDoPedido(n: NovoBenchmark): PerfilBenchmark {
  const base = PERFIS_PRESET[n.preset ?? "rapido"];
  const ordenar = (v: readonly number[]) => [...new Set(v)].sort((a, b) => a - b);
  return {
    tokens_prompt: ordenar(n.tokens_prompt ?? base.tokens_prompt),
    tokens_resposta: n.tokens_resposta ?? base.tokens_resposta,
    concorrencias: ordenar(n.concorrencias ?? base.concorrencias),
    repeticoes: n.repeticoes ?? base.repeticoes,
  };
}

/** The pt-BR message when a profile sends more than the cap; null when it fits. */
export function excessoDoPerfil(p: PerfilBenchmark): string | null {
  const total = totalDeRequisicoes(p);
  if (total <= MAX_REQUISICOES_POR_BENCHMARK) return null;
  return `Este perfil enviaria ${total} requisições; o máximo por execução é ${MAX_REQUISICOES_POR_BENCHMARK}. Use menos tamanhos, concorrências ou repetições.`;
}

export const ESTADOS_BENCHMARK = ["executando", "concluido", "cancelado", "falhou", "interrompido"] as const;
export const EstadoBenchmark = z.enum(ESTADOS_BENCHMARK);
export type EstadoBenchmark = z.infer<typeof EstadoBenchmark>;

/** Where a cell's figures come from: the server's own timings, or the app's clock around the stream. */
export const FonteDasMedidas = z.enum(["servidor", "cliente"]);
export type FonteDasMedidas = z.infer<typeof FonteDasMedidas>;

const numeroOuNulo = z.number().nullable();

/** One prompt length at one concurrency: its figures over every successful request of its rounds (null: none succeeded). */
export const CelulaBenchmark = z.object({
  tokens_prompt: z.number().int(),
  concorrencia: z.number().int(),
  /** Requests sent in this cell (concorrencia × repeticoes), and how many failed. */
  requisicoes: z.number().int(),
  erros: z.number().int(),
  /** Time to first token, from sending the request to the first token of the answer (a wait in the queue included). */
  ttft_p50_ms: numeroOuNulo,
  ttft_p95_ms: numeroOuNulo,
  /** Prompt processing: prompt tokens ÷ the server's prompt time (or the time to first token, client-side). */
  prefill_tokens_s: numeroOuNulo,
  /** Generation per stream (median over the requests): answer tokens ÷ generation time. */
  geracao_tokens_s: numeroOuNulo,
  /** Generation of all streams together: answer tokens of a round ÷ the round's wall time (median over rounds). */
  geracao_agregada_tokens_s: numeroOuNulo,
  /** Requests completed per second of wall time. */
  requisicoes_s: numeroOuNulo,
  /** Prompt tokens the server counted (median): shows how close the sized prompt came. */
  tokens_prompt_medidos: numeroOuNulo,
  /** Answer tokens the server counted (median). */
  tokens_resposta_medidos: numeroOuNulo,
  fonte: FonteDasMedidas,
});
export type CelulaBenchmark = z.infer<typeof CelulaBenchmark>;

/** The server and model as they were when the run started. */
export const ServidorDoBenchmark = z.object({
  nome: z.string(),
  tipo: TipoProvedor,
  versao: z.string().nullable(),
  modelo: z.object({
    id: z.string(),
    tamanho_bytes: numeroOuNulo,
    quantizacao: z.string().nullable(),
    parametros: z.string().nullable(),
    familia: z.string().nullable(),
    contexto: numeroOuNulo,
    carregado: z.boolean().nullable(),
  }),
  /** How the prompts were sized: the server's tokenizer, calibrated from its prompt count, or estimated (4 chars/token). */
  tamanho_dos_prompts: z.enum(["tokenizador", "calibrado", "estimado"]),
});
export type ServidorDoBenchmark = z.infer<typeof ServidorDoBenchmark>;

export const ProgressoBenchmark = z.object({
  feitas: z.number().int(),
  total: z.number().int(),
  /** Seconds left, from the pace so far; null before the first request ends, or once the run ended. */
  eta_segundos: numeroOuNulo,
});
export type ProgressoBenchmark = z.infer<typeof ProgressoBenchmark>;

/** One run, as GET …/benchmarks/{bid} returns it (and each SSE event's data). */
export const Benchmark = z.object({
  id: z.number().int(),
  provedor_id: z.number().int(),
  modelo: z.string(),
  estado: EstadoBenchmark,
  perfil: PerfilBenchmark,
  progresso: ProgressoBenchmark,
  celulas: z.array(CelulaBenchmark),
  servidor: ServidorDoBenchmark.nullable(),
  /** Why it failed or was interrupted (pt-BR); null otherwise. */
  erro: z.string().nullable(),
  criado_em: z.string(),
  concluido_em: z.string().nullable(),
});
export type Benchmark = z.infer<typeof Benchmark>;

/** Query of GET /api/benchmarks: the runs to compare, by id. */
export const IdsDeBenchmarks = z.object({
  ids: z
    .string({ error: "Informe ids, por exemplo ?ids=1,2." })
    .regex(/^\d+(,\d+)*$/, "ids deve ser uma lista de números separados por vírgula, por exemplo 1,2.")
    .transform((s) => [...new Set(s.split(",").map(Number))])
    .refine((v) => v.length <= 10, "Compare até 10 execuções de uma vez."),
});
