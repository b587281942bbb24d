import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

import { STATUS_PROVEDOR, TIPOS_PROVEDOR } from "../lib/schemas/tipo-e-status";
import type { NomePorta } from "../lib/schemas/llm";
import { type CelulaBenchmark, ESTADOS_BENCHMARK, type PerfilBenchmark, type ServidorDoBenchmark } from "../lib/schemas/benchmark";

// Column names are the seed's contract: a row goes to JSON without renaming.

// The value sets are the contract's (lib/schemas): the data layer uses them for its enums and passes them on.
export { STATUS_PROVEDOR, type StatusProvedor, TIPOS_PROVEDOR, type TipoProvedor } from "../lib/schemas/tipo-e-status";

/** Generation defaults a provider applies when a request does not say otherwise. */
export type ConfiguracaoGeracao = {
  temperatura?: number;
  max_tokens?: number;
  top_p?: number;
  stop?: string[];
  seed?: number;
};

const agora = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

export const provedoresLlm = sqliteTable(
  "provedores_llm",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    nome: text("nome").notNull(),
    // The name as names are compared (lib/provedores/nome.ts): NFKC, full case folding, one space per run.
    nome_chave: text("nome_chave").notNull(),
    // Prefix of the provider's pinned /v1 ids (`<slug>/<model>`): set once at creation, kept on rename.
    slug: text("slug").notNull(),
    tipo: text("tipo", { enum: TIPOS_PROVEDOR }).notNull(),
    base_url: text("base_url").notNull(),
    descricao: text("descricao"),
    // AES-256-GCM ciphertext (lib/seguranca/cifra.ts); never leaves the service in clear.
    api_key: text("api_key"),
    ativo: integer("ativo", { mode: "boolean" }).notNull().default(true),
    timeout_segundos: integer("timeout_segundos").notNull().default(60),
    // How often the background monitor checks the server (lib/monitor).
    intervalo_verificacao_segundos: integer("intervalo_verificacao_segundos").notNull().default(30),
    // Failed checks (and refused requests) in a row: 3 make a provider offline. Kept so a restart goes on counting.
    falhas_seguidas: integer("falhas_seguidas").notNull().default(0),
    configuracao: text("configuracao", { mode: "json" }).$type<ConfiguracaoGeracao>().notNull().default(sql`'{}'`),
    modelo_padrao: text("modelo_padrao"),
    status: text("status", { enum: STATUS_PROVEDOR }).notNull().default("desconhecido"),
    ultimo_teste_em: integer("ultimo_teste_em", { mode: "timestamp_ms" }),
    ultima_latencia_ms: integer("ultima_latencia_ms"),
    // When the model cache was last filled from the server (null: never asked).
    modelos_atualizados_em: integer("modelos_atualizados_em", { mode: "timestamp_ms" }),
    // The fair share of the server (lib/fila): requests sent to it at once. Null: what the server reports
    // (`concorrencia_informada`), else the type's default; 0: no limit.
    max_concorrencia: integer("max_concorrencia"),
    // Requests that may wait for a free place, and for how long, before the app answers "busy".
    fila_max: integer("fila_max").notNull().default(64),
    fila_espera_segundos: integer("fila_espera_segundos").notNull().default(60),
    // Learned with the model list: llama-server's `total_slots` (router mode: a loaded model's), and in router
    // mode how many models it keeps loaded (`max_instances`). Null: the server does not say.
    concorrencia_informada: integer("concorrencia_informada"),
    modelos_simultaneos_informados: integer("modelos_simultaneos_informados"),
    criado_em: integer("criado_em", { mode: "timestamp_ms" }).notNull().default(agora),
    atualizado_em: integer("atualizado_em", { mode: "timestamp_ms" }).notNull().default(agora),
  },
  (t) => [
    // Names are unique regardless of case and of how they are written: "Ação", "AÇÃO" and its NFD form are one name.
    uniqueIndex("provedores_llm_nome_chave_unico").on(t.nome_chave),
    uniqueIndex("provedores_llm_slug_unico").on(t.slug),
    index("provedores_llm_tipo_idx").on(t.tipo),
  ],
);

