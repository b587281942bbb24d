import { randomUUID } from "node:crypto";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventoMonitor } from "@/lib/saude/eventos";
import type { RequisicoesRecentes } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { api, banco, rotasDoApp } from "../support/contexto";
import { criarProvedor, lerEstatisticas, MENSAGENS } from "../support/llm";

// The queue's wait, measured where a user looks: each request's row and the statistics' percentiles, the gauges
// and the refusals of /api/metrics, and the `fila` events of the monitor's stream. The server holds every streamed
// answer after its first token (`segurar`) until the test lets it go, so a second request surely waits for the
// first one's place: nothing here depends on how long anything takes.

type EventoFila = Extract<EventoMonitor, { tipo: "fila" }>;

let llama: LlamaCppFalso;
const modelo = `fila-${randomUUID().slice(0, 8)}`;
const eventos: EventoFila[] = [];
const fechar = new AbortController();

beforeAll(async () => {
  llama = await new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: "uma resposta curta" }).iniciar();
  await llama.definirFalha("segurar");
  // Every `fila` event of the run, as a live page receives them.
  const r = await api("/eventos", { signal: fechar.signal });
  expect(r.headers.get("content-type")).toContain("text/event-stream");
  void (async () => {
    const leitor = r.body!.pipeThrough(new TextDecoderStream()).getReader();
    let resto = "";
    for (;;) {
      const { value, done } = await leitor.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      resto += value;
      for (let i = resto.indexOf("\n\n"); i >= 0; i = resto.indexOf("\n\n")) {
        const bloco = resto.slice(0, i);
        resto = resto.slice(i + 2);
        const dados = /^data: (.+)$/m.exec(bloco)?.[1];
        if (dados && /^event: fila$/m.test(bloco)) eventos.push(JSON.parse(dados) as EventoFila);
      }
    }
  })();
});
afterAll(async () => {
  fechar.abort();
  llama.soltar();
  await llama.parar();
});

/** A provider of the test server with one place at a time (and `fila_max` places to wait), set before its first request. */
async function provedorDeUmLugar(filaMax = 64): Promise<number> {
  const id = await criarProvedor("llama_cpp", llama.url);
  await banco().execute({ sql: "update provedores_llm set max_concorrencia = 1, fila_max = ? where id = ?", args: [filaMax, id] });
  return id;
}

const pedir = (id: number) => api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });

