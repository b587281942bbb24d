// `npm run bench:estatisticas-gerais`: the cross-server statistics (GET /api/estatisticas's function) with 20 servers
// and 1 000 000 requests recorded over 30 days. In this process, on a database file of its own, seeded through the
// app's own statistics writer (the same batched upserts as live traffic); then obterEstatisticasGerais for every
// period and one server's obterEstatisticas timed three ways: every read from the database (the closed blocks
// forgotten before each read), the first read of a cold process, and the reads after it (the closed hours and days
// kept in memory: lib/estatisticas/blocos-fechados.ts).
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RegistroRequisicao } from "@/lib/schemas/llm";
import { percentil } from "./bench-comum";

const TOTAL = Number(process.env.BENCH_REQUISICOES ?? 1_000_000);
const LEITURAS = Number(process.env.BENCH_LEITURAS ?? 20);
const SERVIDORES = Number(process.env.BENCH_SERVIDORES ?? 20);
const DIAS = 30;
const MODELOS = ["llama3.2:latest", "qwen2.5:7b", "nomic-embed-text", "mistral:7b-instruct"];
const PERIODOS = ["1h", "24h", "7d", "30d"] as const;

/** A latency that looks like a local LLM's: mostly 200 ms–3 s, a long tail to a minute. */
function latencia(i: number): number {
  const u = ((i * 2654435761) % 2 ** 32) / 2 ** 32;
  return 150 * Math.exp(3.2 * u ** 2);
}

type Gravador = typeof import("@/lib/estatisticas/registrar");

/** `n` requests from `inicio` to now, spread over the servers, through the writer; answers records per second. */
async function gravar(g: Gravador, ids: number[], n: number, semente: number): Promise<number> {
  const agora = Date.now();
  // An hour short of the whole period, so that all of it is still inside "30d" when the bench reads it (seeding a
  // million requests and both sides' measures take a quarter of an hour on a busy machine).
  const inicio = agora - DIAS * 24 * 3600_000 + 60 * 60_000;
  const passo = (agora - inicio) / n;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const i = semente + k;
    const t = latencia(i);
    const stream = i % 3 === 0;
    const sucesso = i % 50 !== 0;
    const registro: RegistroRequisicao = {
      provedor_id: ids[Math.floor(i / MODELOS.length) % ids.length]!,
      porta: i % 5 === 0 ? "openai" : "requisicao",
      criado_em: Math.floor(inicio + k * passo),
      modelo: MODELOS[i % MODELOS.length]!,
      stream,
      sucesso,
      codigo_erro: sucesso ? null : "provedor_timeout",
      tempo_resposta_ms: t,
      tempo_primeiro_token_ms: stream ? t / 8 : null,
      tempo_fila_ms: null,
      tokens_prompt: 20 + (i % 100),
      tokens_resposta: 50 + (i % 400),
      chave_id: null,
    };
    void g.registrarRequisicao(registro);
    if (k % 5000 === 4999) await g.gravarPendentes();
  }
  await g.gravarPendentes();
  return n / ((performance.now() - t0) / 1000);
}

type Medida = { p50: number; p95: number };

async function medir(ler: () => Promise<unknown>, antes: () => void = () => {}): Promise<Medida> {
  for (let i = 0; i < 3; i++) {
    antes();
    await ler(); // warm-up
  }
  const medidas: number[] = [];
  for (let i = 0; i < LEITURAS; i++) {
    antes();
    const t0 = performance.now();
    await ler();
    medidas.push(performance.now() - t0);
  }
  return { p50: percentil(medidas, 0.5), p95: percentil(medidas, 0.95) };
}

type Linha = { nome: string; semBlocos: Medida; primeira: number; comBlocos: Medida; meta: boolean };

