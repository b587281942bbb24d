import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../support/contexto";
import { codigoDe, cru, type RespostaCrua } from "../support/http-cru";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// The front door under `npm start`: every /api and /v1 path goes through the one route table, which says the
// methods of each route (one 405, in the door's shape) and passes the gate exactly once.

const JSON_ = { "content-type": "application/json" };

function corpoDe(r: RespostaCrua): Record<string, unknown> {
  return JSON.parse(r.corpo) as Record<string, unknown>;
}

describe("a wrong method gets one 405 from the route table", () => {
  it("REST: 405 metodo_nao_permitido in the contract's shape, with Allow listing the route's methods", async () => {
    const r = await cru(app().url, "/api/provedores-llm", { metodo: "DELETE" });
    expect(r.status).toBe(405);
    expect(codigoDe(r)).toBe("metodo_nao_permitido");
    expect(r.cabecalhos.allow).toBe("GET, POST, HEAD, OPTIONS");
    expect((corpoDe(r).erro as { mensagem: string }).mensagem).toContain("use GET ou POST");

    const item = await cru(app().url, "/api/provedores-llm/1", { metodo: "POST", cabecalhos: JSON_, corpo: "{}" });
    expect([item.status, codigoDe(item), item.cabecalhos.allow]).toEqual([405, "metodo_nao_permitido", "GET, PUT, DELETE, HEAD, OPTIONS"]);
  });

  it("the request hot path: GET …/requisicao is the same 405, not a validacao", async () => {
    const r = await cru(app().url, "/api/provedores-llm/1/requisicao");
    expect([r.status, codigoDe(r), r.cabecalhos.allow]).toEqual([405, "metodo_nao_permitido", "POST, OPTIONS"]);
  });

  it("/v1: the same 405 in OpenAI's error shape", async () => {
    const modelos = await cru(app().url, "/v1/models", { metodo: "POST", cabecalhos: JSON_, corpo: "{}" });
    expect(modelos.status).toBe(405);
    expect(modelos.cabecalhos.allow).toBe("GET, HEAD, OPTIONS");
    expect(corpoDe(modelos)).toEqual({
      error: { message: expect.stringContaining("use GET"), type: "invalid_request_error", param: null, code: "metodo_nao_permitido" },
    });
    const chat = await cru(app().url, "/v1/chat/completions");
    expect([chat.status, chat.cabecalhos.allow]).toEqual([405, "POST, OPTIONS"]);
    expect((corpoDe(chat).error as { code: string }).code).toBe("metodo_nao_permitido");
  });

  it("HEAD on a GET route and a plain OPTIONS still work", async () => {
    const head = await cru(app().url, "/api/provedores-llm", { metodo: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.cabecalhos["content-type"]).toBe("application/json");
    expect(head.corpo).toBe("");
    const opcoes = await cru(app().url, "/api/provedores-llm/1/modelos", { metodo: "OPTIONS" });
    expect([opcoes.status, opcoes.cabecalhos.allow]).toEqual([204, "GET, HEAD, OPTIONS"]);
  });

  it("a path under /api or /v1 that no route serves is the table's JSON 404 in the door's shape, never a page", async () => {
    const api = await cru(app().url, "/api/nada-aqui");
    expect([api.status, codigoDe(api)]).toEqual([404, "nao_encontrado"]);
    expect(api.cabecalhos["content-type"]).toBe("application/json");
    const v1 = await cru(app().url, "/v1/nada");
    expect(v1.status).toBe(404);
    expect(corpoDe(v1).error).toMatchObject({ code: "nao_encontrado", message: expect.stringContaining("/v1/chat/completions") });
  });
});

describe("an event stream whose client leaves", () => {
  let servidor: ServidorApp;
  beforeAll(async () => {
    // A long grace: a stream still held after its client left would keep the shutdown waiting all of it.
    servidor = await iniciarApp({ MONITOR: "desligado", ENCERRAMENTO_SEGUNDOS: "30" });
  });
  afterAll(() => servidor?.parar());

  it("HEAD gets the stream's headers at once and no body; nothing is left running", async () => {
    const r = await cru(servidor.url, "/api/provedores-llm/eventos", { metodo: "HEAD", limiteMs: 5000 });
    expect([r.status, r.cabecalhos["content-type"], r.corpo]).toEqual([200, "text/event-stream; charset=utf-8", ""]);
  });

  it("is let go at once: the shutdown finds no request in flight and does not wait out its grace", { timeout: 60_000 }, async () => {
    const cancelar = new AbortController();
    const r = await fetch(`${servidor.url}/api/provedores-llm/eventos`, { signal: cancelar.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    const leitor = r.body!.getReader();
    const primeiro = new TextDecoder().decode((await leitor.read()).value);
    expect(primeiro).toContain("event: estado");
    cancelar.abort();
    // The server sees the connection close at once on loopback; a stream still held would outlive the shutdown.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const inicio = Date.now();
    expect(await servidor.parar()).toEqual({ codigo: 0, sinal: null });
    expect(Date.now() - inicio).toBeLessThan(15_000);
  });
});

describe("the gate runs once per request", () => {
  const TOKEN = "token-da-porta-unica-0123456789";
  let servidor: ServidorApp;
  beforeAll(async () => {
    servidor = await iniciarApp({ AUTH_TOKEN: TOKEN });
  });
  afterAll(() => servidor?.parar());

  // lib/seguranca/tentativas.ts: more than 10 wrong tokens from one address in a minute block it. Counted once
  // per request, attempts 1 to 10 get their normal answer and the 11th is the first 429.
  async function tentativas(caminho: string, endereco: string): Promise<RespostaCrua[]> {
    const respostas: RespostaCrua[] = [];
    for (let i = 0; i < 11; i++) {
      respostas.push(await cru(servidor.url, caminho, { cabecalhos: { authorization: "Bearer errado" }, deEndereco: endereco }));
    }
    return respostas;
  }

  it("a wrong Bearer token on a page counts once: ten redirects to /login, then 429 with Retry-After", async () => {
    const r = await tentativas("/provedores-llm", "127.0.0.61");
    expect(r.slice(0, 10).map((x) => x.status)).toEqual(Array(10).fill(307));
    expect(r[0]!.cabecalhos.location).toContain("/login");
    expect(r[10]!.status).toBe(429);
    expect(Number(r[10]!.cabecalhos["retry-after"])).toBeGreaterThan(0);
  });

  it("a wrong Bearer token on an API route counts once: ten 401, then 429 with Retry-After", async () => {
    const r = await tentativas("/api/provedores-llm", "127.0.0.62");
    expect(r.slice(0, 10).map((x) => [x.status, codigoDe(x)])).toEqual(Array(10).fill([401, "nao_autorizado"]));
    expect([r[10]!.status, codigoDe(r[10]!)]).toEqual([429, "muitas_tentativas"]);
    expect(Number(r[10]!.cabecalhos["retry-after"])).toBeGreaterThan(0);
    // The right token from that address waits too; from another address it passes.
    const certo = await cru(servidor.url, "/api/provedores-llm", {
      cabecalhos: { authorization: `Bearer ${TOKEN}` },
      deEndereco: "127.0.0.63",
    });
    expect(certo.status).toBe(200);
  });
});
