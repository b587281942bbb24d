// `npm run bench:estatisticas`: reading a provider's statistics with 1 000 000 requests recorded over 30 days.
// Seeds through the app's own statistics writer (same batched upserts as live traffic), then times
// GET …/estatisticas for every period against GET …/{id} (one row by key) in the same run.
// Then the overview (/painel): 19 more servers, another 1 000 000 requests spread over all 20 and a model cache
// for each, and the overview's data function (lib/painel) timed over repeated renders, with GET /painel itself.
import { statSync } from "node:fs";
import path from "node:path";
import type { RegistroRequisicao } from "@/lib/schemas/llm";
import { encerrar, executar, iniciarApp, percentil } from "./bench-comum";

const TOTAL = Number(process.env.BENCH_REQUISICOES ?? 1_000_000);
const LEITURAS = Number(process.env.BENCH_LEITURAS ?? 200);
const DIAS = 30;
const MODELOS = ["llama3.2:latest", "qwen2.5:7b", "nomic-embed-text", "mistral:7b-instruct"];
const SERVIDORES = Number(process.env.BENCH_SERVIDORES ?? 20);
const RENDERS = Number(process.env.BENCH_RENDERS ?? 100);

/** A latency that looks like a local LLM's: mostly 200 ms–3 s, a long tail to a minute. */
function latencia(i: number): number {
  const u = ((i * 2654435761) % 2 ** 32) / 2 ** 32;
  return 150 * Math.exp(3.2 * u ** 2);
}

async function tempos(url: string, n: number): Promise<{ p50: number; p95: number }> {
  const medidas: number[] = [];
  for (let i = 0; i < n; i++) {
    const inicio = performance.now();
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
    medidas.push(performance.now() - inicio);
  }
  return { p50: percentil(medidas, 0.5), p95: percentil(medidas, 0.95) };
}

type Gravador = typeof import("@/lib/estatisticas/registrar");

