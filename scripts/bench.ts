// `npm run bench`: what the app adds on top of an LLM server, measured against calling that server directly
// in the same run. Starts a fast test server (llama.cpp's API) and the built app, then reports ratios; then each
// door (Anthropic, Responses, Ollama), native and translated, against its own direct call (medirPortas), on two
// more test servers: a llama-server build without /v1/messages and /v1/responses, and an Ollama.
import path from "node:path";
import { encerrar, executar, filho, iniciarApp, primeiraLinha, raiz } from "./bench-comum";
import { MODELO_STREAMS, medirFila, medirStreams } from "./bench-fila";
import { medirTrocas } from "./bench-trocas";
import { cpuDe, fmt, type Medida, memoriaDoApp, post, type Resumo, sequencial, vazao } from "./bench-medidas";

const N_SEQUENCIAL = Number(process.env.BENCH_N ?? 1000);
const N_CONCORRENTE = Number(process.env.BENCH_N_CONCORRENTE ?? 4000);
/** Requests of each form in the doors' phase (14 forms, plain and streamed: about 1.5 min at the default BENCH_N). */
const N_PORTAS = Number(process.env.BENCH_N_PORTAS ?? N_SEQUENCIAL);
/** Requests of each side in the access keys' phase (a limited key beside no key), in alternating blocks. */
const N_CHAVES = Number(process.env.BENCH_N_CHAVES ?? N_SEQUENCIAL * 2);
/** `BENCH_SO_CHAVES=1`: only the access keys' phase (after the warm-up), to work on the key's cost alone. */
const SO_CHAVES = process.env.BENCH_SO_CHAVES === "1";
/** `npm run bench -- --soak=10`: instead of the comparison, a steady load for that many minutes, printing RSS. */
const MINUTOS_SOAK = Number(process.argv.find((a) => a.startsWith("--soak="))?.slice("--soak=".length) ?? 0);
const CONCORRENCIA = 32;
/** Streams open at once in the streams' phase, each held STREAM_PAUSA_MS after its first token. */
const N_STREAMS = Number(process.env.BENCH_N_STREAMS ?? 5000);
/**
 * Long enough for every stream to be open at once (the burst takes ~2 ms of the app's CPU per stream): with a
 * fixed 4 s the first ones ended before the last began, and the peak, with half of them open, was mostly garbage.
 */
const STREAM_PAUSA_MS = Math.max(4000, N_STREAMS * 4);
/** `BENCH_SO_STREAMS=1`: only the streams' phase, on an app just started. */
const SO_STREAMS = process.env.BENCH_SO_STREAMS === "1";
/** `BENCH_SO_TROCAS=1`: only the swaps' phase. */
const SO_TROCAS = process.env.BENCH_SO_TROCAS === "1";

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

/** What every test server of the bench answers; the doors' checks look for it. */
const RESPOSTA = "Uma resposta curta e rápida para medir o custo da aplicação.";
/** Its first token, the first text of a stream in every dialect (`"content":"Uma"`, `"text":"Uma"`, `"delta":"Uma"`). */
const PRIMEIRO_TOKEN = `:"${RESPOSTA.split(" ")[0]}"`;
const MODELO_TRADUZIDO = "bench-traduzido";
const MODELO_OLLAMA = "bench-ollama:latest";

type Enderecos = { llama: string; relay: string; semRotas: string; ollama: string };
/** A door's row: its direct call, the minimal relay's (native routes on the first server only), the app's. */
type LinhaDaPorta = { nome: string; direto: number; relay: number | null; app: number; traduzida: boolean };

