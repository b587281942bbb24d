import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { app as appCompartilhado } from "../support/contexto";
import { codigoDe, cru } from "../support/http-cru";
import { esperarAte, portaLivre } from "../support/portas";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

// `npm start` (servidor.ts), `next dev` and a plain `next start` answer the same requests identically: one
// route table, one gate, the same doors, whichever server runs the app. Each app has a fresh database, so the
// same list of requests gives the same ids; what changes from run to run (times, OpenAI ids) is normalised.
// Once per suite run (on the libSQL file project): `next dev` compiles each route on first use.

const raiz = path.resolve(import.meta.dirname, "../..");
const JSON_ = { "content-type": "application/json" };
const MODELO = "paridade-modelo";
// Every app runs with the same AUTH_TOKEN and the same listed origin: the list sends the token, and one
// preflight comes from that origin.
const TOKEN = "token-da-paridade-0123456789";
const ORIGEM = "http://app-listado.example";
const AMBIENTE = { AUTH_TOKEN: TOKEN, ALLOWED_ORIGINS: ORIGEM, MONITOR: "desligado" };

/** Headers an answer's meaning depends on (Next adds others of its own: `vary`, `date`, …). */
const CABECALHOS = [
  "content-type",
  "cache-control",
  "allow",
  "location",
  "retry-after",
  "www-authenticate",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
  "x-provedor-id",
  "x-provedor-nome",
  "vary",
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
] as const;

/** Values that differ from run to run: how long things took, when they happened. */
const VOLATIL =
  /^(created|system_fingerprint|.*_em|ultima_verificacao|.*_ms|tokens_por_segundo|timings|modified_at|created_at|.*_duration)$/;

function normalizar(valor: unknown, chave = ""): unknown {
  if (VOLATIL.test(chave) && valor !== null) return "<variável>";
  // OpenAI's own answer ids (chatcmpl-…) are made per answer; the app's ids are numbers, equal on fresh databases.
  if (chave === "id" && typeof valor === "string") return "<id da resposta>";
  // "Conectado em 176 ms (…)": a time inside a message.
  if (typeof valor === "string") return valor.replace(/\b\d+(\.\d+)? ms\b/g, "<n> ms");
  if (Array.isArray(valor)) return valor.map((v) => normalizar(v));
  if (valor && typeof valor === "object") return Object.fromEntries(Object.entries(valor).map(([k, v]) => [k, normalizar(v, k)]));
  return valor;
}

/** A body as compared: JSON normalised; an SSE stream as its events, each one's data normalised. */
function corpoComparavel(tipo: string, corpo: string): unknown {
  if (tipo.startsWith("text/event-stream")) {
    return corpo
      .split(/\n\n/)
      .filter((bloco) => bloco.trim() && !bloco.startsWith(":"))
      .map((bloco) => {
        const evento = /^event: (.*)$/m.exec(bloco)?.[1] ?? null;
        const dados = [...bloco.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join("\n");
        try {
          return { evento, dados: normalizar(JSON.parse(dados)) };
        } catch {
          return { evento, dados };
        }
      });
  }
  if (tipo.startsWith("application/json")) return normalizar(JSON.parse(corpo));
  // A page carries its request's CSP nonce (in its tags and in the RSC payload): made per answer.
  const nonce = /nonce="([^"]+)"/.exec(corpo)?.[1];
  return nonce ? corpo.replaceAll(nonce, "<nonce>") : corpo;
}

type Passo = {
  nome: string;
  metodo?: string;
  caminho: string;
  corpo?: unknown;
  bruto?: string;
  cabecalhos?: Record<string, string>;
  /** Sent this many times, the i-th with `porVez(i)`'s headers; the statuses and the last answer are compared. */
  vezes?: number;
  porVez?: (i: number) => Record<string, string>;
};

/** The steps whose answer is the app's page (compared between npm start and next start only). */
const PAGINAS_NA_RAIZ = new Set(["POST / (não é a sonda)", "GET / do roteador do Next"]);

