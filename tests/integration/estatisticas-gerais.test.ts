import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EstatisticasGerais } from "@/lib/schemas/llm";
import { type Histograma, percentil, somar } from "@/lib/estatisticas/histograma";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { banco, rotasDoApp } from "../support/contexto";
import { type ComoJson, conversarV1, criarProvedor, type Estatisticas, lerEstatisticas, MENSAGENS } from "../support/llm";
import { api } from "../support/contexto";

// GET /api/estatisticas: every server's statistics as one. Its counters must be the sum of the per-provider ones,
// and its percentiles those of the merged histograms (never an average of the providers' percentiles); each
// answer's generation speed (tokens/s) is kept in the same histograms.

type Gerais = ComoJson<EstatisticasGerais>;

const RESPOSTA = "um dois tres quatro cinco";
const TOKENS = 5;
const ENTRE_TOKENS_MS = 40;
const LENTO_MS = 300;
const ESPERA_MS = 1000;

let lmStudio: LmStudioFalso;
let ollama: OllamaFalso;
let idA: number;
let idB: number;

async function lerGerais(periodo = "1h"): Promise<Gerais> {
  const r = await rotasDoApp().resposta(`/api/estatisticas?periodo=${periodo}`);
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as Gerais;
}

async function ids(): Promise<number[]> {
  const r = await banco().execute("select id from provedores_llm order by id");
  return r.rows.map((l) => Number(l.id));
}

/** The 1h period as the app reads it (whole minutes up to the current one), and the minute it was read in. */
function janela1h(agora = Date.now()) {
  const MINUTO = 60_000;
  return { desde: Math.ceil((agora - 3_600_000) / MINUTO) * MINUTO, ate: Math.floor(agora / MINUTO) * MINUTO + MINUTO };
}

/** Every provider's histogram of a metric in the period, merged from the raw minute rows of the database. */
async function histogramaMesclado(metrica: string, desde: number, ate: number, modelo?: string): Promise<Histograma> {
  const r = await banco().execute({
    sql: `select balde, sum(quantidade) q from histogramas_latencia
          where provedor_id in (select id from provedores_llm) and largura_ms = 60000 and inicio >= ? and inicio < ?
                and metrica = ? ${modelo === undefined ? "" : "and modelo = ?"} group by balde`,
    args: modelo === undefined ? [desde, ate, metrica] : [desde, ate, metrica, modelo],
  });
  const h: Histograma = new Map();
  for (const l of r.rows) somar(h, Number(l.balde), Number(l.q));
  return h;
}

/**
 * The cross-server figures and every provider's, read within one minute (a minute turning between the reads moves
 * the period's edge): read again until both were read in the same one.
 */
async function lerTudo(): Promise<{ gerais: Gerais; porProvedor: Map<number, Estatisticas>; desde: number; ate: number }> {
  for (;;) {
    const antes = janela1h();
    const gerais = await lerGerais();
    const porProvedor = new Map<number, Estatisticas>();
    for (const id of await ids()) porProvedor.set(id, await lerEstatisticas(id));
    const depois = janela1h();
    if (antes.desde === depois.desde) return { gerais, porProvedor, ...antes };
  }
}

beforeAll(async () => {
  lmStudio = await new LmStudioFalso({
    modelos: [
      { id: "gerais-a", carregado: true },
      { id: "gerais-comum", carregado: true },
    ],
    resposta: RESPOSTA,
    atrasoEntreTokensMs: ENTRE_TOKENS_MS,
  }).iniciar();
  ollama = await new OllamaFalso({
    modelos: [
      { id: "gerais-b", carregado: true },
      { id: "gerais-comum", carregado: true },
    ],
    resposta: RESPOSTA,
  }).iniciar();
  idA = await criarProvedor("lm_studio", lmStudio.url, { nome: `Gerais A ${Date.now()}` });
  idB = await criarProvedor("ollama", ollama.url, { nome: `Gerais B ${Date.now()}` });

  const requisicao = async (id: number, modelo: string, stream = false) => {
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, stream } });
    await r.text();
    return r.status;
  };
  // A (LM Studio, no speed of its own): a stream and a whole answer, each held by the server, by the REST route;
  // a whole answer and a stream through /v1 (relayed as the server sent them).
  // The stream waits ESPERA_MS before its first token: its speed counts only the time after it.
  await lmStudio.definirFalha("lento", ESPERA_MS);
  expect(await requisicao(idA, "gerais-a", true)).toBe(200);
  await lmStudio.definirFalha("lento", LENTO_MS);
  expect(await requisicao(idA, "gerais-comum")).toBe(200);
  await lmStudio.definirFalha(null);
  expect((await conversarV1("gerais-a")).status).toBe(200);
  await lmStudio.definirFalha("lento", ESPERA_MS);
  const v1Stream = await conversarV1("gerais-a", { stream: true });
  expect(v1Stream.status).toBe(200);
  await v1Stream.text();
  await lmStudio.definirFalha(null);
  // B (Ollama, which reports its own speed: eval_count over eval_duration, 50 tokens/s in the test server): fast
  // answers of two models, and one error.
  for (let i = 0; i < 4; i++) expect(await requisicao(idB, "gerais-b")).toBe(200);
  expect(await requisicao(idB, "gerais-comum", true)).toBe(200);
  await ollama.definirFalha("erro_500");
  expect(await requisicao(idB, "gerais-b")).not.toBe(200);
  await ollama.definirFalha(null);
});

