import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegistroRequisicao, RequisicoesRecentes } from "@/lib/schemas/llm";
import { OllamaFalso } from "../servidores/ollama";
import { api, app, banco } from "../support/contexto";
import { criarProvedor, lerEstatisticas } from "../support/llm";

// The queue's wait as the statistics keep it: each request's `tempo_fila_ms` in the log, and the "fila" latency
// histograms (by provider and model, and by key) that give its percentiles. Records are fed to the app's own writer
// here, so the counts are exact; the queue itself is exercised over HTTP in fila-medidas.test.ts.

let ollama: OllamaFalso;

beforeAll(async () => {
  ollama = await new OllamaFalso({ modelos: [{ id: "m", carregado: true }], resposta: "ok" }).iniciar();
});
afterAll(async () => {
  await ollama.parar();
});

async function gravar(registros: Partial<RegistroRequisicao>[], provedor_id: number): Promise<void> {
  process.env.DATABASE_URL = app().databaseUrl;
  const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
  for (const r of registros)
    void registrarRequisicao({
      provedor_id,
      porta: "requisicao",
      criado_em: Date.now() - 1000,
      modelo: "m",
      stream: false,
      sucesso: true,
      codigo_erro: null,
      tempo_resposta_ms: 50,
      tempo_primeiro_token_ms: null,
      tempo_fila_ms: null,
      tokens_prompt: null,
      tokens_resposta: null,
      chave_id: null,
      ...r,
    });
  await gravarPendentes();
}

async function histograma(tabela: string, provedorId: number): Promise<number> {
  const r = await banco().execute({
    sql: `select coalesce(sum(quantidade), 0) n from ${tabela} where provedor_id = ? and metrica = 'fila' and largura_ms = 60000`,
    args: [provedorId],
  });
  return Number(r.rows[0]!.n);
}

describe("queue wait in the statistics", () => {
  it("percentiles of the wait over the requests that passed the queue, per provider and per model; a wait of 0 counts", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    // 10 requests of "a": 8 did not wait (0 ms), 2 waited 1 s and 2 s; 10 of "b", each waited 100 … 1000 ms;
    // 5 recorded without a queue (null), which are in no percentile; a failed one's wait counts as well.
    await gravar(
      [
        ...Array.from({ length: 8 }, () => ({ modelo: "a", tempo_fila_ms: 0 })),
        { modelo: "a", tempo_fila_ms: 1000 },
        { modelo: "a", tempo_fila_ms: 2000, sucesso: false, codigo_erro: "provedor_timeout" },
        ...Array.from({ length: 10 }, (_, i) => ({ modelo: "b", tempo_fila_ms: (i + 1) * 100 })),
        ...Array.from({ length: 5 }, () => ({ modelo: "c", tempo_fila_ms: null })),
      ],
      id,
    );
    const s = await lerEstatisticas(id);
    expect(s.total_requisicoes).toBe(25);
    // nearest rank over 20 waits: 8 zeros, then 100 … 1000, 1000, 2000
    expect(s.p50_fila_ms).toBeGreaterThan(100 * 0.95);
    expect(s.p50_fila_ms).toBeLessThan(300 * 1.05);
    expect(s.p95_fila_ms).toBeGreaterThan(1000 * 0.95);
    expect(s.p95_fila_ms).toBeLessThan(1000 * 1.05);
    expect(s.p99_fila_ms).toBeGreaterThan(2000 * 0.95);
    expect(s.p99_fila_ms).toBeLessThan(2000 * 1.05);
    const a = s.por_modelo.find((m) => m.modelo === "a")!;
    const b = s.por_modelo.find((m) => m.modelo === "b")!;
    const c = s.por_modelo.find((m) => m.modelo === "c")!;
    // most of "a" did not wait: its p50 is the truth, 0
    expect(a.p50_fila_ms).toBe(0);
    expect(a.p99_fila_ms).toBeGreaterThan(2000 * 0.95);
    expect(b.p50_fila_ms).toBeGreaterThan(500 * 0.95);
    expect(b.p50_fila_ms).toBeLessThan(500 * 1.05);
    expect(c).toMatchObject({ requisicoes: 5, p50_fila_ms: null, p95_fila_ms: null, p99_fila_ms: null });
    // the by-key histograms (the admin's here) got the same 20 waits, in the same batch
    expect(await histograma("histogramas_latencia", id)).toBe(20);
    expect(await histograma("histogramas_latencia_chaves", id)).toBe(20);
  });

  it("no request passed a queue: null percentiles, and no 'fila' histogram rows", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    await gravar([{ tempo_fila_ms: null }, { tempo_fila_ms: null }], id);
    const s = await lerEstatisticas(id);
    expect(s.total_requisicoes).toBe(2);
    expect(s.p50_ms).not.toBeNull();
    expect([s.p50_fila_ms, s.p95_fila_ms, s.p99_fila_ms]).toEqual([null, null, null]);
    expect(s.por_modelo[0]).toMatchObject({ p50_fila_ms: null, p95_fila_ms: null, p99_fila_ms: null });
    expect(await histograma("histogramas_latencia", id)).toBe(0);
    expect(await histograma("histogramas_latencia_chaves", id)).toBe(0);
  });

  it("the log and the latest requests keep each request's wait (null where none was recorded)", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    await gravar([{ tempo_fila_ms: null }, { tempo_fila_ms: 0 }, { tempo_fila_ms: 1234.56 }], id);
    const r = await api(`/${id}/requisicoes`);
    expect(r.status).toBe(200);
    const lista = (await r.json()) as RequisicoesRecentes;
    expect(lista.requisicoes.map((q) => q.tempo_fila_ms)).toEqual([1234.6, 0, null]);
  });

  it("a request through the app records its wait: 0 when nothing was queued ahead of it", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: [{ role: "user", content: "oi" }] } });
    expect(r.status).toBe(200);
    const lista = (await (await api(`/${id}/requisicoes`)).json()) as RequisicoesRecentes;
    expect(lista.requisicoes[0]!.tempo_fila_ms).toBe(0);
    const s = await lerEstatisticas(id);
    expect(s.p50_fila_ms).toBe(0);
  });
});