/** The same list against every server: REST CRUD, a 404, a 405, bad JSON, /v1 and requisicao whole and streamed. */
function passos(baseUrl: string): Passo[] {
  const provedor = { nome: "Paridade", tipo: "llama_cpp", base_url: baseUrl, timeout_segundos: 5 };
  const mensagens = [{ role: "user", content: "Oi" }];
  return [
    { nome: "criar", metodo: "POST", caminho: "/api/provedores-llm", corpo: provedor },
    { nome: "obter", caminho: "/api/provedores-llm/1" },
    { nome: "atualizar", metodo: "PUT", caminho: "/api/provedores-llm/1", corpo: { ...provedor, modelo_padrao: MODELO } },
    { nome: "listar (barra no fim)", caminho: "/api/provedores-llm/" },
    { nome: "testar", metodo: "POST", caminho: "/api/provedores-llm/1/testar" },
    { nome: "404 de provedor", caminho: "/api/provedores-llm/999999" },
    { nome: "404 de rota", caminho: "/api/nada" },
    { nome: "405", metodo: "DELETE", caminho: "/api/provedores-llm" },
    { nome: "HEAD", metodo: "HEAD", caminho: "/api/provedores-llm" },
    { nome: "OPTIONS", metodo: "OPTIONS", caminho: "/api/provedores-llm/1" },
    { nome: "JSON quebrado", metodo: "POST", caminho: "/api/provedores-llm", bruto: "{nome" },
    { nome: "/v1/models", caminho: "/v1/models" },
    { nome: "/v1 405", metodo: "POST", caminho: "/v1/models", corpo: {} },
    { nome: "/v1 404", caminho: "/v1/nada" },
    { nome: "/v1 chat", metodo: "POST", caminho: "/v1/chat/completions", corpo: { model: MODELO, messages: mensagens } },
    {
      nome: "/v1 chat stream",
      metodo: "POST",
      caminho: "/v1/chat/completions",
      corpo: { model: MODELO, messages: mensagens, stream: true },
    },
    { nome: "/v1/messages", metodo: "POST", caminho: "/v1/messages", corpo: { model: MODELO, max_tokens: 50, messages: mensagens } },
    {
      nome: "/v1/messages stream, x-api-key",
      metodo: "POST",
      caminho: "/v1/messages",
      corpo: { model: MODELO, max_tokens: 50, messages: mensagens, stream: true },
      cabecalhos: { authorization: "", "x-api-key": TOKEN, "anthropic-version": "2023-06-01" },
    },
    { nome: "/v1/messages sem max_tokens", metodo: "POST", caminho: "/v1/messages", corpo: { model: MODELO, messages: mensagens } },
    // Ollama's door: its probe of the root (a client, not a browser), its model list, a whole chat.
    { nome: "GET / (sonda do Ollama)", caminho: "/", cabecalhos: { accept: "*/*" } },
    { nome: "HEAD / (sonda do Ollama)", metodo: "HEAD", caminho: "/", cabecalhos: { accept: "*/*" } },
    // Not the probe: a POST, and Next's own client router (rsc), get the app's page alike.
    { nome: "POST / (não é a sonda)", metodo: "POST", caminho: "/", cabecalhos: { accept: "*/*" }, corpo: {} },
    { nome: "GET / do roteador do Next", caminho: "/", cabecalhos: { accept: "*/*", rsc: "1" } },
    { nome: "/api/tags", caminho: "/api/tags" },
    {
      nome: "/api/chat inteiro",
      metodo: "POST",
      caminho: "/api/chat",
      corpo: { model: `${MODELO}:latest`, messages: mensagens, stream: false },
    },
    { nome: "/api/create (501)", metodo: "POST", caminho: "/api/create", corpo: {} },
    { nome: "requisicao", metodo: "POST", caminho: "/api/provedores-llm/1/requisicao", corpo: { mensagens } },
    { nome: "requisicao stream", metodo: "POST", caminho: "/api/provedores-llm/1/requisicao", corpo: { mensagens, stream: true } },
    // Dot segments are resolved as a Web Request resolves them, under every server: these are provider 1.
    { nome: "segmento ..", caminho: "/api/provedores-llm/1/testar/.." },
    { nome: "segmento %2e", caminho: "/api/provedores-llm/%2e/1" },
    { nome: "excluir", metodo: "DELETE", caminho: "/api/provedores-llm/1" },
    // A page, not the table: a broken escape is the gate's 400 page, not a server error.
    { nome: "página com escape quebrado", caminho: "/provedores-llm/%E0/editar" },
    // The table's paths: a broken escape or a dot segment is the door's JSON 400, never the server's own page.
    { nome: "escape quebrado no REST", caminho: "/api/provedores-llm/%E0" },
    { nome: "escape quebrado no /v1", caminho: "/v1/%E0" },
    {
      nome: "preflight de origem listada",
      metodo: "OPTIONS",
      caminho: "/api/provedores-llm",
      cabecalhos: { origin: ORIGEM, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    },
    { nome: "GET de origem listada", caminho: "/api/provedores-llm", cabecalhos: { origin: ORIGEM } },
    // HEAD on an event stream: its headers at once, no stream left running.
    { nome: "HEAD de eventos", metodo: "HEAD", caminho: "/api/provedores-llm/eventos" },
    // Last (it blocks the client for a minute): the login throttle counts the client, not the address it claims.
    {
      nome: "11 tokens errados, cada um com outro X-Forwarded-For",
      caminho: "/api/provedores-llm",
      vezes: 11,
      porVez: (i) => ({ authorization: "Bearer errado", "x-forwarded-for": `203.0.113.${i + 1}` }),
    },
  ];
}

/** Next varies every answer on its router's headers and on Accept-Encoding: only the app's own part is compared. */
const VARY_DO_NEXT = new Set(["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "accept-encoding"]);

function varyDoApp(vary: string | undefined): string | null {
  const proprios = (vary ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v && !VARY_DO_NEXT.has(v.toLowerCase()));
  return proprios.length ? proprios.join(", ") : null;
}

async function percorrer(url: string, lista: Passo[]): Promise<Record<string, unknown>> {
  const resultado: Record<string, unknown> = {};
  for (const p of lista) {
    const corpo = p.bruto ?? (p.corpo === undefined ? undefined : JSON.stringify(p.corpo));
    const statuses: number[] = [];
    let r!: Awaited<ReturnType<typeof cru>>;
    for (let i = 0; i < (p.vezes ?? 1); i++) {
      const cabecalhos = { authorization: `Bearer ${TOKEN}`, ...(corpo === undefined ? {} : JSON_), ...p.cabecalhos, ...p.porVez?.(i) };
      // A HEAD that waited for a stream would hang: a few seconds are plenty for headers.
      r = await cru(url, p.caminho, { metodo: p.metodo, cabecalhos, corpo, limiteMs: p.metodo === "HEAD" ? 10_000 : 90_000 });
      statuses.push(r.status);
    }
    const tipo = String(r.cabecalhos["content-type"] ?? "");
    resultado[p.nome] = {
      ...(p.vezes ? { statuses } : {}),
      status: r.status,
      cabecalhos: Object.fromEntries(CABECALHOS.map((c) => [c, c === "vary" ? varyDoApp(r.cabecalhos.vary) : (r.cabecalhos[c] ?? null)])),
      corpo: r.corpo === "" ? "" : corpoComparavel(tipo, r.corpo),
    };
  }
  return resultado;
}

function iniciarNext(modo: "dev" | "start", porta: number, extras: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [path.join(raiz, "node_modules/next/dist/bin/next"), modo, "-H", "127.0.0.1", "-p", String(porta)], {
    cwd: raiz,
    env: {
      ...process.env,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), `provedores-${modo}-`)),
      APP_SECRET: appCompartilhado().segredoApp,
      // The same token and origin as npm start's; no background checks: a provider's status changes only
      // with the requests of the list.
      ...AMBIENTE,
      NODE_ENV: modo === "dev" ? "development" : "production",
      ...extras,
    },
    stdio: "ignore",
  });
}

