// Two phases of `npm run bench` about the providers' queue (lib/fila):
// - medirFila: what the queue costs a request that does not wait, /v1 and …/requisicao on two providers of one
//   server, one without a limit and one with a limit far above the load, in the same alternating blocks as the
//   direct call and the minimal relay; and, in a process of its own, `filaDo(linha).entrar(…)` + `liberar()`.
// - medirStreams: many streams at once to a provider without a limit (5000 by default): all answered, the first
//   token against a direct call with as many at once, and the app's resident memory per open stream.
import { createClient } from "@libsql/client";
import { build } from "esbuild";
import http from "node:http";
import path from "node:path";
import { filho, percentil, primeiraLinha, raiz } from "./bench-comum";
import { cpuDe, fmt, type Medida, memoriaEmKiB, post, sequencial } from "./bench-medidas";
import { OPCOES_NODE } from "./opcoes-node.mjs";

/** The limit "far above the load": the bench's concurrency is 1 here. */
const LIMITE_ALTO = 10_000;
const MODELO_FILA = "bench-fila";
export const MODELO_STREAMS = "bench-streams";

type Provedor = { id: number; slug: string };

async function criar(urlApp: string, corpo: Record<string, unknown>): Promise<Provedor> {
  const r = await fetch(`${urlApp}/api/provedores-llm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(corpo),
  });
  if (r.status !== 201 && r.status !== 200) throw new Error(`cadastro de ${String(corpo.nome)}: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()) as Provedor;
}