/** Waits (polling, no timing asserted) until `condicao` holds, or fails with what was last seen. */
async function ate<T>(ler: () => Promise<T> | T, condicao: (v: T) => boolean, descricao: string, limiteMs = 10_000): Promise<T> {
  const fim = Date.now() + limiteMs;
  let v = await ler();
  while (!condicao(v)) {
    if (Date.now() > fim) throw new Error(`${descricao}: ainda ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
    v = await ler();
  }
  return v;
}

/** The samples of one family of /api/metrics for this provider, by label set. */
async function metrica(nome: string, provedorId: number): Promise<{ labels: Record<string, string>; value: number }[]> {
  const r = await rotasDoApp().resposta("/api/metrics");
  expect(r.status).toBe(200);
  const familia = parsePrometheusTextFormat(await r.text()).find((f) => f.name === nome);
  return (familia?.metrics ?? [])
    .filter((m) => m.labels?.provedor_id === String(provedorId))
    .map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) }));
}
const valor = async (nome: string, id: number, rotulos: Record<string, string> = {}) =>
  (await metrica(nome, id)).find((m) => Object.entries(rotulos).every(([k, v]) => m.labels[k] === v))?.value;

describe("the queue's wait, measured", () => {
  it("a request that waits for the one place: its row, the percentiles, the live gauges and the stream say so", async () => {
    const id = await provedorDeUmLugar();
    const primeira = await pedir(id);
    expect(primeira.status).toBe(200);
    await ate(
      () => llama.segurando,
      (n) => n === 1,
      "a primeira não chegou ao servidor",
    );
    // the second one waits in the queue: its answer starts only once it leaves
    const segunda = pedir(id);

    // while it waits: one in flight, one queued, on /api/metrics and on the monitor's stream
    await ate(
      async () => [await valor("provedores_llm_fila_em_voo", id), await valor("provedores_llm_fila_esperando", id)],
      ([emVoo, esperando]) => emVoo === 1 && esperando === 1,
      "as métricas não mostraram 1 em voo e 1 na fila",
    );
    const naFila = await ate(
      () => eventos.find((e) => e.provedor_id === id && e.na_fila === 1),
      (e) => e !== undefined,
      "nenhum evento fila com na_fila: 1",
    );
    expect(naFila).toMatchObject({ tipo: "fila", provedor_id: id, em_voo: 1, na_fila: 1, limite: 1 });
    expect(llama.segurando).toBe(1);

    // the first one ends; the second goes out, is held in turn, and ends
    llama.soltar();
    await primeira.text();
    const r2 = await segunda;
    expect(r2.status).toBe(200);
    await ate(
      () => llama.segurando,
      (n) => n === 1,
      "a segunda não chegou ao servidor",
    );
    llama.soltar();
    await r2.text();
    await ate(
      () => eventos.findLast((e) => e.provedor_id === id),
      (e) => e?.em_voo === 0 && e.na_fila === 0,
      "o stream não mostrou a fila vazia no fim",
    );
    expect(await valor("provedores_llm_fila_em_voo", id)).toBe(0);
    expect(await valor("provedores_llm_fila_esperando", id)).toBe(0);

    // the rows: the first did not wait (0), the second did; newest first
    const lista = (await (await api(`/${id}/requisicoes`)).json()) as RequisicoesRecentes;
    expect(lista.requisicoes).toHaveLength(2);
    expect(lista.requisicoes.every((q) => q.sucesso)).toBe(true);
    expect(lista.requisicoes[1]!.tempo_fila_ms).toBe(0);
    expect(lista.requisicoes[0]!.tempo_fila_ms).toBeGreaterThan(0);
    // the percentiles from the same histograms, for the provider and for the model
    const s = await lerEstatisticas(id);
    expect(s.p50_fila_ms).toBe(0);
    expect(s.p95_fila_ms).toBeGreaterThan(0);
    expect(s.por_modelo.find((m) => m.modelo === modelo)?.p95_fila_ms).toBeGreaterThan(0);
    // and the histogram of /api/metrics counted both waits (read from its lines: the parser merges a histogram's series)
    const texto = await (await rotasDoApp().resposta("/api/metrics")).text();
    const contagens = texto
      .split("\n")
      .filter((l) => l.startsWith("provedores_llm_tempo_fila_seconds_count{") && l.includes(`provedor_id="${id}"`));
    expect(contagens.map((l) => Number(l.split(" ").at(-1))).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("a queue with no place to wait refuses at once, and /api/metrics counts the refusal as 'cheia'", async () => {
    const id = await provedorDeUmLugar(0);
    const primeira = await pedir(id);
    expect(primeira.status).toBe(200);
    await ate(
      () => llama.segurando,
      (n) => n === 1,
      "a primeira não chegou ao servidor",
    );
    try {
      const recusada = await pedir(id);
      expect(recusada.status).toBe(429);
      expect(recusada.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await recusada.json()) as { erro: { codigo: string } }).erro.codigo).toBe("fila_cheia");
      expect(await valor("provedores_llm_fila_recusadas_total", id, { motivo: "cheia" })).toBe(1);
      expect(await valor("provedores_llm_fila_recusadas_total", id, { motivo: "espera" })).toBe(0);
      // nothing of the refused one reached the server
      expect(llama.segurando).toBe(1);
    } finally {
      llama.soltar();
      await primeira.text();
    }
  });
});
