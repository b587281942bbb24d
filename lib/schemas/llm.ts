import { ConfiguracaoProvedor } from "./provedor";
import { z } from "./zod-pt";

export const Mensagem = z.object({
  role: z.enum(["system", "user", "assistant"], { error: "role deve ser system, user ou assistant." }),
  content: z.string({ error: "content deve ser um texto." }).max(200_000, "Cada mensagem pode ter até 200.000 caracteres."),
});
export type Mensagem = z.infer<typeof Mensagem>;

/** Body of POST /api/provedores-llm/{id}/requisicao. */
export const RequisicaoLLM = z.object({
  mensagens: z
    .array(Mensagem, { error: "mensagens deve ser uma lista de {role, content}." })
    .min(1, "Envie ao menos uma mensagem.")
    .max(500, "No máximo 500 mensagens por requisição."),
  modelo: z.string().trim().min(1, "modelo não pode ser vazio.").max(300).optional(),
  configuracao: ConfiguracaoProvedor.optional(),
  stream: z.boolean({ error: "stream deve ser true ou false." }).optional().default(false),
});
export type RequisicaoLLM = z.infer<typeof RequisicaoLLM>;
export type RequisicaoLLMEntrada = z.input<typeof RequisicaoLLM>;

export type Tokens = { prompt: number | null; resposta: number | null; total: number | null };

/** The normalised answer, the same for every server type. */
export type RespostaLLM = {
  conteudo: string;
  modelo: string;
  provedor_id: number;
  tempo_resposta_ms: number;
  /** Only for streams: how long the first piece of text took. */
  tempo_primeiro_token_ms?: number | null;
  finish_reason: string | null;
  tokens: Tokens;
  tokens_por_segundo: number | null;
};

/** One model as the cache keeps it and the API returns it. */
export type ModeloLLM = {
  modelo: string;
  nome: string;
  tamanho_bytes: number | null;
  familia: string | null;
  parametros: string | null;
  quantizacao: string | null;
  contexto_max: number | null;
  carregado: boolean | null;
  detalhes: Record<string, unknown> | null;
};

export type ErroResumo = { codigo: string; mensagem: string };

export type ResultadoTeste = {
  sucesso: boolean;
  latencia_ms: number | null;
  modelos: ModeloLLM[];
  versao?: string;
  mensagem: string;
  erro?: ErroResumo;
  testado_em: Date;
};

export type ListaModelos = {
  modelos: (ModeloLLM & { atualizado_em: Date })[];
  atualizado_em: Date | null;
  origem: "cache" | "servidor";
  /** True when the server could not be asked and the list may be out of date. */
  desatualizado: boolean;
  erro?: ErroResumo;
};

export const PeriodoEstatisticas = z.enum(["1h", "24h", "7d", "30d"], {
  error: "periodo deve ser 1h, 24h, 7d ou 30d.",
});
export type PeriodoEstatisticas = z.infer<typeof PeriodoEstatisticas>;

export type PontoSerie = { inicio: Date; requisicoes: number; erros: number; tempo_medio_ms: number | null };

export type EstatisticasProvedor = {
  periodo: PeriodoEstatisticas;
  total_requisicoes: number;
  requisicoes_sucesso: number;
  requisicoes_erro: number;
  taxa_sucesso: number | null;
  tempo_medio_resposta_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  tokens_totais: number;
  modelos_carregados: number;
  ultima_atividade: Date | null;
  serie: PontoSerie[];
  /** The same period by model, from the per-request log (its retention bounds how far back it goes). */
  por_modelo: UsoPorModelo[];
};

export type UsoPorModelo = {
  modelo: string;
  requisicoes: number;
  erros: number;
  tempo_medio_ms: number | null;
  tokens: number;
};

/** What the stream of POST …/requisicao with stream: true carries, as SSE events of these names. */
export type EventoStream =
  | { tipo: "delta"; conteudo: string }
  | { tipo: "fim"; resposta: RespostaLLM }
  | { tipo: "erro"; erro: ErroResumo };