/** Registers a provider through the REST API and fills its model cache (the doors route from it). */
async function registrar(urlApp: string, nome: string, tipo: string, base_url: string, modelo_padrao: string): Promise<number> {
  const criado = await fetch(`${urlApp}/api/provedores-llm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nome, tipo, base_url, modelo_padrao }),
  });
  if (criado.status !== 201 && criado.status !== 200) throw new Error(`cadastro de ${nome}: HTTP ${criado.status} ${await criado.text()}`);
  const { id } = (await criado.json()) as { id: number };
  const teste = await fetch(`${urlApp}/api/provedores-llm/${id}/testar`, { method: "POST" });
  if (teste.status !== 200) throw new Error(`teste de conexão de ${nome}: HTTP ${teste.status} ${await teste.text()}`);
  await teste.arrayBuffer();
  return id;
}

type UsoDaPorta = { porta: string | null; requisicoes: number; erros: number };

/** Calls and errors per door over these providers, from their statistics (the last hour). */
async function usoPorPorta(urlApp: string, ids: number[]): Promise<Map<string, { requisicoes: number; erros: number }>> {
  const soma = new Map<string, { requisicoes: number; erros: number }>();
  for (const id of ids) {
    const r = await fetch(`${urlApp}/api/provedores-llm/${id}/estatisticas?periodo=1h`);
    const { por_porta } = (await r.json()) as { por_porta: UsoDaPorta[] };
    for (const u of por_porta) {
      const antes = soma.get(u.porta ?? "") ?? { requisicoes: 0, erros: 0 };
      soma.set(u.porta ?? "", { requisicoes: antes.requisicoes + u.requisicoes, erros: antes.erros + u.erros });
    }
  }
  return soma;
}

/**
 * Each door against a direct call to the same server in the same alternating blocks, with /v1 and its direct
 * call in the blocks too, so the reference the native doors are held to carries the same noise. Native: the
 * server's own route through the door (llama-server's /v1/messages and /v1/responses; Ollama's /api/chat).
 * Translated: the door turned into OpenAI chat on a server without the route, against that server's chat.
 */
async function medirPortas(urlApp: string, url: Enderecos, idLlama: number): Promise<void> {
  console.log("\nPortas: cadastrando um llama-server sem /v1/messages nem /v1/responses e um Ollama…");
  const ids = [
    idLlama,
    await registrar(urlApp, "bench-sem-rotas", "llama_cpp", url.semRotas, MODELO_TRADUZIDO),
    await registrar(urlApp, "bench-ollama", "ollama", url.ollama, MODELO_OLLAMA),
  ];
  const usoAntes = await usoPorPorta(urlApp, ids);

  const mensagens = [{ role: "user", content: "Diga olá." }];
  const usoNoStream = (stream: boolean) => (stream ? { stream_options: { include_usage: true } } : {});
  // The marks each dialect's answer must carry: the whole text (or the first token, streamed), then its end.
  const marcas = {
    chat: (stream: boolean) => (stream ? [PRIMEIRO_TOKEN, "data: [DONE]"] : [`"content":"${RESPOSTA}"`, '"finish_reason":"stop"']),
    anthropic: (stream: boolean) =>
      stream ? [PRIMEIRO_TOKEN, "event: message_stop"] : [`"text":"${RESPOSTA}"`, '"stop_reason":"end_turn"'],
    responses: (stream: boolean) => (stream ? [PRIMEIRO_TOKEN, "response.completed"] : [`"text":"${RESPOSTA}"`, '"status":"completed"']),
    ollama: (stream: boolean) => (stream ? [PRIMEIRO_TOKEN, '"done":true'] : [`"content":"${RESPOSTA}"`, '"done":true']),
  };
  const chamada =
    (base: string, rota: string, dialeto: keyof typeof marcas, corpo: (stream: boolean) => Record<string, unknown>) =>
    (stream: boolean) => {
      const [conteudo, fim] = marcas[dialeto](stream) as [string, string];
      const dados = { ...corpo(stream), stream };
      return () => post(`${base}${rota}`, dados, conteudo, fim);
    };
  const chat =
    (modelo: string, extra: Record<string, unknown> = {}) =>
    (stream: boolean) => ({
      model: modelo,
      messages: mensagens,
      ...extra,
      ...usoNoStream(stream),
    });
  const anthropic = (modelo: string) => () => ({ model: modelo, max_tokens: 64, messages: mensagens });
  const responses = (modelo: string) => () => ({ model: modelo, input: "Diga olá." });
  const ollama = (modelo: string) => () => ({ model: modelo, messages: mensagens });

  const formas = {
    chatDireto: chamada(url.llama, "/v1/chat/completions", "chat", chat("bench-model")),
    v1: chamada(urlApp, "/v1/chat/completions", "chat", chat("bench-model")),
    anthropicDireto: chamada(url.llama, "/v1/messages", "anthropic", anthropic("bench-model")),
    anthropicRelay: chamada(url.relay, "/v1/messages", "anthropic", anthropic("bench-model")),
    anthropicNativa: chamada(urlApp, "/v1/messages", "anthropic", anthropic("bench-model")),
    responsesDireto: chamada(url.llama, "/v1/responses", "responses", responses("bench-model")),
    responsesRelay: chamada(url.relay, "/v1/responses", "responses", responses("bench-model")),
    responsesNativa: chamada(urlApp, "/v1/responses", "responses", responses("bench-model")),
    // What the translating doors send the older server (Anthropic's max_tokens kept; Responses sends no limit, the
    // answer is the same few tokens either way).
    chatSemRotas: chamada(url.semRotas, "/v1/chat/completions", "chat", chat(MODELO_TRADUZIDO, { max_tokens: 64 })),
    anthropicTraduzida: chamada(urlApp, "/v1/messages", "anthropic", anthropic(MODELO_TRADUZIDO)),
    responsesTraduzida: chamada(urlApp, "/v1/responses", "responses", responses(MODELO_TRADUZIDO)),
    // The Ollama door on llama-server is chat on the first server: its direct call is chatDireto.
    ollamaTraduzida: chamada(urlApp, "/api/chat", "ollama", ollama("bench-model:latest")),
    ollamaDireto: chamada(url.ollama, "/api/chat", "ollama", ollama(MODELO_OLLAMA)),
    ollamaNativa: chamada(urlApp, "/api/chat", "ollama", ollama(MODELO_OLLAMA)),
  };
  const nomes = Object.keys(formas) as (keyof typeof formas)[];
  const medir = async (stream: boolean, n: number) => {
    const resumos = await sequencial(
      nomes.map((k) => formas[k](stream)),
      n,
    );
    return Object.fromEntries(nomes.map((k, i) => [k, resumos[i]!])) as Record<keyof typeof formas, Resumo>;
  };

  const inicio = performance.now();
  console.log("Portas: aquecendo…");
  await medir(false, Math.min(200, N_PORTAS));
  await medir(true, Math.min(200, N_PORTAS));
  console.log(`Portas, concorrência 1: ${N_PORTAS} requisições de cada uma das ${nomes.length} formas, em blocos alternados…`);
  const inteira = await medir(false, N_PORTAS);
  const stream = await medir(true, N_PORTAS);

  // [door, its direct call, the relay's, the app's, translated]
  const portas: [string, keyof typeof formas, keyof typeof formas | null, keyof typeof formas, boolean][] = [
    ["anthropic nativa", "anthropicDireto", "anthropicRelay", "anthropicNativa", false],
    ["anthropic traduzida", "chatSemRotas", null, "anthropicTraduzida", true],
    ["responses nativa", "responsesDireto", "responsesRelay", "responsesNativa", false],
    ["responses traduzida", "chatSemRotas", null, "responsesTraduzida", true],
    ["ollama nativa", "ollamaDireto", null, "ollamaNativa", false],
    ["ollama traduzida", "chatDireto", null, "ollamaTraduzida", true],
  ];
  const linhas = (medidas: Record<keyof typeof formas, Resumo>, campo: keyof Resumo, sufixo: string): LinhaDaPorta[] => [
    { nome: `/v1 (referência)${sufixo}`, direto: medidas.chatDireto[campo], relay: null, app: medidas.v1[campo], traduzida: false },
    ...portas.map(([nome, direto, relay, app, traduzida]) => ({
      nome: `${nome}${sufixo}`,
      direto: medidas[direto][campo],
      relay: relay === null ? null : medidas[relay][campo],
      app: medidas[app][campo],
      traduzida,
    })),
  ];
  const grupos = [
    { titulo: "inteira, p50", linhas: linhas(inteira, "p50", ": p50"), alvo: true },
    { titulo: "inteira, p99", linhas: linhas(inteira, "p99", ": p99"), alvo: false },
    { titulo: "stream, 1º texto p50", linhas: linhas(stream, "ttft50", " stream: 1º p50"), alvo: true },
    { titulo: "stream, 1º texto p99", linhas: linhas(stream, "ttft99", " stream: 1º p99"), alvo: false },
  ];

  console.log("\nms (portas)                           direto   relay mínimo (+)      app (+)   (+) − (+) de /v1");
  const metas: [string, boolean][] = [];
  for (const grupo of grupos) {
    const [referencia, ...resto] = grupo.linhas as [LinhaDaPorta, ...LinhaDaPorta[]];
    const acrescimoV1 = referencia.app - referencia.direto;
    for (const l of grupo.linhas) {
      const acrescimo = l.app - l.direto;
      const relay =
        l.relay === null
          ? " ".repeat(19)
          : `${fmt(l.relay)} (${fmt(l.relay - l.direto)
              .trim()
              .padStart(6)})`;
      const contraV1 = l === referencia ? "" : `${acrescimo - acrescimoV1 >= 0 ? "+" : ""}${(acrescimo - acrescimoV1).toFixed(2)}`;
      console.log(
        `${l.nome.padEnd(34)}${fmt(l.direto)} ${relay} ${fmt(l.app)} (${fmt(acrescimo).trim().padStart(6)})   ${contraV1.padStart(8)}`,
      );
    }
    if (!grupo.alvo) continue;
    for (const l of resto) {
      const acrescimo = l.app - l.direto;
      metas.push(
        l.traduzida
          ? [`${l.nome}: tradução acrescenta ≤ 1 ms (acrescentou ${acrescimo.toFixed(2)})`, acrescimo <= 1]
          : [
              `${l.nome}: acréscimo ≤ o de /v1 + 0.2 ms (${acrescimo.toFixed(2)} contra ${acrescimoV1.toFixed(2)})`,
              acrescimo <= acrescimoV1 + 0.2,
            ],
      );
    }
  }
  // The translation's own cost: what a translated door adds beyond the same door passing through natively.
  const custo = (traduzida: keyof typeof formas, direta: keyof typeof formas, nativa: keyof typeof formas, base: keyof typeof formas) =>
    (inteira[traduzida].p50 - inteira[direta].p50 - (inteira[nativa].p50 - inteira[base].p50)).toFixed(2);
  console.log(
    `\ncusto da tradução, p50 (acréscimo da traduzida − o da nativa): anthropic ${custo("anthropicTraduzida", "chatSemRotas", "anthropicNativa", "anthropicDireto")} ms, ` +
      `responses ${custo("responsesTraduzida", "chatSemRotas", "responsesNativa", "responsesDireto")} ms, ` +
      `ollama ${custo("ollamaTraduzida", "chatDireto", "ollamaNativa", "ollamaDireto")} ms`,
  );

  // Every call of every door lands in the statistics under its door, none as an error.
  const esperadas = 2 * 2 * (Math.min(200, N_PORTAS) + N_PORTAS);
  const conferir = async () => {
    const agora = await usoPorPorta(urlApp, ids);
    return ["anthropic", "responses", "ollama"].map((porta) => {
      const a = agora.get(porta) ?? { requisicoes: 0, erros: 0 };
      const b = usoAntes.get(porta) ?? { requisicoes: 0, erros: 0 };
      return { porta, requisicoes: a.requisicoes - b.requisicoes, erros: a.erros - b.erros };
    });
  };
  let registradas = await conferir();
  const limite = Date.now() + 20_000;
  while (registradas.some((u) => u.requisicoes < esperadas) && Date.now() < limite) {
    await new Promise((r) => setTimeout(r, 100));
    registradas = await conferir();
  }
  for (const u of registradas)
    metas.push([
      `${u.porta}: requisições registradas sob a porta ${u.requisicoes}/${esperadas}, erros ${u.erros}`,
      u.requisicoes === esperadas && u.erros === 0,
    ]);

  console.log(`fase das portas: ${((performance.now() - inicio) / 1000).toFixed(0)} s`);
  console.log("");
  for (const [meta, ok] of metas) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
}

async function main() {
  console.log("Preparando: build (se preciso), servidor de teste e aplicação…");
  const servidorDeTeste = async (tipo: string, opcoes: Record<string, unknown>) => {
    const p = filho(path.join(raiz, "node_modules/.bin/tsx"), [
      path.join(raiz, "tests/servidores/iniciar.ts"),
      tipo,
      "0",
      JSON.stringify({ resposta: RESPOSTA, ...opcoes }),
    ]);
    return (JSON.parse(await primeiraLinha(p, /^\{"url"/, 30_000)) as { url: string }).url;
  };
  // The doors' phase also needs an older llama-server (no /v1/messages, no /v1/responses: the doors translate to
  // chat) and an Ollama (0.12: /api/chat native, Anthropic's route absent), each with a model of its own.
  // The queue's phase has a server of its own (its providers' model is nobody else's: /v1 "bench-model" keeps one
  // provider), and the streams' phase an OpenAI-compatible one that holds each stream after its first token.
  const [urlFalso, urlSemRotas, urlOllama, urlFila, urlStreams] = await Promise.all([
    SO_STREAMS ? "" : servidorDeTeste("llama_cpp", { modelo: "bench-model" }),
    SO_STREAMS ? "" : servidorDeTeste("llama_cpp", { modelo: MODELO_TRADUZIDO, semMensagensAnthropic: true, semResponses: true }),
    SO_STREAMS ? "" : servidorDeTeste("ollama", { modelo: MODELO_OLLAMA }),
    SO_STREAMS ? "" : servidorDeTeste("llama_cpp", { modelo: "bench-fila" }),
    servidorDeTeste("openai_compativel", { modelo: MODELO_STREAMS, pausaNoStreamMs: STREAM_PAUSA_MS }),
  ]);

  // PORTAS_SEM_CHAVE=1: the doors stay open on loopback without a key once the keys' phase creates one.
  const { url: urlApp, processo: app, dataDir } = await iniciarApp({ PORTAS_SEM_CHAVE: "1" });
  if (SO_TROCAS) {
    const metas = await medirTrocas(urlApp);
    console.log("");
    for (const [meta, ok] of metas) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
    encerrar();
    process.exit(0);
  }
  if (SO_STREAMS) {
    await new Promise((r) => setTimeout(r, 3_000));
    const metas = await medirStreams(urlApp, app.pid!, urlStreams, N_STREAMS, STREAM_PAUSA_MS);
    console.log("");
    for (const [meta, ok] of metas) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
    encerrar();
    process.exit(0);
  }

  const relayMinimo = async (alvo: string) => {
    const p = filho(process.execPath, [path.join(raiz, "scripts/relay-minimo.mjs"), alvo]);
    return { processo: p, url: (JSON.parse(await primeiraLinha(p, /^\{"url"/, 30_000)) as { url: string }).url };
  };
  const [{ processo: relay, url: urlRelay }, { url: urlRelayFila }] = await Promise.all([relayMinimo(urlFalso), relayMinimo(urlFila)]);

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
  // The same call as `direto`, through the least a Node program can do in between (scripts/relay-minimo.mjs).
  const viaRelay = (stream: boolean) => () =>
    post(
      `${urlRelay}/v1/chat/completions`,
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
  await sequencial([direto(false), viaRelay(false), viaApp(false), viaGateway(false)], 300);
  if (SO_CHAVES) {
    await medirChaves(urlApp, app.pid!);
    encerrar();
    process.exit(0);
  }
  await sequencial([direto(true), viaRelay(true), viaApp(true), viaGateway(true)], 300);

  console.log(`Concorrência 1: ${N_SEQUENCIAL} requisições de cada forma, em blocos alternados…`);
  const [d, r, a, g] = await sequencial([direto(false), viaRelay(false), viaApp(false), viaGateway(false)], N_SEQUENCIAL);
  const [ds, rs, as, gs] = await sequencial([direto(true), viaRelay(true), viaApp(true), viaGateway(true)], N_SEQUENCIAL);
  console.log(`Concorrência 16: ${N_SEQUENCIAL * 2} requisições de cada forma…`);
  const c16 = {
    direto: await vazao(direto(false), N_SEQUENCIAL * 2, 16),
    relay: await vazao(viaRelay(false), N_SEQUENCIAL * 2, 16),
    app: await vazao(viaApp(false), N_SEQUENCIAL * 2, 16),
    gateway: await vazao(viaGateway(false), N_SEQUENCIAL * 2, 16),
  };

  // Let the earlier phases' statistics land before taking the baseline.
  await new Promise((r) => setTimeout(r, 500));
  const antes = (await (await fetch(`${urlApp}/api/provedores-llm/${id}/estatisticas?periodo=1h`)).json()) as { total_requisicoes: number };
  console.log(`Concorrência ${CONCORRENCIA}, ${N_CONCORRENTE} requisições…`);
  const vDireto = await vazao(direto(false), N_CONCORRENTE, CONCORRENCIA);
  const cpuRelay0 = cpuDe(relay.pid!);
  const vRelay = await vazao(viaRelay(false), N_CONCORRENTE, CONCORRENCIA);
  const cpuRelay = (cpuDe(relay.pid!) - cpuRelay0) / N_CONCORRENTE;
  const cpuApp0 = cpuDe(app.pid!);
  const vApp = await vazao(viaApp(false), N_CONCORRENTE, CONCORRENCIA);
  const cpuApp = (cpuDe(app.pid!) - cpuApp0) / N_CONCORRENTE;
  const cpuGateway0 = cpuDe(app.pid!);
  const vGateway = await vazao(viaGateway(false), N_CONCORRENTE, CONCORRENCIA);
  const cpuGateway = (cpuDe(app.pid!) - cpuGateway0) / N_CONCORRENTE;

  // Every request must be in the statistics (they are written after each answer): both front doors count.
  let registrados = 0;
  const fim = Date.now() + 20_000;
  while (Date.now() < fim) {
    const s = (await (await fetch(`${urlApp}/api/provedores-llm/${id}/estatisticas?periodo=1h`)).json()) as { total_requisicoes: number };
    registrados = s.total_requisicoes - antes.total_requisicoes;
    if (registrados === 2 * N_CONCORRENTE) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  // [metric, direct, relay, app, target (ms added), target text]
  const linhas: [string, number, number, number, number | null, string][] = [
    ["requisicao: p50", d!.p50, r!.p50, a!.p50, 1, "≤ 1 ms a mais"],
    ["requisicao: p99", d!.p99, r!.p99, a!.p99, 2, "≤ 2 ms a mais"],
    ["requisicao c=16: p99", c16.direto.resumo.p99, c16.relay.resumo.p99, c16.app.resumo.p99, 5, "≤ 5 ms a mais"],
    ["requisicao stream: 1º p50", ds!.ttft50, rs!.ttft50, as!.ttft50, 2, "≤ 2 ms a mais"],
    ["requisicao stream: 1º p99", ds!.ttft99, rs!.ttft99, as!.ttft99, null, ""],
    ["requisicao stream: total p50", ds!.p50, rs!.p50, as!.p50, null, ""],
    ["/v1: p50", d!.p50, r!.p50, g!.p50, 1, "≤ 1 ms a mais"],
    ["/v1: p99", d!.p99, r!.p99, g!.p99, 3, "≤ 3 ms a mais"],
    ["/v1 c=16: p99", c16.direto.resumo.p99, c16.relay.resumo.p99, c16.gateway.resumo.p99, 8, "≤ 8 ms a mais"],
    ["/v1 stream: 1º p50", ds!.ttft50, rs!.ttft50, gs!.ttft50, 1, "≤ 1 ms a mais"],
    ["/v1 stream: 1º p99", ds!.ttft99, rs!.ttft99, gs!.ttft99, null, ""],
  ];
  console.log("\nms                              direto   relay mínimo (+)      app (+)        razão app/direto   meta");
  for (const [nome, dir, rel, app_, _meta, meta] of linhas) {
    console.log(
      `${nome.padEnd(28)}${fmt(dir)} ${fmt(rel)} (${fmt(rel - dir)
        .trim()
        .padStart(6)}) ${fmt(app_)} (${fmt(app_ - dir)
        .trim()
        .padStart(6)})   ${fmt(app_ / dir)}x         ${meta}`,
    );
  }
  console.log(
    `\nvazão com concorrência ${CONCORRENCIA}: direto ${vDireto.rps.toFixed(0)} req/s, relay mínimo ${vRelay.rps.toFixed(0)}, ` +
      `requisicao ${vApp.rps.toFixed(0)} (razão ${(vApp.rps / vDireto.rps).toFixed(2)}x; meta ≥ 500 req/s), /v1 ${vGateway.rps.toFixed(0)} ` +
      `(razão ${(vGateway.rps / vDireto.rps).toFixed(2)}x), erros ${vApp.erros + vGateway.erros}, registradas ${registrados}/${2 * N_CONCORRENTE}`,
  );
  console.log(
    `CPU por requisição com concorrência ${CONCORRENCIA}: relay mínimo ${(cpuRelay * 1000).toFixed(0)} µs, ` +
      `requisicao ${(cpuApp * 1000).toFixed(0)} µs, /v1 ${(cpuGateway * 1000).toFixed(0)} µs (o processo do app, de /proc; menos ruidoso que as latências)`,
  );
  clearInterval(amostrarPico);
  const rss = memoriaDoApp(app.pid!);
  console.log(
    `memória residente do app: em repouso depois de visitar as ${paginas.length} páginas ${rssEmRepouso ?? "?"} MiB, ` +
      `pico durante o bench ${picoRss} MiB, depois da carga ${rss ?? "?"} MiB`,
  );
  const metas: (readonly [string, boolean])[] = [
    ...linhas
      .filter(([, , , , alvo]) => alvo !== null)
      .map(([nome, dir, rel, app_, alvo]) => {
        const piso = rel - dir > alvo! ? ` (o relay mínimo já soma ${(rel - dir).toFixed(2)} ms nesta máquina)` : "";
        return [`${nome}: acréscimo ≤ ${alvo} ms${piso}`, app_ - dir <= alvo!] as const;
      }),
    ["≥ 500 req/s com concorrência 32 (requisicao)", vApp.rps >= 500],
    ["/v1: vazão ≥ a de requisicao com concorrência 32", vGateway.rps >= vApp.rps],
    ["memória em repouso ≤ 150 MiB", rssEmRepouso !== null && rssEmRepouso <= 150],
    ["memória no pico do bench ≤ 200 MiB", picoRss <= 200],
    ["todas as requisições registradas", registrados === 2 * N_CONCORRENTE && vApp.erros === 0 && vGateway.erros === 0],
  ];
  console.log("");
  for (const [meta, ok] of metas) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
  const metasDaFila = await medirFila(urlApp, dataDir, urlFila, urlRelayFila, N_SEQUENCIAL);
  console.log("");
  for (const [meta, ok] of metasDaFila) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
  const metasDasTrocas = await medirTrocas(urlApp);
  console.log("");
  for (const [meta, ok] of metasDasTrocas) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
  await medirPortas(urlApp, { llama: urlFalso, relay: urlRelay, semRotas: urlSemRotas, ollama: urlOllama }, id);
  await medirChaves(urlApp, app.pid!);
  // Last: thousands of sockets and the memory they take would weigh on the phases above.
  const metasDosStreams = await medirStreams(urlApp, app.pid!, urlStreams, N_STREAMS, STREAM_PAUSA_MS);
  console.log("");
  for (const [meta, ok] of metasDosStreams) console.log(`${ok ? "OK   " : "FORA "} ${meta}`);
  encerrar();
  process.exit(0);
}

/**
 * "Chave com limites ao lado de sem chave": the same /v1 call without a key (the admin, as every phase above) and
 * with an access key that has every limit, far from all of them, in alternating blocks of the same run. The
 * difference of the p50s is what the key's check (its row cached for 5 s) and its limits' accounting add.
 */
async function medirChaves(urlApp: string, pidApp: number): Promise<void> {
  const criada = await fetch(`${urlApp}/api/chaves`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      nome: "bench com limites",
      limite_rpm: 10_000_000,
      limite_tpm: 1_000_000_000_000,
      limite_concorrencia: 10_000,
      orcamento_tokens_dia: 1_000_000_000_000,
      orcamento_tokens_mes: 1_000_000_000_000,
    }),
  });
  if (criada.status !== 201) throw new Error(`criar a chave do bench: HTTP ${criada.status} ${await criada.text()}`);
  const { chave } = (await criada.json()) as { chave: string };
  const livre = await fetch(`${urlApp}/api/chaves`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nome: "bench sem limites" }),
  });
  if (livre.status !== 201) throw new Error(`criar a chave sem limites do bench: HTTP ${livre.status} ${await livre.text()}`);
  const { chave: chaveLivre } = (await livre.json()) as { chave: string };
  const corpo = { model: "bench-model", messages: [{ role: "user", content: "Diga olá." }], max_tokens: 64 };
  const semChave = () => post(`${urlApp}/v1/chat/completions`, corpo, "{", RESPOSTA.split(" ")[0]);
  const comChave = () => post(`${urlApp}/v1/chat/completions`, corpo, "{", RESPOSTA.split(" ")[0], { authorization: `Bearer ${chave}` });
  // A key without limits: what the gate's check costs by itself, so the limits' own share shows.
  const semLimites = () =>
    post(`${urlApp}/v1/chat/completions`, corpo, "{", RESPOSTA.split(" ")[0], { authorization: `Bearer ${chaveLivre}` });
  // The key's answers must carry its headers: a phase that measured an unlimited path would prove nothing.
  const prova = await fetch(`${urlApp}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${chave}` },
    body: JSON.stringify(corpo),
  });
  await prova.arrayBuffer();
  if (prova.status !== 200 || prova.headers.get("x-ratelimit-limit-requests") === null) {
    throw new Error(`a chave do bench não passou pelos limites: HTTP ${prova.status}`);
  }
  console.log(`
Chaves: ${N_CHAVES} requisições /v1 de cada lado (sem chave, chave com limites longe deles), em blocos alternados…`);
  await sequencial([semChave, semLimites, comChave], 200);
  const [sem, livreR, com] = await sequencial([semChave, semLimites, comChave], N_CHAVES);
  const diferenca = com!.p50 - sem!.p50;
  console.log("ms                              sem chave   chave sem limites (+)   chave com limites (+)");
  for (const [nome, q] of [
    ["/v1: p50", "p50"],
    ["/v1: p99", "p99"],
  ] as const) {
    console.log(
      `${nome.padEnd(28)}${fmt(sem![q], 3)}    ${fmt(livreR![q], 3)} (${fmt(livreR![q] - sem![q], 3).trim()})` +
        `      ${fmt(com![q], 3)} (${fmt(com![q] - sem![q], 3).trim()})`,
    );
  }
  // The app's CPU per request of each side (from /proc, in alternating rounds at concurrency 8): what the key's
  // check and limits cost the process itself; on a busy shared machine it varies too much for small differences.
  const cpu = [0, 0, 0];
  const RODADAS = 4;
  const porRodada = Math.max(200, Math.floor(N_CHAVES / RODADAS));
  for (let rodada = 0; rodada < RODADAS; rodada++) {
    for (const [i, f] of [semChave, semLimites, comChave].entries()) {
      const antes = cpuDe(pidApp);
      await vazao(f, porRodada, 8);
      cpu[i]! += cpuDe(pidApp) - antes;
    }
  }
  const us = cpu.map((ms) => (ms * 1000) / (porRodada * RODADAS));
  console.log(
    `CPU do app por requisição (concorrência 8, ${porRodada * RODADAS} de cada): sem chave ${us[0]!.toFixed(0)} µs, ` +
      `chave sem limites ${us[1]!.toFixed(0)} µs (+${(us[1]! - us[0]!).toFixed(0)}), chave com limites ${us[2]!.toFixed(0)} µs (+${(us[2]! - us[0]!).toFixed(0)})`,
  );
  console.log(
    `${diferenca <= 0.05 ? "OK   " : "FORA "} chave com limites longe deles: p50 ≤ 0,05 ms acima de sem chave (${diferenca.toFixed(3)} ms)`,
  );
}

executar(main);
