import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// The gate's decisions, called directly with a request as any front door describes it. The session check
// reads a real libSQL file (a session is a row): this file's own, stubbed before each test like the rest of
// the environment, so it never outlives the file.
const pasta = mkdtempSync(path.join(tmpdir(), "portaria-"));
const DATABASE_URL = `file:${path.join(pasta, "provedores-llm.db")}`;
vi.stubEnv("DATABASE_URL", DATABASE_URL);

const { migrarEsquema } = await import("@/db/migrar");
const { avaliarPedido: avaliarComFormato } = await import("@/lib/http/portaria");
const { PORTA_CONTRATO } = await import("@/lib/portas/contrato");
const { PORTA_OPENAI } = await import("@/lib/portas/openai");
type PedidoWeb = import("@/lib/http/portaria").PedidoWeb;
type Decisao = import("@/lib/http/portaria").Decisao;
const { abrirSessao } = await import("@/lib/seguranca/sessoes");
const { COOKIE_SESSAO } = await import("@/lib/seguranca/autenticacao");

const TOKEN = "token-da-portaria-0123456789";
const VARIAVEIS = [
  "HOST",
  "ALLOWED_HOSTS",
  "ALLOWED_ORIGINS",
  "AUTH_TOKEN",
  "VERCEL_URL",
  "VERCEL_BRANCH_URL",
  "VERCEL_PROJECT_PRODUCTION_URL",
];

/**
 * Forgets what the process keeps between requests (lib/unico-por-processo.ts): the web policy read from the
 * environment, the wrong-token counts per address, the remembered sessions and anything else kept there.
 * A module holds its Map or Set from its first load, so those are emptied in place; the rest is dropped and
 * made again from the environment on its next use.
 */
function esquecerEstadoDoProcesso() {
  const estado = (globalThis as { __provedoresLlm?: Record<string, unknown> }).__provedoresLlm ?? {};
  for (const [chave, valor] of Object.entries(estado)) {
    if (valor instanceof Map || valor instanceof Set) valor.clear();
    else delete estado[chave];
  }
}

/** The gate as the route table asks it: /v1 in OpenAI's error shape, /api in the contract's, pages without one. */
function avaliarPedido(p: PedidoWeb) {
  const formato = /^\/v1(\/|$)/.test(p.caminho) ? PORTA_OPENAI : /^\/api(\/|$)/.test(p.caminho) ? PORTA_CONTRATO : null;
  return avaliarComFormato(p, formato?.formatoDeErro ?? null);
}

/** The environment the gate reads, nothing else; the web policy cached from the one before goes too. */
function ambiente(env: Record<string, string> = {}) {
  for (const nome of VARIAVEIS) vi.stubEnv(nome, env[nome]);
  esquecerEstadoDoProcesso();
}

/** A client address no other test (nor another run of this one) has used: the throttle counts per address. */
const enderecoNovo = () => `fd00::${randomBytes(6).toString("hex").match(/..../g)!.join(":")}`;

/** A request as a front door passes it; each gets its own client address unless told. */
function pedido(metodo: string, caminho: string, cabecalhos: Record<string, string> = {}, endereco = enderecoNovo()): PedidoWeb {
  const todos = new Map(Object.entries({ host: "localhost:3000", ...cabecalhos }).map(([k, v]) => [k.toLowerCase(), v]));
  return { metodo, caminho, endereco, cabecalho: (nome) => todos.get(nome.toLowerCase()) ?? null };
}

/** The answer a refused request gets: status, headers and the parsed JSON body. */
function resposta(d: Decisao) {
  if (d.tipo !== "responder") throw new Error(`esperava uma resposta da portaria, veio ${JSON.stringify(d)}`);
  const json = d.resposta.cabecalhos["content-type"] === "application/json";
  return {
    status: d.resposta.status,
    cabecalhos: d.resposta.cabecalhos,
    corpo: json ? (JSON.parse(d.resposta.corpo) as unknown) : d.resposta.corpo,
  };
}

const SEGUIR = { tipo: "seguir", cabecalhos: {}, chamador: { tipo: "admin" } };

beforeAll(async () => {
  await migrarEsquema();
});
beforeEach(() => {
  vi.stubEnv("DATABASE_URL", DATABASE_URL);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  esquecerEstadoDoProcesso();
});
afterAll(() => {
  // The database client is kept per process too (db/client.ts): it goes with this file's database.
  const banco = globalThis as { __provedoresDb?: { cliente: { close: () => void } } };
  banco.__provedoresDb?.cliente.close();
  delete banco.__provedoresDb;
  rmSync(pasta, { recursive: true, force: true });
});

