// `npm run bench:estatisticas-gerais`: the cross-server statistics (GET /api/estatisticas's function) with 20 servers
// and 1 000 000 requests recorded over 30 days, on the database before migration 0013 and after it, in one run.
// In this process, on a database file of its own: the schema up to 0012, seeded through the app's own statistics
// writer (the same batched upserts as live traffic); then obterEstatisticasGerais for every period and one server's
// obterEstatisticas timed, and the writer's rate; then migration 0013 applied (timed) and the same measures again
// on the same rows.
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RegistroRequisicao } from "@/lib/schemas/llm";
import { percentil, raiz } from "./bench-comum";

const TOTAL = Number(process.env.BENCH_REQUISICOES ?? 1_000_000);
const LEITURAS = Number(process.env.BENCH_LEITURAS ?? 20);
const SERVIDORES = Number(process.env.BENCH_SERVIDORES ?? 20);
/** Records written (over the same 30 days) to measure the writer's rate on each side. */
const ESCRITAS = Number(process.env.BENCH_ESCRITAS ?? 50_000);
const DIAS = 30;
const MODELOS = ["llama3.2:latest", "qwen2.5:7b", "nomic-embed-text", "mistral:7b-instruct"];
const PERIODOS = ["1h", "24h", "7d", "30d"] as const;
const ANTES_DE = "0013";

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

async function medir(ler: () => Promise<unknown>): Promise<Medida> {
  for (let i = 0; i < 3; i++) await ler(); // warm-up
  const medidas: number[] = [];
  for (let i = 0; i < LEITURAS; i++) {
    const t0 = performance.now();
    await ler();
    medidas.push(performance.now() - t0);
  }
  return { p50: percentil(medidas, 0.5), p95: percentil(medidas, 0.95) };
}

type Lado = { leituras: Map<string, Medida>; escrita: number };

async function medirLado(ids: number[], g: Gravador, semente: number): Promise<Lado> {
  const { obterEstatisticas, obterEstatisticasGerais } = await import("@/lib/estatisticas/consultar-estatisticas");
  const leituras = new Map<string, Medida>();
  for (const periodo of PERIODOS) leituras.set(`gerais ${periodo}`, await medir(() => obterEstatisticasGerais(periodo)));
  for (const periodo of ["24h", "30d"] as const) {
    leituras.set(`um servidor ${periodo}`, await medir(() => obterEstatisticas(ids[0]!, periodo)));
  }
  const escrita = await gravar(g, ids, ESCRITAS, semente);
  return { leituras, escrita };
}

