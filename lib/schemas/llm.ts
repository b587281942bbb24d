import { ConfiguracaoProvedor } from "./provedor";
import type { TipoProvedor } from "./tipo-e-status";
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

export type ModeloEmCache = ModeloLLM & { atualizado_em: Date };

/** What a server lets the app do with its models; `motivo` says why something is missing. */
export type AcoesModelos = {
  baixar: boolean;
  /** Whether a download can be stopped through the server's API. */
  cancelar_download: boolean;
  carregar: boolean;
  descarregar: boolean;
  excluir: boolean;
  motivo: string | null;
};

export type ListaModelos = {
  modelos: ModeloEmCache[];
  /** What the page may offer on this server (type, mode, version), with the reason for what it cannot. */
  acoes: AcoesModelos;
  atualizado_em: Date | null;
  origem: "cache" | "servidor";
  /** True when the server could not be asked and the list may be out of date. */
  desatualizado: boolean;
  erro?: ErroResumo;
};

/** Body of POST …/modelos/carregar, /descarregar and /excluir: the model goes in the body (ids hold "/" and ":"). */
export const PedidoAcaoModelo = z.object({
  modelo: z
    .string({ error: "modelo é obrigatório (o id que o servidor usa)." })
    .trim()
    .min(1, "modelo é obrigatório (o id que o servidor usa).")
    .max(500, "modelo deve ter até 500 caracteres."),
  /** Context window to load with (Ollama num_ctx, LM Studio context_length); llama.cpp's router uses its preset. */
  contexto: z
    .number({ error: "contexto deve ser um número de tokens." })
    .int("contexto deve ser um número inteiro de tokens.")
    .min(128, "contexto deve ser de 128 a 10 000 000 tokens.")
    .max(10_000_000, "contexto deve ser de 128 a 10 000 000 tokens.")
    .optional(),
});
export type PedidoAcaoModelo = z.infer<typeof PedidoAcaoModelo>;

export type ModeloExcluido = { modelo: string; excluido: true };

/** The actions on a model that are one request each (downloads have their own routes). */
export const AcaoModeloGerenciada = z.enum(["carregar", "descarregar", "excluir"], {
  error: "A ação deve ser carregar, descarregar ou excluir.",
});
export type AcaoModeloGerenciada = z.infer<typeof AcaoModeloGerenciada>;

/** A model download the app follows (POST …/modelos/downloads). */
export type DownloadModelo = {
  id: string;
  provedor_id: number;
  modelo: string;
  estado: "baixando" | "concluido" | "falhou" | "cancelado";
  /** The server's own words for the current step. */
  status: string;
  total_bytes: number | null;
  baixados_bytes: number | null;
  velocidade_bps: number | null;
  restante_segundos: number | null;
  /** Per layer, where the server reports layers (Ollama). */
  camadas: { id: string; total_bytes: number; baixados_bytes: number }[];
  /** Why it failed, in Portuguese, with the server's reason. */
  erro: string | null;
  iniciado_em: Date;
  terminado_em: Date | null;
};

/** `portas=1,2`, `portas=1&portas=2` or both: one list (a repeated query name arrives as an array). */
const lista = (valor: unknown) =>
  (Array.isArray(valor) ? valor : [valor]).flatMap((v) =>
    typeof v === "string"
      ? v
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : v === undefined
        ? []
        : [v],
  );

const porta = z.coerce
  .number({ error: "portas deve ser uma lista de números." })
  .int("portas deve ser uma lista de números inteiros.")
  .min(1, "Porta de 1 a 65535.")
  .max(65535, "Porta de 1 a 65535.");

const FORMAS_DE_HOST = "nome, IPv4 ou IPv6, com ou sem porta: maquina, 192.168.0.9:8080, ::1, [::1]:11434";

/**
 * One machine to probe: `nome`, `nome:porta`, `::1`, `[::1]` or `[::1]:porta`. The host comes out as the URL
 * parser writes it (lower case, IPv6 compressed, no brackets), so two spellings of one address are one host.
 */