describe.runIf(appCompartilhado().modoBanco === "arquivo")("npm start, next dev and next start answer alike", () => {
  const falso = new LlamaCppFalso({ modelos: [{ id: MODELO, carregado: true, contexto: 4096 }], resposta: "Olá de todas as portas." });
  let npmStart: ServidorApp;
  const processos: ChildProcess[] = [];
  const urls = { dev: "", start: "" };

  beforeAll(async () => {
    await falso.iniciar();
    const [portaDev, portaStart] = [await portaLivre(), await portaLivre()];
    urls.dev = `http://127.0.0.1:${portaDev}`;
    urls.start = `http://127.0.0.1:${portaStart}`;
    processos.push(iniciarNext("dev", portaDev), iniciarNext("start", portaStart));
    [npmStart] = await Promise.all([
      iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, ...AMBIENTE }),
      ...Object.values(urls).map((url) =>
        esperarAte(async () => (await fetch(`${url}/login`, { redirect: "manual" })).status < 500, 150_000, `o next em ${url}`),
      ),
    ]);
  }, 180_000);
  afterAll(async () => {
    for (const p of processos) p.kill("SIGTERM");
    await npmStart?.parar();
    await falso.parar();
  });

  it("the same requests get the same status, headers and bodies", { timeout: 180_000 }, async () => {
    const lista = passos(falso.url);
    const esperado = await percorrer(npmStart.url, lista);
    // The list means something: the provider was created, its server answered both doors, whole and streamed.
    expect(esperado.criar).toMatchObject({ status: 201, cabecalhos: { location: "/api/provedores-llm/1" } });
    expect(esperado["/v1 chat stream"]).toMatchObject({ status: 200, cabecalhos: { "x-provedor-id": "1" } });
    expect(esperado["requisicao stream"]).toMatchObject({
      status: 200,
      corpo: expect.arrayContaining([expect.objectContaining({ evento: "fim" })]),
    });
    expect(esperado["GET / (sonda do Ollama)"]).toMatchObject({ status: 200, corpo: "Ollama is running" });
    expect(esperado["HEAD / (sonda do Ollama)"]).toMatchObject({ status: 200, corpo: "" });
    expect(esperado["POST / (não é a sonda)"]).toMatchObject({ cabecalhos: { "content-type": expect.stringContaining("text/html") } });
    // The home page's redirect, as a browser navigating to / gets it.
    expect(esperado["GET / do roteador do Next"]).toMatchObject({ status: 307 });
    expect(esperado["/api/tags"]).toMatchObject({ status: 200, corpo: { models: [{ name: `${MODELO}:latest` }] } });
    expect(esperado["/api/chat inteiro"]).toMatchObject({ status: 200, corpo: { model: `${MODELO}:latest`, done: true } });
    expect(esperado["/api/create (501)"]).toMatchObject({ status: 501, corpo: { error: expect.any(String) } });
    expect(esperado["405"]).toMatchObject({ status: 405, cabecalhos: { allow: "GET, POST, HEAD, OPTIONS" } });
    expect(esperado.obter).toMatchObject({ status: 200, corpo: { id: 1 } });
    expect(esperado["preflight de origem listada"]).toMatchObject({
      status: 204,
      cabecalhos: { "access-control-allow-origin": ORIGEM, vary: "Origin" },
    });
    expect(esperado["escape quebrado no REST"]).toMatchObject({ status: 400, corpo: { erro: { codigo: "validacao" } } });
    for (const nome of ["segmento ..", "segmento %2e"]) expect(esperado[nome], nome).toMatchObject({ status: 200, corpo: { id: 1 } });
    expect(esperado["escape quebrado no /v1"]).toMatchObject({ status: 400, corpo: { error: { code: "validacao" } } });
    expect(esperado["HEAD de eventos"]).toMatchObject({ status: 200, cabecalhos: { "content-type": "text/event-stream; charset=utf-8" } });
    expect(esperado["11 tokens errados, cada um com outro X-Forwarded-For"]).toMatchObject({
      statuses: [...Array(10).fill(401), 429],
    });
    expect(await percorrer(urls.start, lista), "next start").toEqual(esperado);
    // `next dev` renders a page its own way (dev bundles, its cache headers): the pages at `/` are compared
    // between the production servers only.
    const semPaginas = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([nome]) => !PAGINAS_NA_RAIZ.has(nome)));
    expect(semPaginas(await percorrer(urls.dev, lista)), "next dev").toEqual(semPaginas(esperado));
  });
});