export const modelosProvedores = sqliteTable(
  "modelos_provedores",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provedor_id: integer("provedor_id")
      .notNull()
      .references(() => provedoresLlm.id, { onDelete: "cascade" }),
    modelo: text("modelo").notNull(),
    nome: text("nome").notNull(),
    tamanho_bytes: integer("tamanho_bytes"),
    familia: text("familia"),
    parametros: text("parametros"),
    quantizacao: text("quantizacao"),
    contexto_max: integer("contexto_max"),
    carregado: integer("carregado", { mode: "boolean" }),
    detalhes: text("detalhes", { mode: "json" }).$type<Record<string, unknown>>(),
    atualizado_em: integer("atualizado_em", { mode: "timestamp_ms" }).notNull().default(agora),
  },
  (t) => [uniqueIndex("modelos_provedores_provedor_modelo").on(t.provedor_id, t.modelo)],
);

/** Each change of a provider's status, for its uptime and incidents (kept 90 days: lib/monitor/registro.ts). */
export const eventosStatus = sqliteTable(
  "eventos_status",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provedor_id: integer("provedor_id")
      .notNull()
      .references(() => provedoresLlm.id, { onDelete: "cascade" }),
    criado_em: integer("criado_em", { mode: "timestamp_ms" }).notNull(),
    de: text("de", { enum: STATUS_PROVEDOR }).notNull(),
    para: text("para", { enum: STATUS_PROVEDOR }).notNull(),
    motivo: text("motivo"),
    latencia_ms: integer("latencia_ms"),
  },
  (t) => [index("eventos_status_provedor_criado").on(t.provedor_id, t.criado_em)],
);

/*
 * The by-model, by-door and by-key counter and histogram tables below (estatisticas_modelos, histogramas_latencia,
 * estatisticas_portas, histogramas_latencia_portas, estatisticas_chaves, histogramas_latencia_chaves) are
 * WITHOUT ROWID tables: migration 0013 rebuilt them so. Each is then its primary key's b-tree, the row beside its key:
 * a statistics read finds a row in one search instead of the key's index and then the table by rowid (the second
 * search was most of a 30-day read over every server). drizzle cannot declare WITHOUT ROWID, so the definitions
 * here stay as they were (and so does the snapshot); a migration that rebuilds one of these tables must keep it.
 */

/** The counters every usage table adds to (by provider and minute, by model and width). */
const contadores = () => ({
  requisicoes: integer("requisicoes").notNull().default(0),
  requisicoes_sucesso: integer("requisicoes_sucesso").notNull().default(0),
  requisicoes_erro: integer("requisicoes_erro").notNull().default(0),
  tempo_total_ms: real("tempo_total_ms").notNull().default(0),
  tokens_prompt: integer("tokens_prompt").notNull().default(0),
  tokens_resposta: integer("tokens_resposta").notNull().default(0),
});

/** Provider, width (minute, hour, day), start and model: the key of the by-model tables. */
const chavePorModelo = () => ({
  provedor_id: integer("provedor_id")
    .notNull()
    .references(() => provedoresLlm.id, { onDelete: "cascade" }),
  largura_ms: integer("largura_ms").notNull(),
  inicio: integer("inicio", { mode: "timestamp_ms" }).notNull(),
  modelo: text("modelo").notNull(),
});

/** Usage counters per provider and one-minute bucket, always incremented in SQL. */
export const estatisticasProvedores = sqliteTable(
  "estatisticas_provedores",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provedor_id: integer("provedor_id")
      .notNull()
      .references(() => provedoresLlm.id, { onDelete: "cascade" }),
    inicio: integer("inicio", { mode: "timestamp_ms" }).notNull(),
    ...contadores(),
  },
  (t) => [uniqueIndex("estatisticas_provedores_bucket").on(t.provedor_id, t.inicio)],
);

/**
 * The same counters by model, at three widths (the minute, its hour and its day: lib/estatisticas/baldes-de-tempo.ts),
 * written in the batch that updates the provider's counters. `modelo` is '' when a request named none.
 */
export const estatisticasModelos = sqliteTable(
  "estatisticas_modelos",
  {
    ...chavePorModelo(),
    ...contadores(),
  },
  (t) => [primaryKey({ columns: [t.provedor_id, t.largura_ms, t.inicio, t.modelo] })],
);

/**
 * What the latency histograms hold: times in ms (response, first token, queue) and, in the same buckets, each
 * successful answer's generation speed in tokens per second (lib/estatisticas/tokens-por-segundo.ts).
 */