async function testar(urlApp: string, id: number): Promise<void> {
  const r = await fetch(`${urlApp}/api/provedores-llm/${id}/testar`, { method: "POST" });
  if (r.status !== 200) throw new Error(`teste de conexão do provedor ${id}: HTTP ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

/**
 * A provider's concurrency limit, written in the app's database before the app reads the row (the REST contract
 * may not take the field yet; the columns are main's, migration 0011). The app's GET must then show it.
 */
async function definirLimite(urlApp: string, dataDir: string, id: number, maxConcorrencia: number): Promise<void> {
  const banco = createClient({ url: `file:${path.join(dataDir, "provedores-llm.db")}` });
  try {
    await banco.execute("PRAGMA busy_timeout = 5000");
    await banco.execute({ sql: "UPDATE provedores_llm SET max_concorrencia = ? WHERE id = ?", args: [maxConcorrencia, id] });
  } finally {
    banco.close();
  }
  const lido = (await (await fetch(`${urlApp}/api/provedores-llm/${id}`)).json()) as { max_concorrencia?: number | null };
  if (lido.max_concorrencia !== maxConcorrencia) {
    throw new Error(`o provedor ${id} não ficou com max_concorrencia ${maxConcorrencia}: ${JSON.stringify(lido.max_concorrencia)}`);
  }
}

/**
 * The micro-measure, bundled as the app's server is (scripts/compilar-servidor.mjs: esbuild, `server-only` empty;
 * tsx would add a `__name` call per closure the app does not have) and run with the app's V8 options.
 */
async function microDaFila(pares: number): Promise<{ ns_sem_limite: number; ns_limite_alto: number }> {
  const saida = path.join(raiz, ".next", "bench-fila-micro.mjs");
  await build({
    entryPoints: [path.join(raiz, "scripts/bench-fila-micro.ts")],
    outfile: saida,
    absWorkingDir: raiz,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(raiz, "tsconfig.json"),
    logLevel: "warning",
    plugins: [
      {
        name: "server-only",
        setup(b) {
          b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "marca-server-only" }));
          b.onLoad({ filter: /.*/, namespace: "marca-server-only" }, () => ({ contents: "", loader: "js" }));
        },
      },
    ],
  });
  const p = filho(process.execPath, [...OPCOES_NODE, saida, String(pares)]);
  return JSON.parse(await primeiraLinha(p, /^\{"pares"/, 300_000)) as { ns_sem_limite: number; ns_limite_alto: number };
}

/**
 * "Fila sem espera": the same server behind two providers of the same type, `max_concorrencia: 0` (no limit) and
 * LIMITE_ALTO, pinned by slug on /v1 and by id on …/requisicao, in alternating blocks with the direct call and the
 * minimal relay to that server. Both providers go through the queue (a place taken and given back); the
 * difference is the limit's bookkeeping, and the micro-measure gives the whole pair's cost without the noise.
 */
export async function medirFila(
  urlApp: string,
  dataDir: string,
  urlServidor: string,
  urlRelay: string,
  n: number,
): Promise<[string, boolean][]> {
  console.log(`\nFila: dois provedores do mesmo servidor, sem limite e com limite ${LIMITE_ALTO}, concorrência 1…`);
  const provedores: Provedor[] = [];
  for (const [nome, limite] of [
    ["bench-fila-sem-limite", 0],
    ["bench-fila-limite-alto", LIMITE_ALTO],
  ] as const) {
    const p = await criar(urlApp, { nome, tipo: "llama_cpp", base_url: urlServidor, modelo_padrao: MODELO_FILA });
    await definirLimite(urlApp, dataDir, p.id, limite);
    await testar(urlApp, p.id);
    provedores.push(p);
  }
  const [semLimite, limiteAlto] = provedores as [Provedor, Provedor];
  const mensagens = [{ role: "user", content: "Diga olá." }];
  const chat = (modelo: string) => ({ model: modelo, messages: mensagens, stream: false });
  const formas = [
    () => post(`${urlServidor}/v1/chat/completions`, chat(MODELO_FILA), "{"),
    () => post(`${urlRelay}/v1/chat/completions`, chat(MODELO_FILA), "{"),
    () => post(`${urlApp}/v1/chat/completions`, chat(`${semLimite.slug}/${MODELO_FILA}`), "{", '"finish_reason":"stop"'),
    () => post(`${urlApp}/v1/chat/completions`, chat(`${limiteAlto.slug}/${MODELO_FILA}`), "{", '"finish_reason":"stop"'),
    () => post(`${urlApp}/api/provedores-llm/${semLimite.id}/requisicao`, { mensagens, stream: false }, "{", '"conteudo"'),
    () => post(`${urlApp}/api/provedores-llm/${limiteAlto.id}/requisicao`, { mensagens, stream: false }, "{", '"conteudo"'),
  ];
  await sequencial(formas, Math.min(200, n));
  const [d, r, v0, vAlto, q0, qAlto] = await sequencial(formas, n);
  console.log("Fila: 10⁶ pares entrar + liberar no processo (CPU do processo, o melhor de 3)…");
  const micro = await microDaFila(1_000_000);

  const linhas: [string, number, number, number][] = [
    ["/v1 sem limite: p50", d!.p50, r!.p50, v0!.p50],
    [`/v1 limite ${LIMITE_ALTO}: p50`, d!.p50, r!.p50, vAlto!.p50],
    ["/v1 sem limite: p99", d!.p99, r!.p99, v0!.p99],
    [`/v1 limite ${LIMITE_ALTO}: p99`, d!.p99, r!.p99, vAlto!.p99],
    ["requisicao sem limite: p50", d!.p50, r!.p50, q0!.p50],
    [`requisicao limite ${LIMITE_ALTO}: p50`, d!.p50, r!.p50, qAlto!.p50],
    ["requisicao sem limite: p99", d!.p99, r!.p99, q0!.p99],
    [`requisicao limite ${LIMITE_ALTO}: p99`, d!.p99, r!.p99, qAlto!.p99],
  ];
  console.log("\nms (fila)                          direto   relay mínimo (+)      app (+)        razão app/direto   razão app/relay");
  for (const [nome, dir, rel, app] of linhas) {
    console.log(
      `${nome.padEnd(32)}${fmt(dir)} ${fmt(rel)} (${fmt(rel - dir)
        .trim()
        .padStart(6)}) ${fmt(app)} (${fmt(app - dir)
        .trim()
        .padStart(6)})   ${fmt(app / dir)}x         ${fmt(app / rel)}x`,
    );
  }
  console.log(
    `limite ${LIMITE_ALTO} − sem limite, ms: /v1 p50 ${dif(vAlto!.p50, v0!.p50)}, p99 ${dif(vAlto!.p99, v0!.p99)}; ` +
      `requisicao p50 ${dif(qAlto!.p50, q0!.p50)}, p99 ${dif(qAlto!.p99, q0!.p99)}`,
  );
  console.log(
    `filaDo(linha).entrar(…) + liberar(), 10⁶ pares no processo: ${micro.ns_sem_limite.toFixed(0)} ns por par sem limite, ` +
      `${micro.ns_limite_alto.toFixed(0)} ns com limite ${LIMITE_ALTO} (CPU do processo, o melhor de 3 rodadas)`,
  );
  const pior = Math.max(vAlto!.p50 - v0!.p50, qAlto!.p50 - q0!.p50);
  return [
    [
      `fila sem espera ≤ 0,05 ms p50 (limite ${LIMITE_ALTO} − sem limite: /v1 ${dif(vAlto!.p50, v0!.p50)}, requisicao ${dif(qAlto!.p50, q0!.p50)} ms; ` +
        `entrar + liberar ${(micro.ns_limite_alto / 1000).toFixed(2)} µs)`,
      pior <= 0.05 && micro.ns_limite_alto <= 50_000,
    ],
  ];
}

const dif = (a: number, b: number, casas = 3) => `${a - b >= 0 ? "+" : ""}${(a - b).toFixed(casas)}`;

/** Streams started and not ended yet, of the burst under way. */
const emCurso = { abertos: 0 };

/** Requests started together, paced (`porLote` every 10 ms) so the listen backlog is not what is measured. */
async function rajada(n: number, f: () => Promise<Medida>, porLote = 100): Promise<Medida[]> {
  const todas: Promise<Medida>[] = [];
  for (let i = 0; i < n; i += porLote) {
    for (let j = i; j < Math.min(n, i + porLote); j++) {
      emCurso.abertos += 1;
      todas.push(
        f()
          .catch((e: unknown) => ({ total: 0, primeiroByte: 0, status: 0, erro: String(e) }))
          .finally(() => {
            emCurso.abertos -= 1;
          }),
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return Promise.all(todas);
}

/**
 * "Muitos streams ao mesmo tempo": `n` streams of /v1/chat/completions at once to an OpenAI-compatible test server
 * that holds each after its first token (`pausaMs`) then ends it, first straight to the server, then through the
 * app (a provider without a limit). The client opens a socket per stream (no cap); the app's resident memory is
 * sampled every 50 ms from /proc while its streams are open.
 */
export async function medirStreams(
  urlApp: string,
  pidApp: number,
  urlServidor: string,
  n: number,
  pausaMs: number,
): Promise<[string, boolean][]> {
  console.log(`\nStreams: ${n} ao mesmo tempo, cada um segurado ${pausaMs / 1000} s depois do 1º token (direto, depois pelo app)…`);
  const p = await criar(urlApp, { nome: "bench-streams", tipo: "openai_compativel", base_url: urlServidor, modelo_padrao: MODELO_STREAMS });
  await testar(urlApp, p.id);
  const agente = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const corpo = { model: MODELO_STREAMS, messages: [{ role: "user", content: "Diga olá." }], stream: true };
  const stream = (base: string) => () => post(`${base}/v1/chat/completions`, corpo, '"content":"Uma"', "data: [DONE]", undefined, agente);
  // Warm-up: each way once with a few, so the burst does not time the first compile of the path.
  await rajada(50, stream(urlServidor));
  await rajada(50, stream(urlApp));
  await new Promise((r) => setTimeout(r, 2000));

  const direto = await rajada(n, stream(urlServidor));
  // The direct burst's sockets at the server close after its keep-alive (5 s): let the machine settle.
  await new Promise((r) => setTimeout(r, 3000));
  const antes = memoriaEmKiB(pidApp) ?? 0;
  let pico = antes;
  let abertosNoPico = 0;
  let maisAbertos = 0;
  const amostrar = setInterval(() => {
    const agora = memoriaEmKiB(pidApp) ?? 0;
    maisAbertos = Math.max(maisAbertos, emCurso.abertos);
    if (agora > pico) {
      pico = agora;
      abertosNoPico = emCurso.abertos;
    }
  }, 50);
  const cpu0 = cpuDe(pidApp);
  const app = await rajada(n, stream(urlApp));
  const cpuPorStream = (cpuDe(pidApp) - cpu0) / n;
  clearInterval(amostrar);
  agente.destroy();

  const ok = (ms: Medida[]) => ms.filter((m) => m.status === 200 && !m.erro);
  const [okDireto, okApp] = [ok(direto), ok(app)];
  const erro = app.find((m) => m.status !== 200 || m.erro) ?? direto.find((m) => m.status !== 200 || m.erro);
  const primeiro = (ms: Medida[], q: number) => percentil(ms.length ? ms.map((m) => m.primeiroByte) : [0], q);
  const total = (ms: Medida[], q: number) => percentil(ms.length ? ms.map((m) => m.total) : [0], q);
  const porStream = ((pico - antes) / n).toFixed(1);
  console.log("\nms (streams)                 direto      app (+)");
  for (const [nome, f, q] of [
    ["1º token p50", primeiro, 0.5],
    ["1º token p99", primeiro, 0.99],
    ["total p50", total, 0.5],
    ["total p99", total, 0.99],
  ] as const) {
    const [a, b] = [f(okDireto, q), f(okApp, q)];
    console.log(`${nome.padEnd(28)}${fmt(a)} ${fmt(b)} (${dif(b, a, 2)})`);
  }
  console.log(
    `respondidos: direto ${okDireto.length}/${n}, app ${okApp.length}/${n}${erro ? ` (um erro: ${erro.erro ?? `HTTP ${erro.status}`})` : ""}; ` +
      `memória residente do app: antes ${(antes / 1024).toFixed(0)} MiB, pico ${(pico / 1024).toFixed(0)} MiB, ${porStream} KiB por stream; ` +
      `abertos no pico ${abertosNoPico} (no máximo ${maisAbertos}); CPU do app ${cpuPorStream.toFixed(2)} ms por stream`,
  );
  console.log(
    `1º token pelo app sobre o direto, com ${n} ao mesmo tempo: p50 ${dif(primeiro(okApp, 0.5), primeiro(okDireto, 0.5))} ms, ` +
      `p99 ${dif(primeiro(okApp, 0.99), primeiro(okDireto, 0.99))} ms (com o teto de 256 sockets, 1 000 streams: +4,1 s e +11 s)`,
  );
  return [
    [`streams: todos os ${n} respondidos pelo app (e direto)`, okApp.length === n && okDireto.length === n],
    [
      `≤ 40 KiB por stream com ${n} (${porStream} KiB: pico ${(pico / 1024).toFixed(0)} − antes ${(antes / 1024).toFixed(0)} MiB)`,
      (pico - antes) / n <= 40,
    ],
  ];
}