/** TOTAL requests from `inicio`, one every `passo` ms, each to the provider `provedorDe(i)` says. */
async function gravar(
  registrarRequisicao: Gravador["registrarRequisicao"],
  gravarPendentes: Gravador["gravarPendentes"],
  provedorDe: (i: number) => number,
  inicio: number,
  passo: number,
): Promise<void> {
  for (let i = 0; i < TOTAL; i++) {
    const t = latencia(i);
    const stream = i % 3 === 0;
    const sucesso = i % 50 !== 0;
    const registro: RegistroRequisicao = {
      provedor_id: provedorDe(i),
      porta: "requisicao",
      criado_em: Math.floor(inicio + i * passo),
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
    void registrarRequisicao(registro);
    if (i % 5000 === 4999) await gravarPendentes();
  }
  await gravarPendentes();
}

async function main() {
  console.log("Preparando: build (se preciso) e aplicação…");
  const { url, dataDir } = await iniciarApp();
  const criado = await fetch(`${url}/api/provedores-llm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nome: "bench-estatisticas", tipo: "ollama", base_url: "http://127.0.0.1:9" }),
  });
  const { id } = (await criado.json()) as { id: number };

  // The writer runs here, on the app's database file (the app is idle meanwhile).
  process.env.DATABASE_URL = `file:${path.join(dataDir, "provedores-llm.db")}`;
  const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
  console.log(`Gravando ${TOTAL.toLocaleString("pt-BR")} requisições ao longo de ${DIAS} dias…`);
  const inicioGravacao = performance.now();
  const agora = Date.now();
  // Ten minutes short of the whole period, so that all of it is still inside "30d" when the bench reads it.
  const inicio = agora - DIAS * 24 * 3600_000 + 10 * 60_000;
  const passo = (agora - inicio) / TOTAL;
  await gravar(registrarRequisicao, gravarPendentes, () => id, inicio, passo);
  const segundos = (performance.now() - inicioGravacao) / 1000;
  const tamanho = statSync(path.join(dataDir, "provedores-llm.db")).size / 2 ** 20;
  console.log(`Gravadas em ${segundos.toFixed(1)} s (${Math.round(TOTAL / segundos)} registros/s); banco com ${tamanho.toFixed(0)} MiB.`);

  const base = `${url}/api/provedores-llm/${id}`;
  // The connection kept from before the seeding may have been closed by the app meanwhile.
  await fetch(base).catch(() => undefined);
  await tempos(`${base}/estatisticas?periodo=30d`, 20); // warm-up
  await tempos(base, 20);
  const referencia = await tempos(base, LEITURAS);
  console.log(`\nleitura (${LEITURAS} de cada)            p50 (ms)   p95 (ms)   razão p95 / GET do provedor   meta`);
  console.log(`GET /{id} (referência)             ${referencia.p50.toFixed(1).padStart(8)} ${referencia.p95.toFixed(1).padStart(10)}`);
  let dentro = true;
  for (const periodo of ["1h", "24h", "7d", "30d"]) {
    const r = await tempos(`${base}/estatisticas?periodo=${periodo}`, LEITURAS);
    dentro &&= r.p95 <= 50;
    console.log(
      `GET /{id}/estatisticas?periodo=${periodo.padEnd(4)}${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(10)}   ${(r.p95 / referencia.p95).toFixed(2).padStart(8)}x                      ≤ 50 ms`,
    );
  }
  const recentes = await tempos(`${base}/requisicoes?pagina=400`, LEITURAS);
  console.log(
    `GET /{id}/requisicoes?pagina=400  ${recentes.p50.toFixed(1).padStart(8)} ${recentes.p95.toFixed(1).padStart(10)}   ${(recentes.p95 / referencia.p95).toFixed(2).padStart(8)}x`,
  );
  const s = (await (await fetch(`${base}/estatisticas?periodo=30d`)).json()) as { total_requisicoes: number; p95_ms: number | null };
  console.log(`\n30 dias: ${s.total_requisicoes.toLocaleString("pt-BR")} requisições, p95 ${s.p95_ms} ms (sobre todas elas).`);
  console.log(
    `${dentro && s.total_requisicoes === TOTAL ? "OK  " : "FORA"} leitura de estatísticas ≤ 50 ms (p95) em todo período, com todas as requisições contadas`,
  );
  await painel(url, id, registrarRequisicao, gravarPendentes, dataDir);
  encerrar();
  process.exit(0);
}

/**
 * The overview with SERVIDORES servers: the first one's 1 000 000 requests, another TOTAL spread over all of them,
 * and a model cache of 12 models (2 loaded) each; `obterPainel` (what GET /painel renders) timed RENDERS times,
 * and GET /painel itself as the browser gets it.
 */
async function painel(
  url: string,
  primeiro: number,
  registrarRequisicao: Gravador["registrarRequisicao"],
  gravarPendentes: Gravador["gravarPendentes"],
  dataDir: string,
) {
  const ids = [primeiro];
  for (let n = 1; n < SERVIDORES; n++) {
    const r = await fetch(`${url}/api/provedores-llm`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ nome: `bench-painel-${n}`, tipo: "ollama", base_url: `http://127.0.0.1:${n + 10}` }),
    });
    if (r.status !== 201) throw new Error(`provedor ${n}: ${r.status} ${await r.text()}`);
    ids.push(((await r.json()) as { id: number }).id);
  }
  const { clienteLibsql } = await import("@/db/client");
  const agora = Date.now();
  await clienteLibsql().batch(
    ids.flatMap((id) =>
      Array.from({ length: 12 }, (_, m) => ({
        sql: "insert or ignore into modelos_provedores (provedor_id, modelo, nome, carregado, atualizado_em) values (?, ?, ?, ?, ?)",
        args: [id, `modelo-${m}:7b`, `modelo-${m}:7b`, m < 2 ? 1 : 0, agora],
      })),
    ),
    "write",
  );
  console.log(`\nPainel: ${SERVIDORES} servidores; gravando mais ${TOTAL.toLocaleString("pt-BR")} requisições entre todos eles…`);
  const inicio = agora - DIAS * 24 * 3600_000 + 10 * 60_000;
  await gravar(
    registrarRequisicao,
    gravarPendentes,
    (i) => ids[Math.floor(i / MODELOS.length) % ids.length]!,
    inicio,
    (agora - inicio) / TOTAL,
  );

  const { obterPainel } = await import("@/lib/painel/consultar-painel");
  for (let i = 0; i < 10; i++) await obterPainel(); // warm-up
  const medidas: number[] = [];
  let visto = await obterPainel();
  for (let i = 0; i < RENDERS; i++) {
    const t0 = performance.now();
    visto = await obterPainel();
    medidas.push(performance.now() - t0);
  }
  const dados = { p50: percentil(medidas, 0.5), p95: percentil(medidas, 0.95) };
  await fetch(`${url}/painel`).catch(() => undefined);
  await tempos(`${url}/painel`, 20); // warm-up
  await tempos(`${url}/provedores-llm`, 20);
  const pagina = await tempos(`${url}/painel`, Math.min(RENDERS, 50));
  const lista = await tempos(`${url}/provedores-llm`, Math.min(RENDERS, 50));
  const requisicoes24h = visto.servidores.reduce((s, v) => s + v.requisicoes_24h, 0);
  const tamanho = statSync(path.join(dataDir, "provedores-llm.db")).size / 2 ** 20;
  console.log(
    `\npainel (${SERVIDORES} servidores, ${(2 * TOTAL).toLocaleString("pt-BR")} requisições; banco com ${tamanho.toFixed(0)} MiB)   p50 (ms)   p95 (ms)   meta`,
  );
  console.log(
    `obterPainel() (${RENDERS} vezes)             ${dados.p50.toFixed(1).padStart(8)} ${dados.p95.toFixed(1).padStart(10)}   ≤ 300 ms`,
  );
  console.log(
    `GET /painel (página inteira, ${Math.min(RENDERS, 50)} vezes)  ${pagina.p50.toFixed(1).padStart(8)} ${pagina.p95.toFixed(1).padStart(10)}`,
  );
  console.log(`GET /provedores-llm (a lista, referência)${lista.p50.toFixed(1).padStart(8)} ${lista.p95.toFixed(1).padStart(10)}`);
  console.log(
    `${visto.servidores.length} cartões, ${requisicoes24h.toLocaleString("pt-BR")} requisições nas últimas 24 h, ${visto.totais.requisicoes_hoje.toLocaleString("pt-BR")} hoje, ${visto.totais.modelos_carregados}/${visto.totais.modelos} modelos carregados.`,
  );
  const ok = dados.p95 <= 300 && visto.servidores.length === SERVIDORES && requisicoes24h > 0;
  console.log(`${ok ? "OK  " : "FORA"} dados do painel ≤ 300 ms (p95) com ${SERVIDORES} servidores`);
}

executar(main);