describe("the gate: Host", () => {
  it("lets loopback names through on any port, pages and API alike", async () => {
    ambiente();
    for (const host of ["localhost:3000", "127.0.0.1:8080", "[::1]:3000", "LOCALHOST"]) {
      expect(await avaliarPedido(pedido("GET", "/provedores-llm", { host })), host).toEqual(SEGUIR);
      expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { host })), host).toEqual(SEGUIR);
    }
  });

  it("refuses a foreign Host: a short pt-BR page on a page, the contract's 403 on the API, OpenAI's shape on /v1", async () => {
    ambiente();
    const pagina = resposta(await avaliarPedido(pedido("GET", "/provedores-llm", { host: "evil.example" })));
    expect(pagina.status).toBe(403);
    expect(pagina.cabecalhos["content-type"]).toBe("text/html; charset=utf-8");
    expect(pagina.corpo).toContain("Endereço não permitido");
    expect(pagina.corpo).toContain("<code>evil.example</code>");
    expect(pagina.corpo).toContain("ALLOWED_HOSTS");

    const api = resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { host: "evil.example" })));
    expect(api.status).toBe(403);
    expect(api.corpo).toMatchObject({ erro: { codigo: "host_nao_permitido" } });

    const v1 = resposta(await avaliarPedido(pedido("GET", "/v1/models", { host: "evil.example" })));
    expect(v1.status).toBe(403);
    expect(v1.corpo).toMatchObject({ error: { type: "permission_error", code: "host_nao_permitido" } });
  });

  it("escapes the refused Host in the page, and refuses a request with no Host", async () => {
    ambiente();
    const pagina = resposta(await avaliarPedido(pedido("GET", "/", { host: "<script>x" })));
    expect(pagina.status).toBe(403);
    expect(pagina.corpo).not.toContain("<script>");
    const semHost = resposta(await avaliarPedido({ ...pedido("GET", "/api/provedores-llm"), cabecalho: () => null }));
    expect(semHost.status).toBe(403);
  });

  it("accepts the names of ALLOWED_HOSTS, a name:port entry on that port only", async () => {
    ambiente({ ALLOWED_HOSTS: "app.lan, proxy.lan:8443" });
    expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { host: "app.lan:3000" }))).toEqual(SEGUIR);
    expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { host: "proxy.lan:8443" }))).toEqual(SEGUIR);
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { host: "proxy.lan:8444" }))).status).toBe(403);
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { host: "outro.lan" }))).status).toBe(403);
  });
});

describe("the gate: other sites", () => {
  it("refuses a foreign Origin on the API, whatever the method, with a message naming ALLOWED_ORIGINS", async () => {
    ambiente();
    for (const metodo of ["GET", "POST"]) {
      const r = resposta(
        await avaliarPedido(pedido(metodo, "/api/provedores-llm", { origin: "http://evil.example", "content-type": "application/json" })),
      );
      expect(r.status, metodo).toBe(403);
      expect(r.corpo, metodo).toMatchObject({ erro: { codigo: "origem_nao_permitida" } });
      expect(JSON.stringify(r.corpo)).toContain("ALLOWED_ORIGINS");
    }
    // Another port of localhost is another origin.
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { origin: "http://localhost:5173" }))).status).toBe(403);
  });

  it("lets the app's own origin through", async () => {
    ambiente();
    expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { origin: "http://localhost:3000" }))).toEqual(SEGUIR);
  });

  it("refuses Sec-Fetch-Site: cross-site on the API and on a page's POST, but not a page being opened from a link", async () => {
    ambiente();
    const api = resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { "sec-fetch-site": "cross-site" })));
    expect(api.status).toBe(403);
    expect(api.corpo).toMatchObject({ erro: { codigo: "origem_nao_permitida" } });
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { "sec-fetch-site": "same-site" }))).status).toBe(403);
    expect(resposta(await avaliarPedido(pedido("POST", "/provedores-llm/novo", { "sec-fetch-site": "cross-site" }))).status).toBe(403);
    expect(await avaliarPedido(pedido("GET", "/provedores-llm", { "sec-fetch-site": "cross-site" }))).toEqual(SEGUIR);
    expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { "sec-fetch-site": "same-origin" }))).toEqual(SEGUIR);
  });

  it("gives a listed origin the CORS headers, and only that origin", async () => {
    ambiente({ ALLOWED_ORIGINS: "https://meu-app.example" });
    expect(
      await avaliarPedido(pedido("GET", "/api/provedores-llm", { origin: "https://meu-app.example", "sec-fetch-site": "cross-site" })),
    ).toEqual({
      tipo: "seguir",
      cabecalhos: {
        "access-control-allow-origin": "https://meu-app.example",
        "access-control-expose-headers":
          "location, retry-after, x-provedor-id, x-provedor-nome, x-provedores-llm-overhead-ms, x-provedores-llm-estimativa",
        vary: "Origin",
      },
      chamador: { tipo: "admin" },
    });
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { origin: "https://outro.example" }))).status).toBe(403);
  });

  it("answers a listed origin's preflight with 204 and the allowed methods and headers, and refuses another's", async () => {
    ambiente({ ALLOWED_ORIGINS: "https://meu-app.example" });
    const preflight = (origin: string) =>
      pedido("OPTIONS", "/v1/chat/completions", {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, x-extra",
      });
    const aceito = resposta(await avaliarPedido(preflight("https://meu-app.example")));
    expect(aceito.status).toBe(204);
    expect(aceito.corpo).toBe("");
    expect(aceito.cabecalhos).toMatchObject({
      "access-control-allow-origin": "https://meu-app.example",
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": "authorization, content-type, x-extra",
      "access-control-max-age": "600",
    });
    const recusado = resposta(await avaliarPedido(preflight("https://outro.example")));
    expect(recusado.status).toBe(403);
    expect(recusado.corpo).toMatchObject({ error: { code: "origem_nao_permitida" } });
  });
});