async function main() {
  const pasta = mkdtempSync(path.join(tmpdir(), "provedores-bench-gerais-"));
  const arquivo = path.join(pasta, "provedores-llm.db");
  process.env.DATABASE_URL = `file:${arquivo}`;
  const { clienteLibsql } = await import("@/db/client");
  const { migrarEsquema } = await import("@/db/migrar");
  await migrarEsquema();

  const ids: number[] = [];
  for (let n = 1; n <= SERVIDORES; n++) {
    const r = await clienteLibsql().execute({
      sql: "insert into provedores_llm (nome, nome_chave, slug, tipo, base_url) values (?, ?, ?, 'ollama', ?) returning id",
      args: [`bench-${n}`, `bench-${n}`, `bench-${n}`, `http://127.0.0.1:${n + 10}`],
    });
    ids.push(Number(r.rows[0]!.id));
  }
  const g = await import("@/lib/estatisticas/registrar");
  console.log(`Gravando ${TOTAL.toLocaleString("pt-BR")} requisições em ${SERVIDORES} servidores ao longo de ${DIAS} dias…`);
  const t0 = performance.now();
  const taxa = await gravar(g, ids, TOTAL, 0);
  console.log(
    `Gravadas em ${((performance.now() - t0) / 1000).toFixed(1)} s (${Math.round(taxa)} registros/s); banco com ${(statSync(arquivo).size / 2 ** 20).toFixed(0)} MiB.`,
  );

  const { obterEstatisticas, obterEstatisticasGerais } = await import("@/lib/estatisticas/consultar-estatisticas");
  const { esquecerBlocosFechados } = await import("@/lib/estatisticas/blocos-fechados");
  const leituras: [string, () => Promise<unknown>, boolean][] = [
    ...PERIODOS.map((periodo): [string, () => Promise<unknown>, boolean] => [
      `obterEstatisticasGerais(${periodo})`,
      () => obterEstatisticasGerais(periodo),
      true,
    ]),
    ...(["24h", "30d"] as const).map((periodo): [string, () => Promise<unknown>, boolean] => [
      `obterEstatisticas(1, ${periodo})`,
      () => obterEstatisticas(ids[0]!, periodo),
      false,
    ]),
  ];
  const linhas: Linha[] = [];
  for (const [nome, ler, meta] of leituras) {
    console.log(`Medindo ${nome}…`);
    const semBlocos = await medir(ler, esquecerBlocosFechados);
    esquecerBlocosFechados();
    const tp = performance.now();
    await ler();
    const primeira = performance.now() - tp;
    const comBlocos = await medir(ler);
    linhas.push({ nome, semBlocos, primeira, comBlocos, meta });
  }
  // What the kept blocks cost in memory: the heap with every period's blocks, against none (after a full collection).
  const gc = (globalThis as { gc?: () => void }).gc;
  let memoria = "";
  if (gc) {
    esquecerBlocosFechados();
    gc();
    const sem = process.memoryUsage().heapUsed;
    for (const [, ler] of leituras) await ler();
    gc();
    memoria = `; os blocos de todos os períodos ocupam ${((process.memoryUsage().heapUsed - sem) / 2 ** 20).toFixed(1)} MiB de heap`;
  }

  console.log(`\n${SERVIDORES} servidores, ${TOTAL.toLocaleString("pt-BR")} requisições; ${LEITURAS} leituras de cada (ms)${memoria}`);
  console.log("leitura                             sem blocos p50    p95   1ª leitura  com blocos p50    p95   meta");
  for (const l of linhas) {
    console.log(
      `${l.nome.padEnd(36)}${l.semBlocos.p50.toFixed(1).padStart(14)}${l.semBlocos.p95.toFixed(1).padStart(7)}${l.primeira.toFixed(1).padStart(13)}${l.comBlocos.p50.toFixed(1).padStart(16)}${l.comBlocos.p95.toFixed(1).padStart(7)}   ${l.meta ? "≤ 300 (p95)" : ""}`,
    );
  }
  // Every request counted from the blocks as from the database.
  esquecerBlocosFechados();
  const doBanco = (await obterEstatisticasGerais("30d")).total_requisicoes;
  const dosBlocos = (await obterEstatisticasGerais("30d")).total_requisicoes;
  const dentro = linhas.every((l) => !l.meta || l.comBlocos.p95 <= 300);
  console.log(
    `\n30 dias: ${dosBlocos.toLocaleString("pt-BR")} requisições contadas com blocos, ${doBanco.toLocaleString("pt-BR")} sem (esperadas ${TOTAL.toLocaleString("pt-BR")}).`,
  );
  console.log(
    `${dentro && doBanco === TOTAL && dosBlocos === TOTAL ? "OK  " : "FORA"} estatísticas gerais ≤ 300 ms (p95) em todo período, com todas as requisições contadas`,
  );
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