const alvoDeHost = z
  .string()
  .trim()
  .max(253, "Cada host pode ter até 253 caracteres.")
  .transform((valor, ctx) => {
    const partes =
      /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i.exec(valor) ?? // [v6] or [v6]:port
      /^([0-9a-f]*:[0-9a-f:.]*:[0-9a-f:.]*)()$/i.exec(valor) ?? // bare v6: two colons or more, no port
      /^([a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(valor); // name or IPv4, maybe with :port
    let host: string | null = null;
    if (partes?.[1]) {
      try {
        const ipv6 = partes[1].includes(":");
        host = new URL(`http://${ipv6 ? `[${partes[1]}]` : partes[1]}`).hostname.replace(/^\[|\]$/g, "");
      } catch {
        host = null;
      }
    }
    if (!host) {
      ctx.addIssue({ code: "custom", message: `"${valor}" não é um host válido (use ${FORMAS_DE_HOST}).` });
      return z.NEVER;
    }
    const textoPorta = partes?.[2];
    if (!textoPorta) return { host };
    const numero = Number(textoPorta);
    if (numero < 1 || numero > 65535) {
      ctx.addIssue({ code: "custom", message: `A porta de "${valor}" deve ser de 1 a 65535.` });
      return z.NEVER;
    }
    return { host, porta: numero };
  });

/** Query of GET /api/provedores-llm/descobrir: extra ports, and other machines (loopback only otherwise). */
export const PedidoDescoberta = z.object({
  portas: z.preprocess(lista, z.array(porta)).default([]).meta({
    description:
      "Portas a mais, em todo host sem porta própria. Repita o parâmetro (portas=8081&portas=11435) ou separe por vírgula (portas=8081,11435); as duas formas se somam.",
  }),
  hosts: z
    .preprocess(lista, z.array(alvoDeHost))
    .default([])
    .meta({
      description: `Outras máquinas (sem hosts: só esta): ${FORMAS_DE_HOST}. Com porta, só ela é sondada. Repita o parâmetro ou separe por vírgula; repetidos contam uma vez.`,
    }),
});

export type ServidorEncontrado = {
  tipo: TipoProvedor;
  base_url: string;
  versao: string | null;
  nome_sugerido: string;
  /** A provider with this URL already exists. */
  cadastrado: boolean;
};

export type DescobertaServidores = { servidores: ServidorEncontrado[]; hosts: string[]; portas: number[] };

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
  /**
   * Percentiles of the successful requests' response times, from the latency histograms: every request of
   * the period, within 5%. Null when the period has none, or has requests from before the histograms existed.
   */
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  /** The same for the time to the first token of streamed answers. */
  p50_primeiro_token_ms: number | null;
  p95_primeiro_token_ms: number | null;
  p99_primeiro_token_ms: number | null;
  /**
   * The same for the time each request waited in the provider's queue (0 when it did not wait), over the
   * requests that passed the queue, whatever their outcome. Null when the period has none.
   */
  p50_fila_ms: number | null;
  p95_fila_ms: number | null;
  p99_fila_ms: number | null;
  /**
   * The same for the generation speed of the successful answers (tokens/s: the server's figure, else answer tokens
   * over generation time), over those with a token count. Null when the period has none.
   */
  p50_tokens_por_segundo: number | null;
  p95_tokens_por_segundo: number | null;
  p99_tokens_por_segundo: number | null;
  tokens_totais: number;
  modelos_carregados: number;
  ultima_atividade: Date | null;
  serie: PontoSerie[];
  /** The same period by model (the 50 most used). */
  por_modelo: UsoPorModelo[];
  /** The same period by door: every door of PORTAS in order, then `porta: null` for what was counted before doors were. */
  por_porta: UsoPorPorta[];
  /** The same period by access key: the keys that used the provider (most requests first), then the admin (`chave_id: null`). */
  por_chave: UsoPorChave[];
};

export type UsoPorModelo = {
  modelo: string;
  requisicoes: number;
  erros: number;
  tempo_medio_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  /** The model's generation speed (see `p50_tokens_por_segundo` of the provider). */
  p50_tokens_por_segundo: number | null;
  p95_tokens_por_segundo: number | null;
  /** The model's queue waits (see `p50_fila_ms` of the provider). */
  p50_fila_ms: number | null;
  p95_fila_ms: number | null;
  p99_fila_ms: number | null;
  tokens: number;
};

/** One server's use in a period: its part of GET /api/estatisticas (`por_provedor`, and each model's `provedores`). */
export type UsoPorProvedor = {
  provedor_id: number;
  nome: string;
  requisicoes: number;
  erros: number;
  tempo_medio_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p50_tokens_por_segundo: number | null;
  p95_tokens_por_segundo: number | null;
  tokens: number;
};

/** One model over every server, with each server that served it side by side (most requests first). */
export type UsoPorModeloGeral = UsoPorModelo & { provedores: UsoPorProvedor[] };

/**
 * GET /api/estatisticas: the figures of a provider's statistics over every server — counters added, percentiles
 * of the merged histograms — with the use by server, and each model's servers.
 */
export type EstatisticasGerais = Omit<EstatisticasProvedor, "por_modelo"> & {
  /** Servers registered now. */
  provedores: number;
  /** Every server registered, most requests first (those without traffic too, with zeros). */
  por_provedor: UsoPorProvedor[];
  /** By model id over every server (the 50 most used), each with the servers that served it. */
  por_modelo: UsoPorModeloGeral[];
};

export const PaginaRequisicoes = z.object({
  pagina: z.coerce
    .number({ error: "pagina deve ser um número." })
    .int("pagina deve ser um número inteiro.")
    .min(1, "pagina começa em 1.")
    .default(1),
  por_pagina: z.coerce
    .number({ error: "por_pagina deve ser um número." })
    .int("por_pagina deve ser um número inteiro.")
    .min(1, "por_pagina deve ser de 1 a 100.")
    .max(100, "por_pagina deve ser de 1 a 100.")
    .default(25),
});
export type PaginaRequisicoes = z.infer<typeof PaginaRequisicoes>;

/** The ways in a model call may come by, as the statistics count them (`por_porta`). */
export const PORTAS = ["requisicao", "openai", "anthropic", "ollama", "responses"] as const;
export type NomePorta = (typeof PORTAS)[number];

const inteiroNaoNegativo = z.number().int().min(0);
const msOuNulo = z.number().min(0).nullable();

/** One door's use in a period (GET …/estatisticas, `por_porta`). */
export const UsoPorPorta = z.object({
  porta: z.enum(PORTAS).nullable().meta({ description: "A porta; null: requisições contadas antes de a porta ser registrada (anterior)." }),
  requisicoes: inteiroNaoNegativo,
  erros: inteiroNaoNegativo,
  tempo_medio_ms: msOuNulo.meta({ description: "Tempo médio das que deram certo." }),
  p95_ms: msOuNulo.meta({ description: "Null sem requisições com tempo medido por porta." }),
  tokens_prompt: inteiroNaoNegativo,
  tokens_resposta: inteiroNaoNegativo,
});
export type UsoPorPorta = z.infer<typeof UsoPorPorta>;

/** One access key's use of a provider in a period (GET …/estatisticas, `por_chave`). */
export const UsoPorChave = z.object({
  chave_id: z
    .number()
    .int()
    .positive()
    .nullable()
    .meta({ description: "A chave de acesso; null: o administrador (AUTH_TOKEN ou a interface)." }),
  nome: z.string().nullable().meta({ description: "O nome da chave (null para o administrador)." }),
  prefixo: z.string().nullable().meta({ description: "O prefixo visível da chave (null para o administrador)." }),
  requisicoes: inteiroNaoNegativo,
  erros: inteiroNaoNegativo,
  tempo_medio_ms: msOuNulo.meta({ description: "Tempo médio das que deram certo." }),
  p95_ms: msOuNulo.meta({ description: "Null sem requisições que deram certo no período." }),
  tokens_prompt: inteiroNaoNegativo,
  tokens_resposta: inteiroNaoNegativo,
});
export type UsoPorChave = z.infer<typeof UsoPorChave>;

/** One provider's part of a key's use (GET /api/chaves/{id}/estatisticas, `por_provedor`). */
export const UsoDaChavePorProvedor = z.object({
  provedor_id: z.number().int().positive(),
  nome: z.string().nullable().meta({ description: "O nome do provedor; null se ele foi excluído depois." }),
  requisicoes: inteiroNaoNegativo,
  erros: inteiroNaoNegativo,
  tempo_medio_ms: msOuNulo.meta({ description: "Tempo médio das que deram certo." }),
  p95_ms: msOuNulo,
  tokens_prompt: inteiroNaoNegativo,
  tokens_resposta: inteiroNaoNegativo,
});
export type UsoDaChavePorProvedor = z.infer<typeof UsoDaChavePorProvedor>;

/** One model's part of a key's use (by model id, over every provider). */
export const UsoDaChavePorModelo = z.object({
  modelo: z.string().meta({ description: "O id do modelo pedido ('' quando o pedido não nomeou um)." }),
  requisicoes: inteiroNaoNegativo,
  erros: inteiroNaoNegativo,
  tempo_medio_ms: msOuNulo.meta({ description: "Tempo médio das que deram certo." }),
  p95_ms: msOuNulo,
  tokens_prompt: inteiroNaoNegativo,
  tokens_resposta: inteiroNaoNegativo,
});
export type UsoDaChavePorModelo = z.infer<typeof UsoDaChavePorModelo>;

/** GET /api/chaves/{id}/estatisticas: one key's use over a period, as a provider's statistics count it. */
export type EstatisticasChave = {
  chave_id: number;
  nome: string;
  prefixo: string;
  periodo: PeriodoEstatisticas;
  total_requisicoes: number;
  requisicoes_sucesso: number;
  requisicoes_erro: number;
  taxa_sucesso: number | null;
  tempo_medio_resposta_ms: number | null;
  /** Percentiles of the successful requests' response times (the latency histograms, within 5%). */
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  /** The same for the time to the first token of streamed answers. */
  p50_primeiro_token_ms: number | null;
  p95_primeiro_token_ms: number | null;
  p99_primeiro_token_ms: number | null;
  /** The same for the time the key's requests waited in the providers' queues. */
  p50_fila_ms: number | null;
  p95_fila_ms: number | null;
  p99_fila_ms: number | null;
  tokens_prompt: number;
  tokens_resposta: number;
  tokens_totais: number;
  /** The key's last recorded request (the log keeps a week; the key's `ultimo_uso_em` says it for longer). */
  ultima_atividade: Date | null;
  serie: PontoSerie[];
  /** By model id (the 50 most used). */
  por_modelo: UsoDaChavePorModelo[];
  /** By provider, most requests first. */
  por_provedor: UsoDaChavePorProvedor[];
};

/** One request as the statistics record it (one row of requisicoes_provedores, and what the counters add). */
export type RegistroRequisicao = {
  provedor_id: number;
  /** The door the call came in by. */
  porta: NomePorta;
  criado_em: number;
  modelo: string | null;
  stream: boolean;
  sucesso: boolean;
  codigo_erro: string | null;
  tempo_resposta_ms: number;
  tempo_primeiro_token_ms: number | null;
  /** Time spent in the provider's queue before the call went out (0: it did not wait); null: it did not pass a queue. */
  tempo_fila_ms: number | null;
  tokens_prompt: number | null;
  tokens_resposta: number | null;
  /**
   * The server's own generation speed (tokens/s) when the pipeline has it; absent or null: the statistics work
   * it out from the answer's tokens and times (lib/estatisticas/tokens-por-segundo.ts).
   */
  tokens_por_segundo?: number | null;
  /** The access key that made the call (chaves_acesso.id), null for the admin. */
  chave_id: number | null;
};

/** One row of "Últimas requisições" (the per-request log, kept for a week): what was recorded, with its id. */
export type RequisicaoRecente = Omit<RegistroRequisicao, "provedor_id" | "criado_em" | "porta" | "chave_id"> & {
  id: number;
  criado_em: Date;
  /** Null on rows recorded before the door was. */
  porta: NomePorta | null;
};

export type RequisicoesRecentes = {
  requisicoes: RequisicaoRecente[];
  pagina: number;
  por_pagina: number;
  total: number;
  paginas: number;
};

/** What the stream of POST …/requisicao with stream: true carries, as SSE events of these names. */
export type EventoStream =
  | { tipo: "delta"; conteudo: string }
  | { tipo: "fim"; resposta: RespostaLLM }
  | { tipo: "erro"; erro: ErroResumo };
