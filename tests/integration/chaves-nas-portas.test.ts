import Anthropic from "@anthropic-ai/sdk";
import { createClient, type Client } from "@libsql/client";
import OpenAI, { AuthenticationError } from "openai";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OllamaFalso } from "../servidores/ollama";
import { clienteApi } from "../support/cliente-api";
import { app as appCompartilhado } from "../support/contexto";
import { esperarAte } from "../support/portas";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// Access keys at the doors, over real HTTP with the official SDKs, on an app of this file's own (no AUTH_TOKEN,
// as a single user runs it): once a key exists the model doors ask for one, a key opens only them, and within its
// scope. Keys created here never reach the suite's shared app, whose doors other files use without a key.

type Chave = { id: number; nome: string; prefixo: string; chave: string };
type ErroContrato = { erro: { codigo: string; mensagem: string } };
type ErroOpenAI = { error: { message: string; type: string; code: string } };

let app: ServidorApp;
let bancoDoApp: Client;
const falsos: ServidorFalso[] = [];
const RESPOSTA = "Resposta do servidor de teste.";

const raiz = () => clienteApi(app.url);
const rest = () => clienteApi(`${app.url}/api/provedores-llm`);
const comChave = (segredo: string) => clienteApi(app.url, { token: segredo });

function openai(apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${app.url}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });
}

async function criarChave(corpo: Record<string, unknown>, url = app.url): Promise<Chave> {
  const r = await clienteApi(`${url}/api/chaves`).pedir<Chave>("", { json: corpo });
  expect(r.status, r.texto).toBe(201);
  return r.corpo;
}