async function main() {
  const pasta = mkdtempSync(path.join(tmpdir(), "provedores-bench-gerais-"));
  const arquivo = path.join(pasta, "provedores-llm.db");
  process.env.DATABASE_URL = `file:${arquivo}`;
  // The schema as the version before 0013 left it: the committed migrations before it.
  const anteriores = path.join(pasta, "migracoes-anteriores");
  cpSync(path.join(raiz, "db", "migrations"), anteriores, { recursive: true });
  const diario = path.join(anteriores, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(diario, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < ANTES_DE);
  writeFileSync(diario, JSON.stringify(journal));
  const { clienteLibsql, db, pragmasDaConexao } = await import("@/db/client");
  const { migrate } = await import("drizzle-orm/libsql/migrator");
  await clienteLibsql().executeMultiple(`PRAGMA journal_mode = WAL; ${pragmasDaConexao()}`);
  await migrate(db(), { migrationsFolder: anteriores });

  const ids: number[] = [];
  for (let n = 1; n <= SERVIDORES; n++) {
    const r = await clienteLibsql().execute({
      sql: "insert into provedores_llm (nome, nome_chave, slug, tipo, base_url) values (?, ?, ?, 'ollama', ?) returning id",
      args: [`bench-${n}`, `bench-${n}`, `bench-${n}`, `http://127.0.0.1:${n + 10}`],
    });
    ids.push(Number(r.rows[0]!.id));
  }
  const g = await import("@/lib/estatisticas/registrar");
  console.log(
    `Gravando ${TOTAL.toLocaleString("pt-BR")} requisições em ${SERVIDORES} servidores ao longo de ${DIAS} dias (esquema até 0012)…`,
  );
  const t0 = performance.now();
  const taxaSemeadura = await gravar(g, ids, TOTAL, 0);
  const tamanho = () => `${(statSync(arquivo).size / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `Gravadas em ${((performance.now() - t0) / 1000).toFixed(1)} s (${Math.round(taxaSemeadura)} registros/s); banco com ${tamanho()}.`,
  );
  const contar = async () => {
    const tabelas = [
      "estatisticas_modelos",
      "histogramas_latencia",
      "estatisticas_portas",
      "histogramas_latencia_portas",
      "estatisticas_chaves",
      "histogramas_latencia_chaves",
    ];
    const r = await clienteLibsql().batch(
      tabelas.map((t) => `select count(*) n from ${t}`),
      "read",
    );
    return tabelas.map((t, i) => `${t} ${Number(r[i]!.rows[0]!.n).toLocaleString("pt-BR")}`).join(", ");
  };
  console.log(`Linhas: ${await contar()}.`);

  console.log("\nMedindo antes de 0013 (tabelas com rowid)…");
  const antes = await medirLado(ids, g, TOTAL);

  const { migrarEsquema } = await import("@/db/migrar");
  const tm = performance.now();
  await migrarEsquema();
  const migracao = (performance.now() - tm) / 1000;
  const sem = await clienteLibsql().execute("select count(*) n from sqlite_schema where type = 'table' and sql like '%WITHOUT ROWID%'");
  console.log(`Migração 0013 em ${migracao.toFixed(1)} s (${Number(sem.rows[0]!.n)} tabelas sem rowid); banco com ${tamanho()}.`);

  console.log("Medindo depois de 0013 (WITHOUT ROWID)…");
  // The reads of "after" see ESCRITAS more requests than those of "before" (its write measure): 5 % of the rows.
  const depois = await medirLado(ids, g, TOTAL + ESCRITAS);

  console.log(`\n${SERVIDORES} servidores, ${TOTAL.toLocaleString("pt-BR")} requisições; ${LEITURAS} leituras de cada (ms)`);
  console.log("leitura                               antes p50  antes p95  depois p50  depois p95   meta");
  for (const [nome, a] of antes.leituras) {
    const d = depois.leituras.get(nome)!;
    const meta = nome.startsWith("gerais") ? "≤ 300 (p95)" : "";
    console.log(
      `${(nome.startsWith("gerais") ? `obterEstatisticasGerais(${nome.slice(7)})` : `obterEstatisticas(1, ${nome.slice(12)})`).padEnd(36)}${a.p50.toFixed(1).padStart(10)}${a.p95.toFixed(1).padStart(11)}${d.p50.toFixed(1).padStart(12)}${d.p95.toFixed(1).padStart(12)}   ${meta}`,
    );
  }
  console.log(
    `gravação (${ESCRITAS.toLocaleString("pt-BR")} registros, registros/s)   ${Math.round(antes.escrita).toString().padStart(10)}${"".padStart(11)}${Math.round(depois.escrita).toString().padStart(12)}`,
  );
  const { obterEstatisticasGerais } = await import("@/lib/estatisticas/consultar-estatisticas");
  const total = (await obterEstatisticasGerais("30d")).total_requisicoes;
  const esperado = TOTAL + 2 * ESCRITAS;
  const dentro = [...depois.leituras].every(([nome, m]) => !nome.startsWith("gerais") || m.p95 <= 300);
  console.log(`\n30 dias: ${total.toLocaleString("pt-BR")} requisições contadas (esperadas ${esperado.toLocaleString("pt-BR")}).`);
  console.log(
    `${dentro && total === esperado ? "OK  " : "FORA"} estatísticas gerais ≤ 300 ms (p95) em todo período depois de 0013, com todas as requisições contadas`,
  );
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