afterAll(async () => {
  await Promise.all([lmStudio?.parar(), ollama?.parar()]);
});

describe("GET /api/estatisticas", () => {
  it("equals the sum of every provider's statistics of the same period: counts, tokens, series, by door and by key", async () => {
    const { gerais, porProvedor } = await lerTudo();
    const todos = [...porProvedor.values()];
    const soma = (f: (e: Estatisticas) => number) => todos.reduce((t, e) => t + f(e), 0);
    expect(gerais.periodo).toBe("1h");
    expect(gerais.provedores).toBe(porProvedor.size);
    expect(gerais.total_requisicoes).toBe(soma((e) => e.total_requisicoes));
    expect(gerais.requisicoes_sucesso).toBe(soma((e) => e.requisicoes_sucesso));
    expect(gerais.requisicoes_erro).toBe(soma((e) => e.requisicoes_erro));
    expect(gerais.tokens_totais).toBe(soma((e) => e.tokens_totais));
    expect(gerais.modelos_carregados).toBe(soma((e) => e.modelos_carregados));
    // this file's traffic is in it: A's 4 and B's 6 (one an error)
    expect(gerais.total_requisicoes).toBeGreaterThanOrEqual(10);
    expect(gerais.requisicoes_erro).toBeGreaterThanOrEqual(1);
    // the series point by point
    expect(gerais.serie.map((p) => p.inicio)).toEqual(todos[0]!.serie.map((p) => p.inicio));
    gerais.serie.forEach((p, i) => {
      expect(p.requisicoes).toBe(todos.reduce((t, e) => t + e.serie[i]!.requisicoes, 0));
      expect(p.erros).toBe(todos.reduce((t, e) => t + e.serie[i]!.erros, 0));
    });
    // by door and by key
    for (const porta of gerais.por_porta) {
      const deles = todos.flatMap((e) => e.por_porta.filter((q) => q.porta === porta.porta));
      expect(porta.requisicoes).toBe(deles.reduce((t, q) => t + q.requisicoes, 0));
      expect(porta.tokens_resposta).toBe(deles.reduce((t, q) => t + q.tokens_resposta, 0));
    }
    const admin = gerais.por_chave.find((c) => c.chave_id === null)!;
    expect(admin.requisicoes).toBe(soma((e) => e.por_chave.find((c) => c.chave_id === null)!.requisicoes));
    // by server: each row is that provider's own figures
    expect(gerais.por_provedor.map((p) => p.provedor_id).sort((a, b) => a - b)).toEqual([...porProvedor.keys()]);
    for (const linha of gerais.por_provedor) {
      const e = porProvedor.get(linha.provedor_id)!;
      expect(linha).toMatchObject({
        requisicoes: e.total_requisicoes,
        erros: e.requisicoes_erro,
        tokens: e.tokens_totais,
        tempo_medio_ms: e.tempo_medio_resposta_ms,
        p50_ms: e.p50_ms,
        p95_ms: e.p95_ms,
        p50_tokens_por_segundo: e.p50_tokens_por_segundo,
        p95_tokens_por_segundo: e.p95_tokens_por_segundo,
      });
    }
    expect(gerais.por_provedor.find((p) => p.provedor_id === idB)).toMatchObject({ requisicoes: 6, erros: 1 });
  });

  it("takes every percentile from the merged histograms, never from an average of the providers' percentiles", async () => {
    const { gerais, porProvedor, desde, ate } = await lerTudo();
    const resposta = await histogramaMesclado("resposta", desde, ate);
    const primeiro = await histogramaMesclado("primeiro_token", desde, ate);
    const fila = await histogramaMesclado("fila", desde, ate);
    const velocidade = await histogramaMesclado("tokens_por_segundo", desde, ate);
    expect(gerais).toMatchObject({
      p50_ms: percentil(resposta, 0.5),
      p95_ms: percentil(resposta, 0.95),
      p99_ms: percentil(resposta, 0.99),
      p50_primeiro_token_ms: percentil(primeiro, 0.5),
      p95_primeiro_token_ms: percentil(primeiro, 0.95),
      p99_primeiro_token_ms: percentil(primeiro, 0.99),
      p50_fila_ms: percentil(fila, 0.5),
      p95_fila_ms: percentil(fila, 0.95),
      p99_fila_ms: percentil(fila, 0.99),
      p50_tokens_por_segundo: percentil(velocidade, 0.5),
      p95_tokens_por_segundo: percentil(velocidade, 0.95),
      p99_tokens_por_segundo: percentil(velocidade, 0.99),
    });
    expect(gerais.p50_ms).not.toBeNull();
    expect(gerais.p50_tokens_por_segundo).not.toBeNull();
    // A's whole answer held LENTO_MS is slower than anything of B: were the providers' p95 averaged, the
    // result would lie between them, not on A's side.
    const a = porProvedor.get(idA)!;
    expect(a.p95_ms).toBeGreaterThanOrEqual(LENTO_MS * 0.95);
    // a model on two servers: its row adds both, its percentiles are the merged ones, its servers side by side
    const comum = gerais.por_modelo.find((m) => m.modelo === "gerais-comum")!;
    const deA = a.por_modelo.find((m) => m.modelo === "gerais-comum")!;
    const deB = porProvedor.get(idB)!.por_modelo.find((m) => m.modelo === "gerais-comum")!;
    const doModelo = await histogramaMesclado("resposta", desde, ate, "gerais-comum");
    const velocidadeDoModelo = await histogramaMesclado("tokens_por_segundo", desde, ate, "gerais-comum");
    expect(comum).toMatchObject({
      requisicoes: deA.requisicoes + deB.requisicoes,
      tokens: deA.tokens + deB.tokens,
      p50_ms: percentil(doModelo, 0.5),
      p95_ms: percentil(doModelo, 0.95),
      p50_tokens_por_segundo: percentil(velocidadeDoModelo, 0.5),
      p95_tokens_por_segundo: percentil(velocidadeDoModelo, 0.95),
    });
    expect(comum.provedores.map((p) => p.provedor_id).sort((x, y) => x - y)).toEqual([idA, idB].sort((x, y) => x - y));
    expect(comum.provedores.find((p) => p.provedor_id === idA)).toMatchObject({
      requisicoes: deA.requisicoes,
      p95_ms: deA.p95_ms,
      p50_tokens_por_segundo: deA.p50_tokens_por_segundo,
    });
    expect(comum.provedores.find((p) => p.provedor_id === idB)).toMatchObject({
      requisicoes: deB.requisicoes,
      p95_ms: deB.p95_ms,
      p95_tokens_por_segundo: deB.p95_tokens_por_segundo,
    });
    // a model on one server: only that server beside it
    expect(gerais.por_modelo.find((m) => m.modelo === "gerais-b")!.provedores.map((p) => p.provedor_id)).toEqual([idB]);
  });

  it("with one provider's traffic only, its figures are that provider's, percentiles included", async () => {
    // Percentiles over a single provider: the merged histogram is that provider's own, so they must match exactly.
    const b = await lerEstatisticas(idB);
    const gerais = await lerGerais();
    const linhaB = gerais.por_provedor.find((p) => p.provedor_id === idB)!;
    expect(linhaB.p50_ms).toBe(b.p50_ms);
    expect(linhaB.p50_tokens_por_segundo).toBe(b.p50_tokens_por_segundo);
    const modeloB = gerais.por_modelo.find((m) => m.modelo === "gerais-b")!;
    expect(modeloB).toMatchObject({
      requisicoes: b.por_modelo.find((m) => m.modelo === "gerais-b")!.requisicoes,
      p95_ms: b.por_modelo.find((m) => m.modelo === "gerais-b")!.p95_ms,
      p50_tokens_por_segundo: b.por_modelo.find((m) => m.modelo === "gerais-b")!.p50_tokens_por_segundo,
    });
  });

  it("refuses an unknown period with 400 validacao", async () => {
    const r = await rotasDoApp().resposta("/api/estatisticas?periodo=2h");
    expect(r.status).toBe(400);
    expect(((await r.json()) as { erro: { codigo: string } }).erro.codigo).toBe("validacao");
  });

  it("is documented in /api/openapi.json", async () => {
    const doc = (await (await rotasDoApp().resposta("/api/openapi.json")).json()) as { paths: Record<string, { get?: unknown }> };
    expect(doc.paths["/api/estatisticas"]?.get).toBeDefined();
  });
});