async function provedor(nome: string, tipo: "ollama" | "llama_cpp", falso: ServidorFalso): Promise<{ id: number; slug: string }> {
  falsos.push(await falso.iniciar());
  const r = await rest().pedir<{ id: number; slug: string }>("", { json: { nome, tipo, base_url: falso.url, timeout_segundos: 3 } });
  expect(r.status, r.texto).toBe(201);
  expect((await rest().pedir(`/${r.corpo.id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });
  return r.corpo;
}

/** One chat through /v1 with the SDK: the text that came back. */
async function conversar(cliente: OpenAI, model: string): Promise<string> {
  const r = await cliente.chat.completions.create({ model, messages: [{ role: "user", content: "Oi" }] });
  return r.choices[0]?.message.content ?? "";
}

/** What the SDK raised (or null): every refusal here is an APIError with the door's status and body. */
async function erroDe(promessa: Promise<unknown>): Promise<unknown> {
  try {
    await promessa;
    return null;
  } catch (e) {
    return e;
  }
}

const chat = (segredo: string | null, model = "cp-llama3:latest") =>
  clienteApi(app.url, segredo === null ? {} : { token: segredo }).pedir<ErroOpenAI>("/v1/chat/completions", {
    json: { model, messages: [{ role: "user", content: "Oi" }] },
  });

let ollama: { id: number; slug: string };
let llama: { id: number; slug: string };

beforeAll(async () => {
  app = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado" });
  bancoDoApp = createClient({ url: `file:${path.join(app.dataDir, "provedores-llm.db")}` });
  ollama = await provedor(
    "Ollama das chaves",
    "ollama",
    new OllamaFalso({
      modelos: [
        { id: "cp-llama3:latest", carregado: true },
        { id: "cp-qwen2.5:7b", carregado: true },
      ],
      resposta: RESPOSTA,
    }),
  );
  llama = await provedor("llama.cpp das chaves", "llama_cpp", new LlamaCppFalso({ modelos: [{ id: "cp-tiny" }], resposta: RESPOSTA }));
});

afterAll(async () => {
  bancoDoApp?.close();
  await Promise.all(falsos.map((f) => f.parar()));
  await app?.parar();
});

describe("before any key exists", () => {
  it("the model doors stay open on loopback without a token, as they always were", async () => {
    const r = await chat(null);
    expect(r.status, r.texto).toBe(200);
    // A client that must send some key (the SDK) and sends a made-up one is not refused either.
    expect(await conversar(openai("sk-qualquer"), "cp-llama3:latest")).toBe(RESPOSTA);
  });
});

describe("a key at the gate", () => {
  let livre: Chave;
  beforeAll(async () => {
    livre = await criarChave({ nome: "Script livre" });
  });

  it("authenticates on /v1/chat/completions through the OpenAI SDK", async () => {
    expect(await conversar(openai(livre.chave), "cp-llama3:latest")).toBe(RESPOSTA);
  });

  it("records its last use in the background", async () => {
    await esperarAte(
      async () =>
        (await bancoDoApp.execute({ sql: "select ultimo_uso_em from chaves_acesso where id = ?", args: [livre.id] })).rows[0]
          ?.ultimo_uso_em != null,
      10_000,
      "ultimo_uso_em gravado",
    );
  });

  it("once a key exists, loopback without a token (or with a made-up key) gets 401 in each door's shape", async () => {
    const semNada = await chat(null);
    expect(semNada.status).toBe(401);
    expect(semNada.headers.get("www-authenticate")).toBe("Bearer");
    expect(semNada.corpo.error).toMatchObject({ type: "authentication_error", code: "invalid_api_key" });
    expect(semNada.corpo.error.message).toContain("Chave de acesso necessária");
    const inventada = await erroDe(conversar(openai("sk-qualquer"), "cp-llama3:latest"));
    expect(inventada).toBeInstanceOf(AuthenticationError);
    expect((inventada as AuthenticationError).message).not.toContain("sk-qualquer");
    // Ollama's door: its own `{error}`.
    const tags = await raiz().pedir<{ error: string }>("/api/tags");
    expect(tags.status).toBe(401);
    expect(typeof tags.corpo.error).toBe("string");
    // The contract's door (a pinned provider).
    const req = await raiz().pedir<ErroContrato>(`/api/provedores-llm/${ollama.id}/requisicao`, {
      json: { mensagens: [{ role: "user", content: "Oi" }] },
    });
    expect(req.status, req.texto).toBe(401);
    expect(req.corpo.erro.codigo).toBe("nao_autorizado");
  });

  it("the app's own page is the admin without a token: the Testar tab's same-origin request still works", async () => {
    const r = await raiz().pedir<{ conteudo?: string }>(`/api/provedores-llm/${ollama.id}/requisicao`, {
      json: { mensagens: [{ role: "user", content: "Oi" }] },
      headers: { origin: app.url, "sec-fetch-site": "same-origin" },
    });
    expect(r.status, r.texto).toBe(200);
    expect(r.texto).toContain(RESPOSTA);
    // Without those headers the same request is no page of this app.
    const alheia = await chat(null);
    expect(alheia.status).toBe(401);
  });

  it("the management stays open to the admin (no AUTH_TOKEN) and closed to a key: 403 acesso_negado in the door's shape", async () => {
    const chave = comChave(livre.chave);
    for (const caminho of [
      "/api/chaves",
      `/api/chaves/${livre.id}`,
      "/api/provedores-llm",
      `/api/provedores-llm/${ollama.id}`,
      "/api/metrics",
      "/api/openapi.json",
    ]) {
      const r = await chave.pedir<ErroContrato>(caminho);
      expect(r.status, `${caminho}: ${r.texto}`).toBe(403);
      expect(r.corpo.erro.codigo, caminho).toBe("acesso_negado");
      expect(r.corpo.erro.mensagem, caminho).toContain("Script livre");
      expect(r.texto, caminho).not.toContain(livre.chave);
    }
    // A write with a key changes nothing.
    const criar = await chave.pedir<ErroContrato>("/api/chaves", { json: { nome: "Escalada" } });
    expect(criar.status).toBe(403);
    expect((await raiz().pedir<{ nome: string }[]>("/api/chaves")).corpo.map((c) => c.nome)).not.toContain("Escalada");
    // Ollama's pull and delete change a server: the admin's. The answer is Ollama's `{error}`.
    const pull = await chave.pedir<{ error: string }>("/api/pull", { json: { model: "cp-novo" } });
    expect(pull.status, pull.texto).toBe(403);
    expect(pull.corpo.error).toContain("Script livre");
    const excluir = await chave.pedir<{ error: string }>("/api/delete", { method: "DELETE", json: { model: "cp-qwen2.5:7b" } });
    expect(excluir.status, excluir.texto).toBe(403);
    // Without a key the same routes still answer the admin.
    expect((await raiz().pedir("/api/chaves")).status).toBe(200);
    expect((await raiz().pedir("/api/metrics")).status).toBe(200);
  });

  it("a key on a page is a 403, never the login page", async () => {
    const r = await comChave(livre.chave).pedir<ErroContrato>("/provedores-llm", { redirect: "manual" });
    expect(r.status, r.texto).toBe(403);
    expect(r.corpo.erro.codigo).toBe("acesso_negado");
    expect(r.headers.get("location")).toBeNull();
    // The admin (no AUTH_TOKEN here) still sees the page.
    expect((await raiz().pedir("/provedores-llm", { redirect: "manual" })).status).toBe(200);
  });

  it("an unknown key is a 401 that never repeats the secret", async () => {
    const falsa = `pllm_${"x".repeat(43)}`;
    const r = await chat(falsa);
    expect(r.status).toBe(401);
    expect(r.corpo.error.message).toContain("Chave de acesso inválida");
    expect(r.texto).not.toContain(falsa);
  });

  it("a revoked key is refused at once on the instance that revoked it, with a 401 that says so", async () => {
    const chave = await criarChave({ nome: "Revogada aqui" });
    expect(await conversar(openai(chave.chave), "cp-llama3:latest")).toBe(RESPOSTA);
    expect((await raiz().resposta(`/api/chaves/${chave.id}`, { method: "DELETE" })).status).toBe(204);
    const erro = await erroDe(conversar(openai(chave.chave), "cp-llama3:latest"));
    expect(erro).toBeInstanceOf(AuthenticationError);
    expect((erro as AuthenticationError).message).toContain('"Revogada aqui"');
    expect((erro as AuthenticationError).message).toContain("revogada");
    // Anthropic's door, through its SDK: its own 401.
    const anthropic = new Anthropic({ baseURL: app.url, apiKey: chave.chave, maxRetries: 0 });
    const deAnthropic = await erroDe(
      anthropic.messages.create({ model: "cp-llama3:latest", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] }),
    );
    expect(deAnthropic).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((deAnthropic as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
  });

  it("a key revoked in the database by another instance is refused here within 5 s", async () => {
    const chave = await criarChave({ nome: "Revogada em outra instância" });
    expect(await conversar(openai(chave.chave), "cp-llama3:latest")).toBe(RESPOSTA);
    // What another instance's DELETE writes, behind this instance's back (its cache was filled just now).
    const revogadaEm = Date.now();
    await bancoDoApp.execute({ sql: "update chaves_acesso set revogada_em = ?, ativa = 0 where id = ?", args: [revogadaEm, chave.id] });
    let recusadaEm = 0;
    await esperarAte(
      async () => {
        const r = await chat(chave.chave);
        recusadaEm = Date.now();
        return r.status === 401;
      },
      15_000,
      "a chave revogada recusada",
    );
    expect(recusadaEm - revogadaEm).toBeLessThanOrEqual(5000 + 1500);
  });

  it("an inactive key and an expired key are 401s that say which", async () => {
    const inativa = await criarChave({ nome: "Desligada" });
    expect((await raiz().pedir(`/api/chaves/${inativa.id}`, { method: "PUT", json: { ativa: false } })).status).toBe(200);
    const r = await chat(inativa.chave);
    expect(r.status).toBe(401);
    expect(r.corpo.error.message).toContain('"Desligada"');
    expect(r.corpo.error.message).toContain("desativada");

    const expira = await criarChave({ nome: "Expira logo", expira_em: new Date(Date.now() + 3000).toISOString() });
    expect(await conversar(openai(expira.chave), "cp-llama3:latest")).toBe(RESPOSTA);
    let corpo: ErroOpenAI | null = null;
    await esperarAte(
      async () => {
        const e = await chat(expira.chave);
        corpo = e.corpo;
        return e.status === 401;
      },
      15_000,
      "a chave expirada recusada",
    );
    expect(corpo!.error.message).toContain('"Expira logo"');
    expect(corpo!.error.message).toContain("expirada");
  });
});

describe("PORTAS_SEM_CHAVE=1, and the login throttle (an app of their own: the throttle counts per address)", () => {
  let aberto: ServidorApp;
  beforeAll(async () => {
    aberto = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado", PORTAS_SEM_CHAVE: "1" });
  });
  afterAll(async () => {
    await aberto?.parar();
  });

  it("keeps the model doors open on loopback without a key, though keys exist; a key sent is still checked", async () => {
    const chave = await criarChave({ nome: "Chave do aberto" }, aberto.url);
    const semChave = await clienteApi(aberto.url).pedir<{ data: unknown[] }>("/v1/models");
    expect(semChave.status, semChave.texto).toBe(200);
    expect((await clienteApi(aberto.url, { token: chave.chave }).pedir("/v1/models")).status).toBe(200);
    expect((await clienteApi(aberto.url, { token: chave.chave }).pedir("/api/chaves")).status).toBe(403);
    expect((await clienteApi(aberto.url, { token: `pllm_${"y".repeat(43)}` }).pedir("/v1/models")).status).toBe(401);
  });

  it("counts bad keys in the login throttle: 429 with Retry-After once past the limit, even for a good key", async () => {
    const chave = await criarChave({ nome: "Chave boa" }, aberto.url);
    const falsa = (i: number) => clienteApi(aberto.url, { token: `pllm_${String(i).padStart(43, "z")}` });
    const status: number[] = [];
    for (let i = 0; i < 12; i++) status.push((await falsa(i).pedir("/v1/models")).status);
    expect(status).toContain(429);
    expect(status.slice(0, status.indexOf(429)).every((s) => s === 401)).toBe(true);
    const boa = await clienteApi(aberto.url, { token: chave.chave }).pedir<ErroOpenAI>("/v1/models");
    expect(boa.status).toBe(429);
    expect(boa.corpo.error.code).toBe("muitas_tentativas");
    expect(Number(boa.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