describe("the gate: Anthropic's clients", () => {
  it("a preflight that lists no headers is allowed Anthropic's (x-api-key, anthropic-version, anthropic-beta)", async () => {
    ambiente({ ALLOWED_ORIGINS: "https://meu-app.example" });
    const r = resposta(
      await avaliarPedido(
        pedido("OPTIONS", "/v1/messages", { origin: "https://meu-app.example", "access-control-request-method": "POST" }),
      ),
    );
    expect(r.status).toBe(204);
    expect(r.cabecalhos["access-control-allow-headers"]).toBe("authorization, content-type, x-api-key, anthropic-version, anthropic-beta");
  });
});

describe("the gate: body type", () => {
  it("refuses an API write whose body is not JSON with 415, and takes JSON (with a charset) or no body at all", async () => {
    ambiente();
    for (const tipo of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
      const r = resposta(await avaliarPedido(pedido("POST", "/api/provedores-llm", { "content-type": tipo, "content-length": "2" })));
      expect(r.status, tipo).toBe(415);
      expect(r.corpo, tipo).toMatchObject({ erro: { codigo: "tipo_de_conteudo" } });
    }
    const semTipo = resposta(await avaliarPedido(pedido("PUT", "/api/provedores-llm/1", { "content-length": "2" })));
    expect(semTipo.status).toBe(415);
    const emPedacos = resposta(await avaliarPedido(pedido("POST", "/v1/chat/completions", { "transfer-encoding": "chunked" })));
    expect(emPedacos.status).toBe(415);
    expect(emPedacos.corpo).toMatchObject({ error: { code: "tipo_de_conteudo" } });

    expect(await avaliarPedido(pedido("POST", "/api/provedores-llm", { "content-type": "application/json; charset=utf-8" }))).toEqual(
      SEGUIR,
    );
    expect(await avaliarPedido(pedido("POST", "/api/provedores-llm/1/testar"))).toEqual(SEGUIR);
    expect(await avaliarPedido(pedido("DELETE", "/api/provedores-llm/1", { "content-length": "0" }))).toEqual(SEGUIR);
  });
});