export const METRICAS_LATENCIA = ["resposta", "primeiro_token", "fila", "tokens_por_segundo"] as const;

/**
 * Latency histograms: how many successful requests fell in each fixed log-scale bucket
 * (lib/estatisticas/histograma.ts), by provider, model and the same three widths. Percentiles of any period
 * merge these counts, so they cover every request in it.
 */
export const histogramasLatencia = sqliteTable(
  "histogramas_latencia",
  {
    ...chavePorModelo(),
    metrica: text("metrica", { enum: METRICAS_LATENCIA }).notNull(),
    balde: integer("balde").notNull(),
    quantidade: integer("quantidade").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provedor_id, t.largura_ms, t.inicio, t.modelo, t.metrica, t.balde] })],
);

/** Provider, width and start, as the by-model tables, with the door instead of the model. */
const chavePorPorta = () => ({
  provedor_id: integer("provedor_id")
    .notNull()
    .references(() => provedoresLlm.id, { onDelete: "cascade" }),
  largura_ms: integer("largura_ms").notNull(),
  inicio: integer("inicio", { mode: "timestamp_ms" }).notNull(),
  // A door of PORTAS (lib/schemas/llm.ts), or '' for what was counted before the door was (migration 0006).
  porta: text("porta").$type<NomePorta | "">().notNull(),
});

/** The same counters by door (`por_porta`), at the same three widths, written in the same batch. */
export const estatisticasPortas = sqliteTable(
  "estatisticas_portas",
  {
    ...chavePorPorta(),
    ...contadores(),
  },
  (t) => [primaryKey({ columns: [t.provedor_id, t.largura_ms, t.inicio, t.porta] })],
);

/** Response-time histograms of the successful requests by door (the buckets of lib/estatisticas/histograma.ts). */
export const histogramasPortas = sqliteTable(
  "histogramas_latencia_portas",
  {
    ...chavePorPorta(),
    balde: integer("balde").notNull(),
    quantidade: integer("quantidade").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provedor_id, t.largura_ms, t.inicio, t.porta, t.balde] })],
);

/**
 * One row per request, only for the list of recent requests ("Últimas requisições"). Pruned by age and
 * count (lib/estatisticas/registrar.ts); totals and percentiles come from the tables above.
 */
export const requisicoesProvedores = sqliteTable(
  "requisicoes_provedores",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provedor_id: integer("provedor_id")
      .notNull()
      .references(() => provedoresLlm.id, { onDelete: "cascade" }),
    criado_em: integer("criado_em", { mode: "timestamp_ms" }).notNull(),
    modelo: text("modelo"),
    // The door the call came in by; null on rows recorded before doors were (shown as "anterior").
    porta: text("porta").$type<NomePorta>(),
    stream: integer("stream", { mode: "boolean" }).notNull().default(false),
    sucesso: integer("sucesso", { mode: "boolean" }).notNull(),
    codigo_erro: text("codigo_erro"),
    tempo_resposta_ms: real("tempo_resposta_ms").notNull(),
    tempo_primeiro_token_ms: real("tempo_primeiro_token_ms"),
    tokens_prompt: integer("tokens_prompt"),
    tokens_resposta: integer("tokens_resposta"),
    // Time the request waited in the provider's queue (lib/fila) before it was sent; null: before queues were.
    tempo_fila_ms: real("tempo_fila_ms"),
    // The answer's generation speed (tokens/s): the server's figure, else answer tokens over generation time; null
    // for a failure, an answer without a token count, or rows recorded before it was.
    tokens_por_segundo: real("tokens_por_segundo"),
    // The access key that made the call (chaves_acesso.id), null for the admin. No foreign key: a key is never
    // deleted (revoking keeps its row), and nothing about a key may take a request's row with it.
    chave_id: integer("chave_id"),
  },
  (t) => [
    index("requisicoes_provedores_provedor_data").on(t.provedor_id, t.criado_em),
    index("requisicoes_provedores_chave_data").on(t.chave_id, t.criado_em),
  ],
);

/**
 * Key, width and start, then the provider and model the key used: the key of the by-key tables. `chave_id` is
 * 0 for the admin (a primary key column holds no null that upserts could meet). No foreign keys: a key's usage
 * stays whole when a provider is deleted or the key revoked.
 */
