import { afterAll, describe, expect, it } from "vitest";
import { createClient } from "@libsql/client";
import path from "node:path";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { clienteApi } from "../support/cliente-api";
import { app } from "../support/contexto";
import { esperarAte } from "../support/portas";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

// A benchmark run and the app's restarts: finished runs are kept; a run cut by a clean shutdown, or by a crash
// (its heartbeat stops), reads `interrompido` after the restart, with the cells it had.

const MODELO = "modelo-reinicio";
const falso = new LlamaCppFalso({
  modelos: [{ id: MODELO, carregado: true }],
  slots: 1,
  velocidade: { prefillTokensS: 20_000, geracaoTokensS: 200 },
});
const apps: ServidorApp[] = [];
// The project's database mode: a libSQL file in the app's data folder, or a sqld of this test's own.
const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
afterAll(async () => {
  for (const a of apps) await a.parar();
  await falso.parar();
  await sqld?.parar();
});

async function subir(dataDir?: string) {
  const instancia = await iniciarApp({
    MONITOR: "desligado",
    APP_SECRET: "segredo-dos-testes-de-reinicio",
    ...(sqld ? { DATABASE_URL: sqld.url } : {}),
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
  });
  apps.push(instancia);
  return { app: instancia, rest: clienteApi(`${instancia.url}/api/provedores-llm`) };
}

async function estado(rest: ReturnType<typeof clienteApi>, id: number, bid: number): Promise<Benchmark> {
  return (await (await rest.resposta(`/${id}/benchmarks/${bid}`)).json()) as Benchmark;
}

async function iniciar(rest: ReturnType<typeof clienteApi>, id: number, corpo: Record<string, unknown>): Promise<Benchmark> {
  const r = await rest.resposta(`/${id}/benchmarks`, { method: "POST", json: corpo });
  expect(r.status, await r.clone().text()).toBe(202);
  return (await r.json()) as Benchmark;
}

describe("benchmarks across restarts", () => {
  it("keeps finished runs and marks the one cut by a shutdown or a crash as interrompido", async () => {
    await falso.iniciar();
    const primeiro = await subir();
    const dataDir = primeiro.app.dataDir;
    const criado = await primeiro.rest.resposta("", {
      method: "POST",
      json: { nome: "llama reinicio", tipo: "llama_cpp", base_url: falso.url },
    });
    const id = ((await criado.json()) as { id: number }).id;
    const curto = { modelo: MODELO, tokens_prompt: [16], tokens_resposta: 4, concorrencias: [1], repeticoes: 1 };
    const longo = { modelo: MODELO, tokens_prompt: [16], tokens_resposta: 200, concorrencias: [1], repeticoes: 20 };

    const feito = await iniciar(primeiro.rest, id, curto);
    await esperarAte(async () => (await estado(primeiro.rest, id, feito.id)).estado === "concluido", 10_000, "o primeiro benchmark");
    const concluido = await estado(primeiro.rest, id, feito.id);

    // A clean shutdown mid-run: the instance marks its own run at once.
    const cortado = await iniciar(primeiro.rest, id, longo);
    await esperarAte(async () => (await estado(primeiro.rest, id, cortado.id)).progresso.feitas >= 1, 10_000, "uma requisição feita");
    await primeiro.app.parar();
    const segundo = await subir(dataDir);
    const depois = await estado(segundo.rest, id, cortado.id);
    expect(depois.estado).toBe("interrompido");
    expect(depois.erro).toBe("A execução foi interrompida: o servidor do app reiniciou ou caiu no meio dela.");
    expect(await estado(segundo.rest, id, feito.id)).toEqual(concluido);

    // A crash mid-run (SIGKILL: nothing marked), its heartbeat then silent past 10 s (moved back here, not waited):
    // the next start marks it.
    const caido = await iniciar(segundo.rest, id, longo);
    // The row itself holds a request done (a heartbeat, every 1 s, stores the progress) before the crash.
    const banco = createClient({ url: sqld?.url ?? `file:${path.join(dataDir, "provedores-llm.db")}` });
    await esperarAte(
      async () => {
        const r = await banco.execute({ sql: "select feitas from benchmarks where id = ?", args: [caido.id] });
        return Number(r.rows[0]?.feitas ?? 0) >= 1;
      },
      10_000,
      "uma requisição feita, gravada na linha",
    );
    segundo.app.processo.kill("SIGKILL");
    await segundo.app.parar();
    const linha = await banco.execute({ sql: "select estado from benchmarks where id = ?", args: [caido.id] });
    expect(linha.rows[0]!.estado).toBe("executando");
    await banco.execute({ sql: "update benchmarks set batimento_em = batimento_em - 11000 where id = ?", args: [caido.id] });
    banco.close();
    const terceiro = await subir(dataDir);
    const aposQueda = await estado(terceiro.rest, id, caido.id);
    expect(aposQueda.estado).toBe("interrompido");
    expect(aposQueda.progresso.feitas).toBeGreaterThanOrEqual(1);
    const lista = (await (await terceiro.rest.resposta(`/${id}/benchmarks`)).json()) as { benchmarks: Benchmark[] };
    expect(lista.benchmarks.map((b) => [b.id, b.estado])).toEqual([
      [caido.id, "interrompido"],
      [cortado.id, "interrompido"],
      [feito.id, "concluido"],
    ]);
  }, 90_000);
});
