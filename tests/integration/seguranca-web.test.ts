import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app, banco } from "../support/contexto";
import { codigoDe, cru, type RespostaCrua } from "../support/http-cru";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

const JSON_ = { "content-type": "application/json" };
const TOKEN = "token-de-teste-da-seguranca-123";

function hostDe(url: string): string {
  return new URL(url).host;
}

async function provedoresChamados(nome: string): Promise<number> {
  const r = await banco().execute({ sql: "select count(*) as n from provedores_llm where nome = ?", args: [nome] });
  return Number(r.rows[0]!.n);
}

function corpoProvedor(nome: string): string {
  return JSON.stringify({ nome, tipo: "ollama", base_url: "http://127.0.0.1:9" });
}

function esperarRecusa(r: RespostaCrua, status: number, codigo: string) {
  expect(r.status, r.corpo).toBe(status);
  expect(r.cabecalhos["content-type"]).toContain("application/json");
  expect(codigoDe(r)).toBe(codigo);
  // A message a person can act on, in Portuguese.
  expect((JSON.parse(r.corpo) as { erro: { mensagem: string } }).erro.mensagem).toMatch(/[ãçéêó]|não/);
}

describe("a page on another site acting through the user's browser", () => {
  it("a cross-site form post (text/plain, JSON body) → 415 tipo_de_conteudo, and no provider is created", async () => {
    const nome = `form ${randomUUID()}`;
    const r = await cru(app().url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { origin: "http://evil.example", "content-type": "text/plain", "sec-fetch-site": "cross-site" },
      corpo: corpoProvedor(nome),
    });
    esperarRecusa(r, 415, "tipo_de_conteudo");
    expect(await provedoresChamados(nome)).toBe(0);
  });

  it.each([
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain;charset=UTF-8",
    "application/jsonp",
    "application/json-seq",
  ])("a write declared as %s → 415, even from no browser at all", async (tipo) => {
    const nome = `tipo ${randomUUID()}`;
    const r = await cru(app().url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { "content-type": tipo },
      corpo: corpoProvedor(nome),
    });
    esperarRecusa(r, 415, "tipo_de_conteudo");
    expect(await provedoresChamados(nome)).toBe(0);
  });

  it("a body without any content-type → 415; a write without body (curl -X POST …/testar, DELETE) needs none", async () => {
    const nome = `sem tipo ${randomUUID()}`;
    esperarRecusa(await cru(app().url, "/api/provedores-llm", { metodo: "POST", corpo: corpoProvedor(nome) }), 415, "tipo_de_conteudo");
    expect(await provedoresChamados(nome)).toBe(0);
    const criado = await cru(app().url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { "content-type": "application/json; charset=utf-8" },
      corpo: corpoProvedor(nome),
    });
    expect(criado.status).toBe(201);
    const { id } = JSON.parse(criado.corpo) as { id: number };
    const teste = await cru(app().url, `/api/provedores-llm/${id}/testar`, { metodo: "POST" });
    expect(teste.status).toBe(200);
    expect(JSON.parse(teste.corpo)).toMatchObject({ sucesso: false });
    expect((await cru(app().url, `/api/provedores-llm/${id}`, { metodo: "DELETE" })).status).toBe(204);
  });

  it("JSON with a foreign Origin → 403 origem_nao_permitida, and nothing is created", async () => {
    const nome = `origem ${randomUUID()}`;
    const r = await cru(app().url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { ...JSON_, origin: "http://evil.example" },
      corpo: corpoProvedor(nome),
    });
    esperarRecusa(r, 403, "origem_nao_permitida");
    expect(r.corpo).toContain("ALLOWED_ORIGINS");
    expect(await provedoresChamados(nome)).toBe(0);
  });

  it("another local port is another origin too (a dev server on :5173), and so is `null`", async () => {
    for (const origin of ["http://127.0.0.1:5173", "http://localhost:5173", "null", "file://"]) {
      esperarRecusa(await cru(app().url, "/api/provedores-llm", { cabecalhos: { origin } }), 403, "origem_nao_permitida");
    }
  });

  it("reads are refused too: a foreign Origin, Sec-Fetch-Site cross-site or same-site on GET → 403", async () => {
    esperarRecusa(
      await cru(app().url, "/api/provedores-llm", { cabecalhos: { origin: "http://evil.example" } }),
      403,
      "origem_nao_permitida",
    );
    esperarRecusa(
      await cru(app().url, "/api/provedores-llm", { cabecalhos: { "sec-fetch-site": "cross-site" } }),
      403,
      "origem_nao_permitida",
    );
    esperarRecusa(
      await cru(app().url, "/api/provedores-llm/ativos", { cabecalhos: { "sec-fetch-site": "same-site" } }),
      403,
      "origem_nao_permitida",
    );
  });

  it("the request hot path (served ahead of Next by npm start) applies the same rules", async () => {
    const caminho = "/api/provedores-llm/987654/requisicao";
    const corpo = JSON.stringify({ mensagens: [{ role: "user", content: "oi" }] });
    esperarRecusa(
      await cru(app().url, caminho, { metodo: "POST", cabecalhos: { "content-type": "text/plain" }, corpo }),
      415,
      "tipo_de_conteudo",
    );
    esperarRecusa(
      await cru(app().url, caminho, { metodo: "POST", cabecalhos: { ...JSON_, origin: "http://evil.example" }, corpo }),
      403,
      "origem_nao_permitida",
    );
    esperarRecusa(
      await cru(app().url, caminho, { metodo: "POST", cabecalhos: { ...JSON_, host: "evil.example:3000" }, corpo }),
      403,
      "host_nao_permitido",
    );
    esperarRecusa(
      await cru(app().url, caminho, { metodo: "POST", cabecalhos: { ...JSON_, "sec-fetch-site": "cross-site" }, corpo }),
      403,
      "origem_nao_permitida",
    );
    // The same request, from the app itself: reaches the service (which says the provider does not exist).
    const proprio = await cru(app().url, caminho, {
      metodo: "POST",
      cabecalhos: { ...JSON_, origin: app().url, "sec-fetch-site": "same-origin" },
      corpo,
    });
    expect(proprio.status).toBe(404);
    expect(codigoDe(proprio)).toBe("nao_encontrado");
  });

  it("the app's own pages (same Origin, same-origin fetch) work as before", async () => {
    const nome = `proprio ${randomUUID()}`;
    const r = await cru(app().url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { ...JSON_, origin: app().url, "sec-fetch-site": "same-origin" },
      corpo: corpoProvedor(nome),
    });
    expect(r.status).toBe(201);
    expect(await provedoresChamados(nome)).toBe(1);
    const lista = await cru(app().url, "/api/provedores-llm", { cabecalhos: { "sec-fetch-site": "same-origin" } });
    expect(lista.status).toBe(200);
    // A URL typed in the address bar.
    expect((await cru(app().url, "/api/provedores-llm", { cabecalhos: { "sec-fetch-site": "none" } })).status).toBe(200);
  });

  it("a preflight from an unlisted origin → 403, with no CORS header", async () => {
    const r = await cru(app().url, "/api/provedores-llm", {
      metodo: "OPTIONS",
      cabecalhos: {
        origin: "http://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    esperarRecusa(r, 403, "origem_nao_permitida");
    expect(r.cabecalhos["access-control-allow-origin"]).toBeUndefined();
  });

  it("a server action posted from another origin → 403 before Next runs it; nothing is created", async () => {
    const nome = `acao ${randomUUID()}`;
    const r = await cru(app().url, "/provedores-llm/novo", {
      metodo: "POST",
      cabecalhos: { origin: "http://evil.example", "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" },
      corpo: JSON.stringify([{ nome, tipo: "ollama" }]),
    });
    esperarRecusa(r, 403, "origem_nao_permitida");
    expect(await provedoresChamados(nome)).toBe(0);
  });
});

describe("DNS rebinding: a Host that is not this app's", () => {
  it("API paths → 403 host_nao_permitido with the contract's JSON", async () => {
    for (const host of ["evil.example:3000", "evil.example", "localhost.evil.example", "127.0.0.1.nip.io:3000"]) {
      esperarRecusa(await cru(app().url, "/api/provedores-llm", { cabecalhos: { host } }), 403, "host_nao_permitido");
    }
  });

  it("a write with a foreign Host changes nothing", async () => {
    const nome = `host ${randomUUID()}`;
    const r = await cru(app().url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { ...JSON_, host: "evil.example:3000" },
      corpo: corpoProvedor(nome),
    });
    esperarRecusa(r, 403, "host_nao_permitido");
    expect(await provedoresChamados(nome)).toBe(0);
  });

  it("UI paths → 403 with a short Portuguese page saying what to set", async () => {
    for (const caminho of ["/provedores-llm", "/", "/login", "/provedores-llm/1/editar"]) {
      // `/` is a page only for a browser (Accept: text/html); to any other client it is Ollama's probe (below).
      const r = await cru(app().url, caminho, { cabecalhos: { host: "evil.example:3000", accept: "text/html" } });
      expect(r.status).toBe(403);
      expect(r.cabecalhos["content-type"]).toContain("text/html");
      expect(r.corpo).toContain("Endereço não permitido");
      expect(r.corpo).toContain("ALLOWED_HOSTS");
    }
  });

  it("Ollama's probe of / from a foreign Host is refused in the Ollama door's shape", async () => {
    const r = await cru(app().url, "/", { cabecalhos: { host: "evil.example:3000" } });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.corpo)).toEqual({ error: expect.stringContaining("ALLOWED_HOSTS") });
  });

  it("the name is escaped in that page", async () => {
    const r = await cru(app().url, "/provedores-llm", { cabecalhos: { host: "<script>x" } });
    expect(r.status).toBe(403);
    expect(r.corpo).not.toContain("<script>x");
  });

  it("localhost, 127.0.0.1 and [::1] on any port are this app", async () => {
    const porta = new URL(app().url).port;
    for (const host of [`localhost:${porta}`, `127.0.0.1:${porta}`, `[::1]:${porta}`, "localhost", "LOCALHOST:1234"]) {
      const r = await cru(app().url, "/api/provedores-llm/ativos", { cabecalhos: { host } });
      expect(r.status, host).toBe(200);
    }
    expect((await cru(app().url, "/provedores-llm", { cabecalhos: { host: `localhost:${porta}` } })).status).toBe(200);
  });
});