const chavePorChave = () => ({
  chave_id: integer("chave_id").notNull(),
  largura_ms: integer("largura_ms").notNull(),
  inicio: integer("inicio", { mode: "timestamp_ms" }).notNull(),
  provedor_id: integer("provedor_id").notNull(),
  modelo: text("modelo").notNull(),
});

/** The counters by key, provider and model, at the three widths of the by-model tables, written in the same batch. */
export const estatisticasChaves = sqliteTable(
  "estatisticas_chaves",
  {
    ...chavePorChave(),
    ...contadores(),
  },
  (t) => [
    primaryKey({ columns: [t.chave_id, t.largura_ms, t.inicio, t.provedor_id, t.modelo] }),
    // A provider's use by key (`por_chave`).
    index("estatisticas_chaves_provedor").on(t.provedor_id, t.largura_ms, t.inicio),
  ],
);

/** Latency histograms by key, provider and model (response time and first token, as histogramas_latencia). */
export const histogramasChaves = sqliteTable(
  "histogramas_latencia_chaves",
  {
    ...chavePorChave(),
    metrica: text("metrica", { enum: METRICAS_LATENCIA }).notNull(),
    balde: integer("balde").notNull(),
    quantidade: integer("quantidade").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chave_id, t.largura_ms, t.inicio, t.provedor_id, t.modelo, t.metrica, t.balde] }),
    index("histogramas_latencia_chaves_provedor").on(t.provedor_id, t.largura_ms, t.inicio),
  ],
);

/**
 * Login sessions of the UI (with AUTH_TOKEN set). The cookie holds a random value; only its SHA-256 is
 * stored. `impressao_token` ties a session to the AUTH_TOKEN it was opened with: changing the token ends them all.
 */
export const sessoes = sqliteTable(
  "sessoes",
  {
    id: text("id").primaryKey(),
    impressao_token: text("impressao_token").notNull(),
    criado_em: integer("criado_em", { mode: "timestamp_ms" }).notNull().default(agora),
    expira_em: integer("expira_em", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sessoes_expira_em").on(t.expira_em)],
);

export type ProvedorLLMLinha = typeof provedoresLlm.$inferSelect;
export type ModeloProvedorLinha = typeof modelosProvedores.$inferSelect;

/**
 * Access keys for programs and people (lib/chaves). The secret is shown once, at creation; only its SHA-256 (hex)
 * is kept, with `prefixo` (its first 8 characters after `pllm_`) to tell keys apart. Scope lists are JSON arrays,
 * null meaning "all"; limits are null for "none". A revoked key keeps its row (and later its statistics).
 */
export const chavesAcesso = sqliteTable(
  "chaves_acesso",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    nome: text("nome").notNull(),
    descricao: text("descricao"),
    hash: text("hash").notNull(),
    prefixo: text("prefixo").notNull(),
    provedores: text("provedores", { mode: "json" }).$type<number[]>(),
    modelos: text("modelos", { mode: "json" }).$type<string[]>(),
    portas: text("portas", { mode: "json" }).$type<NomePorta[]>(),
    limite_rpm: integer("limite_rpm"),
    limite_tpm: integer("limite_tpm"),
    limite_concorrencia: integer("limite_concorrencia"),
    orcamento_tokens_dia: integer("orcamento_tokens_dia"),
    orcamento_tokens_mes: integer("orcamento_tokens_mes"),
    // Orders this key's requests among those waiting for the same model in a provider's queue: higher first.
    prioridade: integer("prioridade").notNull().default(0),
    criada_em: integer("criada_em", { mode: "timestamp_ms" }).notNull().default(agora),
    expira_em: integer("expira_em", { mode: "timestamp_ms" }),
    revogada_em: integer("revogada_em", { mode: "timestamp_ms" }),
    ultimo_uso_em: integer("ultimo_uso_em", { mode: "timestamp_ms" }),
    ativa: integer("ativa", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [
    uniqueIndex("chaves_acesso_hash_unico").on(t.hash),
    // A name names one key in use; a revoked key's name may be given again (rotate = create + revoke).
    uniqueIndex("chaves_acesso_nome_unico_em_uso").on(t.nome).where(sql`${t.revogada_em} is null`),
  ],
);

export type ChaveAcessoLinha = typeof chavesAcesso.$inferSelect;

/** The windows of a key's limits (lib/chaves/limites): the UTC minute (rpm, tpm), day and month (token budgets). */
export const JANELAS_DE_LIMITE = ["minuto", "dia", "mes"] as const;
export type JanelaDeLimite = (typeof JANELAS_DE_LIMITE)[number];

/**
 * A key's use of one window, shared by every instance: `requisicoes` and `tokens` count what instances TOOK
 * (spent, or held as credit not yet spent; unspent credit is given back by subtracting it). A take succeeds only
 * while the sum stays within the key's limit, so together the instances never hand out more than the limit.
 */
export const usoDasChaves = sqliteTable(
  "uso_das_chaves",
  {
    chave_id: integer("chave_id").notNull(),
    janela: text("janela", { enum: JANELAS_DE_LIMITE }).notNull(),
    /** The window's start, ms since the epoch (UTC). */
    inicio: integer("inicio").notNull(),
    requisicoes: integer("requisicoes").notNull().default(0),
    tokens: integer("tokens").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.chave_id, t.janela, t.inicio] })],
);

