// `npm run bench`: what the app adds on top of an LLM server, measured against calling that server directly
// in the same run. Starts a fast test server (llama.cpp's API) and the built app, then reports ratios.
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { encerrar, executar, filho, iniciarApp, percentil, primeiraLinha, raiz } from "./bench-comum";

const N_SEQUENCIAL = Number(process.env.BENCH_N ?? 1000);
const N_CONCORRENTE = Number(process.env.BENCH_N_CONCORRENTE ?? 4000);
/** `npm run bench -- --soak=10`: instead of the comparison, a steady load for that many minutes, printing RSS. */
const MINUTOS_SOAK = Number(process.argv.find((a) => a.startsWith("--soak="))?.slice("--soak=".length) ?? 0);
const CONCORRENCIA = 32;
const agente = new http.Agent({ keepAlive: true, maxSockets: 64 });

type Medida = { total: number; primeiroByte: number; status: number };

/** One POST with keep-alive; `primeiroConteudo` marks when the first piece of text arrived. */
function post(url: string, corpo: unknown, marcaConteudo: string): Promise<Medida> {
  return new Promise((resolve, reject) => {
    const dados = Buffer.from(JSON.stringify(corpo));
    const inicio = performance.now();
    let primeiroByte = 0;
    const req = http.request(
      url,
      { method: "POST", agent: agente, headers: { "content-type": "application/json", "content-length": dados.byteLength } },
      (res) => {
        let visto = "";
        res.on("data", (c: Buffer) => {
          if (!primeiroByte) {
            visto += c.toString();
            if (visto.includes(marcaConteudo)) primeiroByte = performance.now() - inicio;
          }
        });
        res.on("end", () =>
          resolve({
            total: performance.now() - inicio,
            primeiroByte: primeiroByte || performance.now() - inicio,
            status: res.statusCode ?? 0,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(dados);
  });
}

type Resumo = { p50: number; p99: number; ttft50: number; ttft99: number };

function resumir(medidas: Medida[]): Resumo {
  const totais = medidas.map((m) => m.total);
  const primeiros = medidas.map((m) => m.primeiroByte);
  return {
    p50: percentil(totais, 0.5),
    p99: percentil(totais, 0.99),
    ttft50: percentil(primeiros, 0.5),
    ttft99: percentil(primeiros, 0.99),
  };
}

/**
 * Concurrency 1, direct and through the app in alternating blocks of 50: each side stays warm within a
 * block, and the machine's drift over the run hits both alike.
 */
async function sequencial(direto: () => Promise<Medida>, app: () => Promise<Medida>, n: number): Promise<[Resumo, Resumo]> {
  const d: Medida[] = [];
  const a: Medida[] = [];
  const BLOCO = 50;
  for (let feitos = 0; feitos < n; feitos += BLOCO) {
    for (const [f, lista] of [
      [direto, d],
      [app, a],
    ] as const) {
      for (let i = 0; i < Math.min(BLOCO, n - feitos); i++) {
        const m = await f();
        if (m.status !== 200) throw new Error(`HTTP ${m.status}`);
        lista.push(m);
      }
    }
  }
  return [resumir(d), resumir(a)];
}

async function vazao(f: () => Promise<Medida>, n: number, concorrencia: number) {
  let feitos = 0;
  let erros = 0;
  const medidas: Medida[] = [];
  const inicio = performance.now();
  await Promise.all(
    Array.from({ length: concorrencia }, async () => {
      while (feitos < n) {
        feitos += 1;
        const m = await f();
        medidas.push(m);
        if (m.status !== 200) erros += 1;
      }
    }),
  );
  return { rps: n / ((performance.now() - inicio) / 1000), erros, resumo: resumir(medidas) };
}

/** Resident memory of the app's server (scripts/start.mjs runs it in its own process), from /proc, in MiB. */
function memoriaDoApp(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

const fmt = (v: number, casas = 2) => v.toFixed(casas).padStart(8);

/**
 * A steady load (concurrency 4, the four kinds of call in turn) for `minutos`, printing the app's RSS every
 * 30 s. Memory should stay flat (±10%) after the first minute; the last line says whether it did.
 */
async function soak(minutos: number, chamadas: (() => Promise<Medida>)[], rss: () => number | null) {
  console.log(`Carga contínua por ${minutos} min (concorrência 4); memória residente do app a cada 30 s:`);
  const fim = Date.now() + minutos * 60_000;
  const amostras: { t: number; mib: number }[] = [];
  let feitas = 0;
  let erros = 0;
  const inicio = Date.now();
  const medir = setInterval(() => {
    const mib = rss();
    if (mib === null) return;
    amostras.push({ t: Date.now() - inicio, mib });
    console.log(
      `  ${String(Math.round((Date.now() - inicio) / 1000)).padStart(5)} s  ${String(mib).padStart(5)} MiB  (${feitas} requisições)`,
    );
  }, 30_000);
  await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      for (let n = i; Date.now() < fim; n++) {
        const m = await chamadas[n % chamadas.length]!();
        feitas += 1;
        if (m.status !== 200) erros += 1;
      }
    }),
  );
  clearInterval(medir);
  const depoisDoPrimeiroMinuto = amostras.filter((a) => a.t >= 60_000).map((a) => a.mib);
  if (depoisDoPrimeiroMinuto.length >= 2) {
    const min = Math.min(...depoisDoPrimeiroMinuto);
    const max = Math.max(...depoisDoPrimeiroMinuto);
    const media = depoisDoPrimeiroMinuto.reduce((a, b) => a + b, 0) / depoisDoPrimeiroMinuto.length;
    const estavel = max <= media * 1.1 && min >= media * 0.9;
    console.log(
      `\n${estavel ? "OK   " : "FORA "} memória estável (±10%) depois do 1º minuto: ${min}–${max} MiB, média ${media.toFixed(0)} MiB; ${feitas} requisições, ${erros} erros`,
    );
  } else {
    console.log(`\n${feitas} requisições, ${erros} erros (soak curto demais para julgar a estabilidade: use ao menos 2 min)`);
  }
}

async function main() {
  console.log("Preparando: build (se preciso), servidor de teste e aplicação…");
  const falso = filho(path.join(raiz, "node_modules/.bin/tsx"), [path.join(raiz, "tests/servidores/iniciar.ts"), "llama_cpp"]);
  const { url: urlFalso } = JSON.parse(await primeiraLinha(falso, /^\{"url"/, 30_000)) as { url: string };

  const { url: urlApp, processo: app } = await iniciarApp();

  const criado = await fetch(`${urlApp}/api/provedores-llm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nome: "bench", tipo: "llama_cpp", base_url: urlFalso, modelo_padrao: "bench-model" }),
  });
  const { id } = (await criado.json()) as { id: number };

  const mensagens = [{ role: "user", content: "Diga olá." }];
  const direto = (stream: boolean) => () =>
    post(
      `${urlFalso}/v1/chat/completions`,
      { model: "bench-model", messages: mensagens, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) },
      stream ? '"content":"' : "{",
    );
  const viaApp = (stream: boolean) => () =>
    post(`${urlApp}/api/provedores-llm/${id}/requisicao`, { mensagens, stream }, stream ? "event: delta" : "{");
  // The same call as `direto`, through the OpenAI-compatible gateway.
  const viaGateway = (stream: boolean) => () =>
    post(
      `${urlApp}/v1/chat/completions`,
      { model: "bench-model", messages: mensagens, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) },
      stream ? '"content":"' : "{",
    );
  // The gateway routes from the model cache: fill it.
  await fetch(`${urlApp}/api/provedores-llm/${id}/testar`, { method: "POST" });

  // Memory at rest: after start-up and one visit to every page, once the app has settled.
  const paginas = ["", "/novo", "/api", ...["detalhes", "editar", "testar", "modelos", "estatisticas"].map((p) => `/${id}/${p}`)];
  for (const pagina of paginas) {
    const r = await fetch(`${urlApp}/provedores-llm${pagina}`);
    if (r.status !== 200) throw new Error(`página /provedores-llm${pagina}: ${r.status}`);
    await r.arrayBuffer();
  }
  await new Promise((r) => setTimeout(r, 5_000));
  const rssEmRepouso = memoriaDoApp(app.pid!);
  let picoRss = rssEmRepouso ?? 0;
  const amostrarPico = setInterval(() => {
    picoRss = Math.max(picoRss, memoriaDoApp(app.pid!) ?? 0);
  }, 100);

  if (MINUTOS_SOAK > 0) {
    await soak(MINUTOS_SOAK, [viaApp(false), viaApp(true), viaGateway(false), viaGateway(true)], () => memoriaDoApp(app.pid!));
    encerrar();
    process.exit(0);
  }

  console.log("Aquecendo…");
  await sequencial(direto(false), viaApp(false), 300);
  await sequencial(direto(true), viaApp(true), 300);
  await sequencial(direto(false), viaGateway(false), 300);
  await sequencial(direto(true), viaGateway(true), 300);

  console.log(`Concorrência 1, ${N_SEQUENCIAL} requisições de cada tipo, alternando blocos diretos e pela aplicação…`);
  const [d, a] = await sequencial(direto(false), viaApp(false), N_SEQUENCIAL);
  const [ds, as] = await sequencial(direto(true), viaApp(true), N_SEQUENCIAL);
  console.log(`/v1/chat/completions: concorrência 1, ${N_SEQUENCIAL} de cada tipo, e concorrência 16…`);
  const [dg, g] = await sequencial(direto(false), viaGateway(false), N_SEQUENCIAL);
  const [dgs, gs] = await sequencial(direto(true), viaGateway(true), N_SEQUENCIAL);
  const c16Direto = await vazao(direto(false), N_SEQUENCIAL * 2, 16);
  const c16Gateway = await vazao(viaGateway(false), N_SEQUENCIAL * 2, 16);

  // Let the earlier phases' statistics land before taking the baseline.
  await new Promise((r) => setTimeout(r, 500));
  const antes = (await (await fetch(`${urlApp}/api/provedores-llm/${id}/estatisticas?periodo=1h`)).json()) as { total_requisicoes: number };
  console.log(`Concorrência ${CONCORRENCIA}, ${N_CONCORRENTE} requisições…`);
  const vDireto = await vazao(direto(false), N_CONCORRENTE, CONCORRENCIA);
  const vApp = await vazao(viaApp(false), N_CONCORRENTE, CONCORRENCIA);
  const vGateway = await vazao(viaGateway(false), N_CONCORRENTE, CONCORRENCIA);

  // Every request must be in the statistics (they are written after each answer): both front doors count.
  let registrados = 0;
  const fim = Date.now() + 20_000;
  while (Date.now() < fim) {
    const s = (await (await fetch(`${urlApp}/api/provedores-llm/${id}/estatisticas?periodo=1h`)).json()) as { total_requisicoes: number };
    registrados = s.total_requisicoes - antes.total_requisicoes;
    if (registrados === 2 * N_CONCORRENTE) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const linhas: [string, number, number, number, string][] = [
    ["simples: p50 (ms)", d.p50, a.p50, a.p50 - d.p50, "≤ 2 ms a mais"],
    ["simples: p99 (ms)", d.p99, a.p99, a.p99 - d.p99, "≤ 10 ms a mais"],
    ["stream: p50 total (ms)", ds.p50, as.p50, as.p50 - ds.p50, "≤ 2 ms a mais"],
    ["stream: p99 total (ms)", ds.p99, as.p99, as.p99 - ds.p99, "≤ 10 ms a mais"],
    ["stream: 1º token p50 (ms)", ds.ttft50, as.ttft50, as.ttft50 - ds.ttft50, "≤ 2 ms a mais"],
    ["stream: 1º token p99 (ms)", ds.ttft99, as.ttft99, as.ttft99 - ds.ttft99, ""],
  ];
  console.log("\nmétrica                       direto      app   acrescido   razão app/direto   meta");
  for (const [nome, dir, app_, acr, meta] of linhas) {
    console.log(`${nome.padEnd(28)}${fmt(dir)} ${fmt(app_)}   ${fmt(acr)}   ${fmt(app_ / dir)}x           ${meta}`);
  }
  const linhasGateway: [string, number, number, number, string][] = [
    ["/v1 simples: p50 (ms)", dg.p50, g.p50, g.p50 - dg.p50, "≤ 1 ms a mais"],
    ["/v1 simples: p99 (ms)", dg.p99, g.p99, g.p99 - dg.p99, "≤ 3 ms a mais"],
    ["/v1 c=16: p99 (ms)", c16Direto.resumo.p99, c16Gateway.resumo.p99, c16Gateway.resumo.p99 - c16Direto.resumo.p99, "≤ 8 ms a mais"],
    ["/v1 stream: 1º token p50", dgs.ttft50, gs.ttft50, gs.ttft50 - dgs.ttft50, "≤ 1 ms a mais"],
    ["/v1 stream: 1º token p99", dgs.ttft99, gs.ttft99, gs.ttft99 - dgs.ttft99, ""],
  ];
  for (const [nome, dir, app_, acr, meta] of linhasGateway) {
    console.log(`${nome.padEnd(28)}${fmt(dir)} ${fmt(app_)}   ${fmt(acr)}   ${fmt(app_ / dir)}x           ${meta}`);
  }
  console.log(
    `\nvazão com concorrência ${CONCORRENCIA}: direto ${vDireto.rps.toFixed(0)} req/s, requisicao ${vApp.rps.toFixed(0)} req/s ` +
      `(razão ${(vApp.rps / vDireto.rps).toFixed(2)}x; meta ≥ 500 req/s), /v1 ${vGateway.rps.toFixed(0)} req/s (razão ${(vGateway.rps / vDireto.rps).toFixed(2)}x), ` +
      `erros ${vApp.erros + vGateway.erros}, registradas ${registrados}/${2 * N_CONCORRENTE}`,
  );
  clearInterval(amostrarPico);
  const rss = memoriaDoApp(app.pid!);
  console.log(
    `memória residente do app: em repouso depois de visitar as ${paginas.length} páginas ${rssEmRepouso ?? "?"} MiB, ` +
      `pico durante o bench ${picoRss} MiB, depois da carga ${rss ?? "?"} MiB`,
  );
  const metas = [
    ["acréscimo p50 ≤ 2 ms", a.p50 - d.p50 <= 2],
    ["acréscimo p99 ≤ 10 ms", a.p99 - d.p99 <= 10],
    ["1º token ≤ 2 ms depois do direto (p50)", as.ttft50 - ds.ttft50 <= 2],
    ["≥ 500 req/s com concorrência 32", vApp.rps >= 500],
    ["/v1: acréscimo p50 ≤ 1 ms", g.p50 - dg.p50 <= 1],
    ["/v1: acréscimo p99 ≤ 3 ms", g.p99 - dg.p99 <= 3],
    ["/v1: acréscimo p99 ≤ 8 ms com concorrência 16", c16Gateway.resumo.p99 - c16Direto.resumo.p99 <= 8],
    ["/v1: 1º token ≤ 1 ms depois do direto (p50)", gs.ttft50 - dgs.ttft50 <= 1],
    ["/v1: vazão ≥ a de requisicao com concorrência 32", vGateway.rps >= vApp.rps],
    ["memória em repouso ≤ 150 MiB", rssEmRepouso !== null && rssEmRepouso <= 150],
    ["memória no pico do bench ≤ 200 MiB", picoRss <= 200],
    ["todas as requisições registradas", registrados === 2 * N_CONCORRENTE && vApp.erros === 0 && vGateway.erros === 0],
  ] as const;
  console.log("");
  for (const [meta, ok] of metas) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
  encerrar();
  process.exit(0);
}

executar(main);