describe("headers on every page", () => {
  it("a nonce CSP without unsafe-eval, no framing, nosniff, no referrer; Next's scripts carry the nonce", async () => {
    const r = await cru(app().url, "/provedores-llm");
    expect(r.status).toBe(200);
    const csp = String(r.cabecalhos["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(r.cabecalhos["x-content-type-options"]).toBe("nosniff");
    expect(r.cabecalhos["referrer-policy"]).toBe("no-referrer");
    const scripts = [...r.corpo.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    // A fresh nonce per page view.
    const outra = await cru(app().url, "/provedores-llm");
    expect(String(outra.cabecalhos["content-security-policy"])).not.toContain(nonce);
  });

  it("API answers carry nosniff and no-referrer too, including the hot path", async () => {
    for (const [caminho, metodo] of [
      ["/api/provedores-llm", "GET"],
      ["/api/provedores-llm/987654/requisicao", "POST"],
    ] as const) {
      const r = await cru(app().url, caminho, { metodo, cabecalhos: JSON_, corpo: metodo === "POST" ? "{}" : undefined });
      expect(r.cabecalhos["x-content-type-options"]).toBe("nosniff");
      expect(r.cabecalhos["referrer-policy"]).toBe("no-referrer");
    }
  });

  it("the app has an icon: no 404 for it, and pages link it", async () => {
    const icone = await cru(app().url, "/icon.svg");
    expect(icone.status).toBe(200);
    expect(icone.cabecalhos["content-type"]).toContain("image/svg+xml");
    expect((await cru(app().url, "/provedores-llm")).corpo).toMatch(/<link rel="icon" href="\/icon\.svg/);
    // Browsers ask for /favicon.ico on their own (a 404 page, a bookmark): the same icon answers.
    const favicon = await cru(app().url, "/favicon.ico");
    expect(favicon.status).toBe(200);
    expect(favicon.cabecalhos["content-type"]).toContain("image/svg+xml");
    expect(favicon.corpo).toBe(icone.corpo);
  });
});

describe("malformed input gets an answer at once, never an exception", () => {
  const caminhos = [
    "/api/provedores-llm/%E0/requisicao",
    "/api/provedores-llm/%/requisicao",
    "/api/provedores-llm/%E0",
    "/api/provedores-llm/%E0/testar",
    "/api/provedores-llm/%E0/modelos",
    "/api/provedores-llm/%E0/estatisticas",
    "/api/provedores-llm/%",
    "/provedores-llm/%E0/editar",
  ];
  const cookies = [
    "provedores_llm_sessao=%",
    "provedores_llm_sessao=%E0%A4%A",
    "provedores_llm_sessao",
    "=;;;=",
    `provedores_llm_sessao=${"a".repeat(4000)}`,
  ];

  async function sondar(url: string) {
    for (const caminho of caminhos) {
      for (const metodo of ["GET", "POST"]) {
        const r = await cru(url, caminho, { metodo, cabecalhos: JSON_, corpo: metodo === "POST" ? "{}" : undefined, limiteMs: 1000 });
        expect(r.status, `${metodo} ${caminho}`).toBeLessThan(500);
        // A page may send the visitor to /login first; the API refuses with its JSON.
        if (caminho.startsWith("/api/")) {
          expect(r.status, `${metodo} ${caminho}`).toBeGreaterThanOrEqual(400);
          expect(codigoDe(r), `${metodo} ${caminho}: ${r.corpo.slice(0, 80)}`).toBeTruthy();
        }
      }
    }
    for (const cookie of cookies) {
      for (const caminho of ["/api/provedores-llm/1/requisicao", "/api/provedores-llm", "/provedores-llm"]) {
        const r = await cru(url, caminho, {
          metodo: caminho.endsWith("requisicao") ? "POST" : "GET",
          cabecalhos: { ...JSON_, cookie },
          corpo: caminho.endsWith("requisicao") ? "{}" : undefined,
          limiteMs: 1000,
        });
        expect(r.status, `${cookie} ${caminho}`).toBeLessThan(500);
      }
    }
    for (const authorization of ["Bearer", "Bearer ", "Basic %%%", "Bearer \u00ff\u00fe"]) {
      const r = await cru(url, "/api/provedores-llm/1/requisicao", {
        metodo: "POST",
        cabecalhos: { ...JSON_, authorization },
        corpo: "{}",
        limiteMs: 1000,
      });
      expect(r.status, authorization).toBeLessThan(500);
    }
    for (const origin of ["%", "http://[", "://", "http://a b"]) {
      const r = await cru(url, "/api/provedores-llm/1/requisicao", {
        metodo: "POST",
        cabecalhos: { ...JSON_, origin },
        corpo: "{}",
        limiteMs: 1000,
      });
      expect(r.status, origin).toBe(403);
    }
    // Whatever came before, the app still answers a valid request.
    expect(
      (await cru(url, "/api/provedores-llm/ativos", { limiteMs: 1000, cabecalhos: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
  }

  it("without AUTH_TOKEN: bad escapes in ids, broken cookies and headers on every route → 4xx within 1 s", async () => {
    await sondar(app().url);
  });

  describe("with AUTH_TOKEN", () => {
    let servidor: ServidorApp;
    beforeAll(async () => {
      servidor = await iniciarApp({ AUTH_TOKEN: TOKEN });
    });
    afterAll(() => servidor?.parar());

    it("the same probes → 4xx within 1 s (no hang on a malformed session cookie)", async () => {
      await sondar(servidor.url);
    });
  });
});

describe("ALLOWED_HOSTS and ALLOWED_ORIGINS", () => {
  let servidor: ServidorApp;
  const origemConfiavel = "http://painel.confiavel:5173";
  beforeAll(async () => {
    servidor = await iniciarApp({
      ALLOWED_HOSTS: "llm.minha-casa.lan, outra.lan:8443",
      ALLOWED_ORIGINS: `${origemConfiavel}, https://outro.app`,
    });
  });
  afterAll(() => servidor?.parar());

  it("a listed host is accepted on any port; a host:port entry only on that port", async () => {
    expect((await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { host: "llm.minha-casa.lan:3000" } })).status).toBe(200);
    expect((await cru(servidor.url, "/provedores-llm", { cabecalhos: { host: "llm.minha-casa.lan" } })).status).toBe(200);
    expect((await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { host: "outra.lan:8443" } })).status).toBe(200);
    esperarRecusa(await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { host: "outra.lan:8444" } }), 403, "host_nao_permitido");
    esperarRecusa(await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { host: "evil.example" } }), 403, "host_nao_permitido");
    // Loopback names stay accepted.
    expect((await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { host: hostDe(servidor.url) } })).status).toBe(200);
  });

  it("a listed origin gets a proper CORS preflight, then its request with CORS headers", async () => {
    const pre = await cru(servidor.url, "/api/provedores-llm", {
      metodo: "OPTIONS",
      cabecalhos: {
        origin: origemConfiavel,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.cabecalhos["access-control-allow-origin"]).toBe(origemConfiavel);
    expect(pre.cabecalhos["access-control-allow-methods"]).toContain("POST");
    expect(pre.cabecalhos["access-control-allow-headers"]).toContain("content-type");
    expect(pre.cabecalhos.vary).toContain("Origin");

    const nome = `cors ${randomUUID()}`;
    const r = await cru(servidor.url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { ...JSON_, origin: origemConfiavel, "sec-fetch-site": "cross-site" },
      corpo: corpoProvedor(nome),
    });
    expect(r.status).toBe(201);
    expect(r.cabecalhos["access-control-allow-origin"]).toBe(origemConfiavel);
    const lista = await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { origin: origemConfiavel } });
    expect(lista.status).toBe(200);
    expect(lista.cabecalhos["access-control-allow-origin"]).toBe(origemConfiavel);
    expect(JSON.parse(lista.corpo)).toEqual(expect.arrayContaining([expect.objectContaining({ nome })]));
  });

  it("the hot path answers a listed origin with CORS headers too", async () => {
    const r = await cru(servidor.url, "/api/provedores-llm/987654/requisicao", {
      metodo: "POST",
      cabecalhos: { ...JSON_, origin: "https://outro.app" },
      corpo: JSON.stringify({ mensagens: [{ role: "user", content: "oi" }] }),
    });
    expect(r.status).toBe(404);
    expect(r.cabecalhos["access-control-allow-origin"]).toBe("https://outro.app");
  });

  it("an origin not listed is still refused", async () => {
    esperarRecusa(
      await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { origin: "http://painel.confiavel:5174" } }),
      403,
      "origem_nao_permitida",
    );
  });
});