describe("tokens per second", () => {
  async function velocidades(id: number): Promise<{ stream: boolean; sucesso: boolean; tps: number | null; modelo: string }[]> {
    const r = await banco().execute({
      sql: "select stream, sucesso, tokens_por_segundo tps, modelo from requisicoes_provedores where provedor_id = ? order by id",
      args: [id],
    });
    return r.rows.map((l) => ({
      stream: Boolean(l.stream),
      sucesso: Boolean(l.sucesso),
      tps: l.tps === null ? null : Number(l.tps),
      modelo: String(l.modelo),
    }));
  }

  it("a server's own figure is kept as it said (Ollama: eval_count over eval_duration), whole answers and streams", async () => {
    const linhas = await velocidades(idB);
    const certas = linhas.filter((l) => l.sucesso);
    expect(certas).toHaveLength(5);
    expect(certas.some((l) => l.stream)).toBe(true);
    // the test server reports eval_duration = 20 ms a token: 50 tokens/s
    for (const l of certas) expect(l.tps).toBe(50);
    // a failure has no speed
    expect(linhas.filter((l) => !l.sucesso).map((l) => l.tps)).toEqual([null]);
    const b = await lerEstatisticas(idB);
    // a bucket stands within 5% of what it holds
    expect(b.p50_tokens_por_segundo).toBeGreaterThanOrEqual(50 * 0.95);
    expect(b.p50_tokens_por_segundo).toBeLessThanOrEqual(50 * 1.05);
    expect(b.por_modelo.find((m) => m.modelo === "gerais-b")!.p95_tokens_por_segundo).toBe(b.p50_tokens_por_segundo);
    // the recent requests' list shows each one's speed, a failure none
    const recentes = await api(`/${idB}/requisicoes?por_pagina=50`);
    expect(recentes.status).toBe(200);
    const lista = ((await recentes.json()) as { requisicoes: { sucesso: boolean; tokens_por_segundo: number | null }[] }).requisicoes;
    expect(lista.filter((q) => q.sucesso).map((q) => q.tokens_por_segundo)).toEqual(Array(5).fill(50));
    expect(lista.filter((q) => !q.sucesso).map((q) => q.tokens_por_segundo)).toEqual([null]);
  });

  it("without one, answer tokens over generation time: after the first token for a stream, the whole time otherwise", async () => {
    const linhas = await velocidades(idA);
    expect(linhas).toHaveLength(4);
    for (const l of linhas) expect(l.sucesso).toBe(true);
    // Streams: the TOKENS tokens come ENTRE_TOKENS_MS apart, so at least (TOKENS − 1) gaps pass after the first one.
    const streams = linhas.filter((l) => l.stream);
    expect(streams).toHaveLength(2);
    for (const l of streams) {
      expect(l.tps).toBeGreaterThan(0);
      expect(l.tps!).toBeLessThanOrEqual(TOKENS / (((TOKENS - 1) * ENTRE_TOKENS_MS) / 1000));
    }
    // Both waited ESPERA_MS for their first token (the REST one's speed worked out by the pipeline, the /v1 relay's
    // by the statistics from its times): over the whole time either would be at most TOKENS / ESPERA_MS.
    for (const l of streams) expect(l.tps!).toBeGreaterThan(TOKENS / (ESPERA_MS / 1000));
    // The whole answer the server held LENTO_MS: at most TOKENS over that time.
    const lenta = linhas.find((l) => !l.stream && l.modelo === "gerais-comum")!;
    expect(lenta.tps).toBeGreaterThan(0);
    expect(lenta.tps!).toBeLessThanOrEqual(TOKENS / (LENTO_MS / 1000));
    // every answer of A had a speed: its histogram holds all four
    const a = await lerEstatisticas(idA);
    expect(a.p50_tokens_por_segundo).not.toBeNull();
    expect(a.p99_tokens_por_segundo).toBeGreaterThanOrEqual(a.p50_tokens_por_segundo!);
    const h = await banco().execute({
      sql: `select sum(quantidade) n from histogramas_latencia where provedor_id = ? and largura_ms = 60000 and metrica = 'tokens_por_segundo'`,
      args: [idA],
    });
    expect(Number(h.rows[0]!.n)).toBe(4);
  });
});