describe("the gate: AUTH_TOKEN", () => {
  it("without a token: 401 with WWW-Authenticate on the API, the login page for a page, /login itself open", async () => {
    ambiente({ AUTH_TOKEN: TOKEN });
    const api = resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm")));
    expect(api.status).toBe(401);
    expect(api.cabecalhos["www-authenticate"]).toBe("Bearer");
    expect(api.corpo).toMatchObject({ erro: { codigo: "nao_autorizado" } });
    const v1 = resposta(await avaliarPedido(pedido("POST", "/v1/chat/completions", { "content-type": "application/json" })));
    expect(v1.status).toBe(401);
    expect(v1.corpo).toMatchObject({ error: { type: "authentication_error", code: "invalid_api_key" } });

    expect(await avaliarPedido(pedido("GET", "/provedores-llm"))).toEqual({ tipo: "login" });
    expect(await avaliarPedido(pedido("GET", "/login"))).toEqual(SEGUIR);
  });

  it("the right Bearer token passes; a wrong one is refused", async () => {
    ambiente({ AUTH_TOKEN: TOKEN });
    expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { authorization: `Bearer ${TOKEN}` }))).toEqual(SEGUIR);
    expect(await avaliarPedido(pedido("GET", "/provedores-llm", { authorization: `bearer ${TOKEN}` }))).toEqual(SEGUIR);
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { authorization: `Bearer ${TOKEN}x` }))).status).toBe(401);
    expect(await avaliarPedido(pedido("GET", "/provedores-llm", { authorization: "Bearer errado" }))).toEqual({ tipo: "login" });
  });

  it("an open session's cookie passes, on pages and the API; an unknown or malformed one does not", async () => {
    ambiente({ AUTH_TOKEN: TOKEN });
    const valor = await abrirSessao();
    const cookie = `outro=1; ${COOKIE_SESSAO}=${valor}`;
    expect(await avaliarPedido(pedido("GET", "/provedores-llm", { cookie }))).toEqual(SEGUIR);
    expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { cookie }))).toEqual(SEGUIR);

    const desconhecido = `${COOKIE_SESSAO}=${"A".repeat(43)}`;
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { cookie: desconhecido }))).status).toBe(401);
    expect(await avaliarPedido(pedido("GET", "/provedores-llm", { cookie: `${COOKIE_SESSAO}=%` }))).toEqual({ tipo: "login" });
    // A session belongs to the AUTH_TOKEN it was opened under.
    ambiente({ AUTH_TOKEN: `${TOKEN}-novo` });
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { cookie }))).status).toBe(401);
  });

  it("counts each wrong token once: past 10 in a minute the address gets 429 with Retry-After, even with the right token; others go on", async () => {
    ambiente({ AUTH_TOKEN: TOKEN });
    const aviso = vi.spyOn(console, "warn").mockImplementation(() => {});
    const endereco = enderecoNovo();
    const errado = () => avaliarPedido(pedido("GET", "/api/provedores-llm", { authorization: "Bearer errado" }, endereco));
    for (let i = 1; i <= 10; i++) expect(resposta(await errado()).status, `tentativa ${i}`).toBe(401);
    expect(aviso).not.toHaveBeenCalled();

    const bloqueado = resposta(await errado());
    expect(bloqueado.status).toBe(429);
    expect(bloqueado.corpo).toMatchObject({ erro: { codigo: "muitas_tentativas" } });
    expect(Number(bloqueado.cabecalhos["retry-after"])).toBeGreaterThan(55);
    expect(Number(bloqueado.cabecalhos["retry-after"])).toBeLessThanOrEqual(60);
    expect(aviso).toHaveBeenCalledTimes(1);
    expect(String(aviso.mock.calls[0]?.[0])).toContain(endereco);

    const certo = resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { authorization: `Bearer ${TOKEN}` }, endereco)));
    expect(certo.status).toBe(429);
    expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { authorization: `Bearer ${TOKEN}` }, enderecoNovo()))).toEqual(SEGUIR);
  });

  it("takes the token in x-api-key too (Anthropic's clients), its wrong guesses throttled like Bearer's", async () => {
    ambiente({ AUTH_TOKEN: TOKEN });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await avaliarPedido(pedido("POST", "/v1/messages", { "x-api-key": TOKEN, "content-type": "application/json" }))).toEqual(SEGUIR);
    const endereco = enderecoNovo();
    const errado = () => avaliarPedido(pedido("GET", "/api/provedores-llm", { "x-api-key": "errado" }, endereco));
    for (let i = 1; i <= 10; i++) expect(resposta(await errado()).status, `tentativa ${i}`).toBe(401);
    expect(resposta(await errado()).status).toBe(429);
    expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", { "x-api-key": TOKEN }, endereco))).status).toBe(429);
  });

  it("does not count a request that brings no token, nor one the token lets through", async () => {
    ambiente({ AUTH_TOKEN: TOKEN });
    const endereco = enderecoNovo();
    for (let i = 0; i < 12; i++) {
      expect(resposta(await avaliarPedido(pedido("GET", "/api/provedores-llm", {}, endereco))).status).toBe(401);
      expect(await avaliarPedido(pedido("GET", "/api/provedores-llm", { authorization: `Bearer ${TOKEN}` }, endereco))).toEqual(SEGUIR);
    }
  });
});