describe("login throttle (AUTH_TOKEN set)", () => {
  let servidor: ServidorApp;
  beforeAll(async () => {
    servidor = await iniciarApp({ AUTH_TOKEN: TOKEN });
  });
  afterAll(() => servidor?.parar());

  it("more than 10 wrong tokens from one address in a minute → 429 with Retry-After and a log line; other addresses still get in", async () => {
    const de = "127.0.0.7";
    for (let i = 1; i <= 10; i++) {
      const r = await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { authorization: `Bearer errado-${i}` }, deEndereco: de });
      expect(r.status, `tentativa ${i}`).toBe(401);
    }
    const bloqueada = await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { authorization: "Bearer errado-11" }, deEndereco: de });
    esperarRecusa(bloqueada, 429, "muitas_tentativas");
    const espera = Number(bloqueada.cabecalhos["retry-after"]);
    expect(espera).toBeGreaterThan(0);
    expect(espera).toBeLessThanOrEqual(60);
    // While blocked, that address is refused even with the right token, on the hot path too.
    esperarRecusa(
      await cru(servidor.url, "/api/provedores-llm", { cabecalhos: { authorization: `Bearer ${TOKEN}` }, deEndereco: de }),
      429,
      "muitas_tentativas",
    );
    const quente = await cru(servidor.url, "/api/provedores-llm/987654/requisicao", {
      metodo: "POST",
      cabecalhos: { ...JSON_, authorization: `Bearer ${TOKEN}` },
      corpo: "{}",
      deEndereco: de,
    });
    esperarRecusa(quente, 429, "muitas_tentativas");
    // Another address with the right token works.
    const outra = await cru(servidor.url, "/api/provedores-llm", {
      cabecalhos: { authorization: `Bearer ${TOKEN}` },
      deEndereco: "127.0.0.8",
    });
    expect(outra.status).toBe(200);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(servidor.arquivoLog, "utf8")).toMatch(/tokens de acesso errados de 127\.0\.0\.7.*bloqueado/);
  });

  it("a client's own X-Forwarded-For does not pick its address", async () => {
    const de = "127.0.0.9";
    for (let i = 1; i <= 11; i++) {
      await cru(servidor.url, "/api/provedores-llm", {
        cabecalhos: { authorization: "Bearer errado", "x-forwarded-for": `10.0.0.${i}` },
        deEndereco: de,
      });
    }
    const r = await cru(servidor.url, "/api/provedores-llm", {
      cabecalhos: { authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "10.9.9.9" },
      deEndereco: de,
    });
    esperarRecusa(r, 429, "muitas_tentativas");
  });
});
