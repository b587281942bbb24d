import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { type DuasInstancias, iniciarDuasInstancias } from "../support/duas-instancias";
import { esperarAte } from "../support/portas";

// Two app instances over one sqld: a run started on A is one per provider for B too (409), B's page follows it
// (its SSE reads the row every second) and B's cancel reaches A through the row (read at A's next heartbeat).

const MODELO = "modelo-instancias";
const falso = new LlamaCppFalso({
  modelos: [{ id: MODELO, carregado: true }],
  slots: 1,
  velocidade: { prefillTokensS: 20_000, geracaoTokensS: 100 },
});
let par: DuasInstancias;

beforeAll(async () => {
  await falso.iniciar();
  par = await iniciarDuasInstancias({ MONITOR: "desligado" });
}, 120_000);
afterAll(async () => {
  await par?.parar();
  await falso.parar();
});

/** Reads an SSE answer to its end: each `data:` event's JSON, in order. */
async function eventosSSE(r: Response): Promise<Benchmark[]> {
  return (await r.text())
    .split("\n\n")
    .map((bloco) => /^data: (.+)$/m.exec(bloco)?.[1])
    .filter((d): d is string => Boolean(d))
    .map((d) => JSON.parse(d) as Benchmark);
}

describe("benchmarks on two instances", () => {
  it("one run per provider across instances; the other instance follows it and cancels it through the row", async () => {
    const criado = await par.a.rest.resposta("", {
      method: "POST",
      json: { nome: "llama instancias", tipo: "llama_cpp", base_url: falso.url },
    });
    const id = ((await criado.json()) as { id: number }).id;
    const corpo = { modelo: MODELO, tokens_prompt: [16], tokens_resposta: 50, concorrencias: [1], repeticoes: 40 };
    const r = await par.a.rest.resposta(`/${id}/benchmarks`, { method: "POST", json: corpo });
    expect(r.status, await r.clone().text()).toBe(202);
    const b = (await r.json()) as Benchmark;

    const segundo = await par.b.rest.resposta(`/${id}/benchmarks`, { method: "POST", json: corpo });
    expect(segundo.status).toBe(409);
    expect(await segundo.json()).toMatchObject({
      erro: { codigo: "benchmark_em_andamento", mensagem: expect.stringContaining(`execução ${b.id}`) },
    });

    // B follows A's run from the row: progress as A's heartbeats store it.
    const sse = par.b.rest.resposta(`/${id}/benchmarks/${b.id}/eventos`).then(eventosSSE);
    await esperarAte(
      async () => ((await (await par.b.rest.resposta(`/${id}/benchmarks/${b.id}`)).json()) as Benchmark).progresso.feitas >= 2,
      15_000,
      "o progresso visto por B",
    );
    const t = performance.now();
    const cancelado = await par.b.rest.resposta(`/${id}/benchmarks/${b.id}`, { method: "DELETE" });
    expect(cancelado.status).toBe(200);
    const corpoCancelado = (await cancelado.json()) as Benchmark;
    expect(corpoCancelado.estado).toBe("cancelado");
    expect(performance.now() - t).toBeLessThan(4000);
    await esperarAte(async () => falso.emVooAgora === 0, 1000, "o stream de A fechado");

    const eventos = await sse;
    expect(eventos.length).toBeGreaterThanOrEqual(2);
    const feitas = eventos.map((e) => e.progresso.feitas);
    expect(feitas).toEqual([...feitas].sort((x, y) => x - y));
    expect(eventos.at(-1)!.estado).toBe("cancelado");
    expect(eventos.at(-1)).toEqual(await (await par.a.rest.resposta(`/${id}/benchmarks/${b.id}`)).json());
  }, 60_000);
});