describe.runIf(appCompartilhado().modoBanco === "arquivo")("next start: a failure before any handler", () => {
  let sqld: Awaited<ReturnType<typeof iniciarSqld>>;
  let processo: ChildProcess | undefined;
  let url = "";
  beforeAll(async () => {
    sqld = await iniciarSqld();
    const porta = await portaLivre();
    url = `http://127.0.0.1:${porta}`;
    processo = iniciarNext("start", porta, { DATABASE_URL: sqld.url, DATABASE_TIMEOUT_SEGUNDOS: "2" });
    await esperarAte(async () => (await fetch(`${url}/login`, { redirect: "manual" })).status < 500, 60_000, "o next start");
  }, 90_000);
  afterAll(async () => {
    process.kill(sqld.pid, "SIGCONT");
    processo?.kill("SIGTERM");
    await sqld.parar();
  });

  it("the gate's session read failing (the database stopped) is the door's JSON error, not Next's 500 page", {
    timeout: 30_000,
  }, async () => {
    const autorizado = { authorization: `Bearer ${TOKEN}` };
    expect((await cru(url, "/api/provedores-llm", { cabecalhos: autorizado })).status).toBe(200);
    process.kill(sqld.pid, "SIGSTOP");
    try {
      // A session cookie the gate must look up in the database.
      const sessao = { cookie: `provedores_llm_sessao=${"a".repeat(43)}` };
      const rest = await cru(url, "/api/provedores-llm", { cabecalhos: sessao, limiteMs: 15_000 });
      expect([rest.status, rest.cabecalhos["content-type"], codigoDe(rest)]).toEqual([503, "application/json", "banco_indisponivel"]);
      const v1 = await cru(url, "/v1/models", { cabecalhos: sessao, limiteMs: 15_000 });
      expect([v1.status, (JSON.parse(v1.corpo) as { error: { code: string } }).error.code]).toEqual([503, "banco_indisponivel"]);
    } finally {
      process.kill(sqld.pid, "SIGCONT");
    }
  });
});