/**
 * The concurrency slots one instance claimed for a key (its requests in flight, plus a few held ahead), renewed
 * while it holds any: a row not renewed for 15 s (a dead instance's) no longer counts.
 */
export const emVooDasChaves = sqliteTable(
  "em_voo_das_chaves",
  {
    chave_id: integer("chave_id").notNull(),
    instancia: text("instancia").notNull(),
    vagas: integer("vagas").notNull(),
    atualizado_em: integer("atualizado_em").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chave_id, t.instancia] })],
);

/**
 * Leases among the app's instances sharing one database (lib/monitor/concessao.ts): `nome` is what is held (the
 * monitor), `titular` which instance holds it (lib/instancia.ts), `expira_em` when it lapses by the database's clock
 * unless renewed. Taken and renewed by one conditional upsert, so two instances never both hold it.
 */
export const concessoes = sqliteTable("concessoes", {
  nome: text("nome").primaryKey(),
  titular: text("titular").notNull(),
  expira_em: integer("expira_em").notNull(),
  desde: integer("desde").notNull(),
});

/**
 * Benchmark runs (lib/benchmarks, issue 20): one provider and one model measured with a profile, kept until
 * deleted. `perfil`, `celulas` and `servidor` hold the contract's JSON (lib/schemas/benchmark.ts) as it is
 * returned. One run per provider at a time, across instances: the partial unique index. The instance running it
 * renews `batimento_em` (every 1 s, by the database's clock) and reads `cancelar` (set by another instance's DELETE) at each heartbeat; a run
 * whose heartbeat stopped is `interrompido`.
 */
export const benchmarks = sqliteTable(
  "benchmarks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provedor_id: integer("provedor_id")
      .notNull()
      .references(() => provedoresLlm.id, { onDelete: "cascade" }),
    modelo: text("modelo").notNull(),
    estado: text("estado", { enum: ESTADOS_BENCHMARK }).notNull(),
    perfil: text("perfil", { mode: "json" }).$type<PerfilBenchmark>().notNull(),
    feitas: integer("feitas").notNull().default(0),
    total: integer("total").notNull(),
    celulas: text("celulas", { mode: "json" }).$type<CelulaBenchmark[]>().notNull().default(sql`'[]'`),
    servidor: text("servidor", { mode: "json" }).$type<ServidorDoBenchmark>(),
    erro: text("erro"),
    instancia: text("instancia").notNull(),
    cancelar: integer("cancelar", { mode: "boolean" }).notNull().default(false),
    // Seconds left at the last heartbeat, for a page following a run of another instance.
    eta_segundos: integer("eta_segundos"),
    batimento_em: integer("batimento_em", { mode: "timestamp_ms" }).notNull().default(agora),
    criado_em: integer("criado_em", { mode: "timestamp_ms" }).notNull().default(agora),
    concluido_em: integer("concluido_em", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("benchmarks_um_executando_por_provedor").on(t.provedor_id).where(sql`${t.estado} = 'executando'`),
    index("benchmarks_provedor_idx").on(t.provedor_id, t.id),
  ],
);
export type BenchmarkLinha = typeof benchmarks.$inferSelect;
