import Anthropic from "@anthropic-ai/sdk";
import { createClient, type Client } from "@libsql/client";
import OpenAI, { AuthenticationError, PermissionDeniedError } from "openai";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServidorFalso } from "../servidores/base";
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

async function provedor(nome: string, tipo: "ollama", falso: ServidorFalso): Promise<{ id: number; slug: string }> {
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

/** How long an instance remembers a key it read (lib/chaves/identificar.ts). */
const LEMBRAR_MS = 5000;
/** Waits (never asserts on the clock) until `ate` has passed, with a margin for the two clocks' rounding. */
const esperarPassar = (ate: number) => new Promise((r) => setTimeout(r, Math.max(0, ate - Date.now()) + 100));

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
  // cp-llama3:latest on both servers: a key limited to one provider must only ever reach that one.
  llama = await provedor(
    "Ollama do porão",
    "ollama",
    new OllamaFalso({
      modelos: [
        { id: "cp-tiny:latest", carregado: false },
        { id: "cp-llama3:latest", carregado: true },
      ],
      resposta: RESPOSTA,
    }),
  );
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
    // Its cache was filled by that call, at the latest when it returned.
    const lidaAte = Date.now() + LEMBRAR_MS;
    // What another instance's DELETE writes, behind this instance's back.
    await bancoDoApp.execute({ sql: "update chaves_acesso set revogada_em = ?, ativa = 0 where id = ?", args: [Date.now(), chave.id] });
    await esperarPassar(lidaAte);
    const r = await chat(chave.chave);
    expect(r.status, r.texto).toBe(401);
    expect(r.corpo.error.message).toContain("revogada");
  });

  it("an inactive key and an expired key are 401s that say which", async () => {
    const inativa = await criarChave({ nome: "Desligada" });
    expect((await raiz().pedir(`/api/chaves/${inativa.id}`, { method: "PUT", json: { ativa: false } })).status).toBe(200);
    const r = await chat(inativa.chave);
    expect(r.status).toBe(401);
    expect(r.corpo.error.message).toContain('"Desligada"');
    expect(r.corpo.error.message).toContain("desativada");

    const expira = await criarChave({ nome: "Expira logo", expira_em: new Date(Date.now() + 3600_000).toISOString() });
    expect(await conversar(openai(expira.chave), "cp-llama3:latest")).toBe(RESPOSTA);
    const lidaAte = Date.now() + LEMBRAR_MS;
    // Its expiry moved into the past (as another instance's PUT would): refused once this instance reads it again.
    await bancoDoApp.execute({ sql: "update chaves_acesso set expira_em = ? where id = ?", args: [Date.now() - 60_000, expira.id] });
    await esperarPassar(lidaAte);
    const e = await chat(expira.chave);
    expect(e.status, e.texto).toBe(401);
    expect(e.corpo.error.message).toContain('"Expira logo"');
    expect(e.corpo.error.message).toContain("expirada");
  });
});

describe("a key's scope", () => {
  /** A chat through /v1 with the key: status, who answered, and the error body. */
  const conversaCom = async (segredo: string, model: string) => {
    const r = await chat(segredo, model);
    return { status: r.status, provedor: Number(r.headers.get("x-provedor-id")), erro: r.corpo.error, texto: r.texto };
  };
  const idsDaLista = async (segredo: string) => (await openai(segredo).models.list()).data.map((m) => m.id).sort();

  it("models: the allowed model works (bare or pinned); any other is 403 fora_do_escopo naming the key and the model, even one that does not exist", async () => {
    const chave = await criarChave({ nome: "Só llama3", modelos: ["cp-llama3*"] });
    const cliente = openai(chave.chave);
    expect(await conversar(cliente, "cp-llama3:latest")).toBe(RESPOSTA);
    expect(await conversar(cliente, `${ollama.slug}/cp-llama3:latest`)).toBe(RESPOSTA);
    for (const modelo of ["cp-qwen2.5:7b", `${ollama.slug}/cp-qwen2.5:7b`, "cp-tiny:latest", "nao-existe"]) {
      const erro = await erroDe(conversar(cliente, modelo));
      expect(erro, modelo).toBeInstanceOf(PermissionDeniedError);
      const e = erro as PermissionDeniedError;
      expect(e.code, modelo).toBe("fora_do_escopo");
      expect(e.message, modelo).toContain('"Só llama3"');
      expect(e.message, modelo).toContain(`"${modelo}"`);
    }
    // The statistics never saw the refused requests reach a server: the qwen model's server got no chat.
    const ollamaFalso = falsos[0]!;
    expect(ollamaFalso.recebidas.filter((r) => r.corpoTexto.includes("cp-qwen2.5:7b") && /chat|generate/.test(r.caminho))).toEqual([]);
  });

  it("models.list() shows a key only what it may use; the admin (the app's own page) sees everything", async () => {
    const chave = await criarChave({ nome: "Lista llama3", modelos: ["cp-llama3*"] });
    expect(await idsDaLista(chave.chave)).toEqual(
      ["cp-llama3:latest", `${llama.slug}/cp-llama3:latest`, `${ollama.slug}/cp-llama3:latest`].sort(),
    );
    const admin = await raiz().pedir<{ data: { id: string }[] }>("/v1/models", { headers: { "sec-fetch-site": "same-origin" } });
    expect(admin.status, admin.texto).toBe(200);
    expect(admin.corpo.data.map((m) => m.id)).toEqual(
      expect.arrayContaining(["cp-qwen2.5:7b", "cp-tiny:latest", `${ollama.slug}/cp-qwen2.5:7b`, `${llama.slug}/cp-tiny:latest`]),
    );
  });

  it("providers: a routed model goes only to providers in scope; a model only outside them is 403, not 404", async () => {
    const chave = await criarChave({ nome: "Só o porão", provedores: [llama.id] });
    for (let i = 0; i < 6; i++) {
      const r = await conversaCom(chave.chave, "cp-llama3:latest");
      expect(r.status, r.texto).toBe(200);
      expect(r.provedor).toBe(llama.id);
    }
    const soNoOllama = await conversaCom(chave.chave, "cp-qwen2.5:7b");
    expect(soNoOllama.status, soNoOllama.texto).toBe(403);
    expect(soNoOllama.erro).toMatchObject({ code: "fora_do_escopo", type: "permission_error" });
    expect(soNoOllama.erro.message).toContain('"Só o porão"');
    expect(soNoOllama.erro.message).toContain('"Ollama das chaves"');
    const fixado = await conversaCom(chave.chave, `${ollama.slug}/cp-llama3:latest`);
    expect(fixado.status, fixado.texto).toBe(403);
    // The contract's door pins a provider by id: out of scope, its 403 in the contract's shape.
    const req = await comChave(chave.chave).pedir<ErroContrato>(`/api/provedores-llm/${ollama.id}/requisicao`, {
      json: { modelo: "cp-llama3:latest", mensagens: [{ role: "user", content: "Oi" }] },
    });
    expect(req.status, req.texto).toBe(403);
    expect(req.corpo.erro.codigo).toBe("fora_do_escopo");
    const noLlama = await comChave(chave.chave).pedir(`/api/provedores-llm/${llama.id}/requisicao`, {
      json: { modelo: "cp-tiny:latest", mensagens: [{ role: "user", content: "Oi" }] },
    });
    expect(noLlama.status, noLlama.texto).toBe(200);
    expect(await idsDaLista(chave.chave)).toEqual(
      ["cp-llama3:latest", "cp-tiny:latest", `${llama.slug}/cp-llama3:latest`, `${llama.slug}/cp-tiny:latest`].sort(),
    );
    const lista = (await openai(chave.chave).models.list()).data.find((m) => m.id === "cp-llama3:latest") as unknown as {
      provedores_llm: { provedores: { id: number }[] };
    };
    expect(lista.provedores_llm.provedores.map((p) => p.id)).toEqual([llama.id]);
  });

  it("a pattern with a provider's slug (`<slug>/*`) scopes by provider too, bare ids included", async () => {
    const chave = await criarChave({ nome: "Slug do porão", modelos: [`${llama.slug}/*`] });
    for (let i = 0; i < 4; i++) expect((await conversaCom(chave.chave, "cp-llama3:latest")).provedor).toBe(llama.id);
    expect((await conversaCom(chave.chave, "cp-tiny:latest")).status).toBe(200);
    expect((await conversaCom(chave.chave, "cp-qwen2.5:7b")).status).toBe(403);
    expect((await conversaCom(chave.chave, `${ollama.slug}/cp-llama3:latest`)).status).toBe(403);
  });

  it("doors: a key opens only its doors, each refusing in its own shape; its model lists too", async () => {
    const soOllama = await criarChave({ nome: "Só Ollama", portas: ["ollama"] });
    const r = await conversaCom(soOllama.chave, "cp-llama3:latest");
    expect(r.status).toBe(403);
    expect(r.erro.code).toBe("fora_do_escopo");
    expect(r.erro.message).toContain('"Só Ollama"');
    expect(r.erro.message).toContain("openai");
    expect((await comChave(soOllama.chave).pedir("/v1/models")).status).toBe(403);
    const ollamaChat = await comChave(soOllama.chave).pedir<{ message: { content: string } }>("/api/chat", {
      json: { model: "cp-llama3:latest", stream: false, messages: [{ role: "user", content: "Oi" }] },
    });
    expect(ollamaChat.status, ollamaChat.texto).toBe(200);
    expect(ollamaChat.corpo.message.content).toBe(RESPOSTA);

    const soOpenAI = await criarChave({ nome: "Só OpenAI", portas: ["openai"] });
    const tags = await comChave(soOpenAI.chave).pedir<{ error: string }>("/api/tags");
    expect(tags.status).toBe(403);
    expect(tags.corpo.error).toContain('"Só OpenAI"');
    const anthropic = new Anthropic({ baseURL: app.url, apiKey: soOpenAI.chave, maxRetries: 0 });
    const deAnthropic = await erroDe(
      anthropic.messages.create({ model: "cp-llama3:latest", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] }),
    );
    expect(deAnthropic).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((deAnthropic as InstanceType<typeof Anthropic.PermissionDeniedError>).error).toMatchObject({
      type: "error",
      error: { type: "permission_error", message: expect.stringContaining('"Só OpenAI"') },
    });
    const responses = await comChave(soOpenAI.chave).pedir<ErroOpenAI>("/v1/responses", {
      json: { model: "cp-llama3:latest", input: "Oi" },
    });
    expect(responses.status, responses.texto).toBe(403);
    expect(await conversar(openai(soOpenAI.chave), "cp-llama3:latest")).toBe(RESPOSTA);
  });

  it("Ollama's lists show a key only its models: /api/tags, /api/ps, and /api/show of another model is 403", async () => {
    const chave = await criarChave({ nome: "Só qwen", modelos: ["cp-qwen*"] });
    const nomes = async (caminho: string) =>
      (await comChave(chave.chave).pedir<{ models: { name: string }[] }>(caminho)).corpo.models.map((m) => m.name);
    expect(await nomes("/api/tags")).toEqual(["cp-qwen2.5:7b"]);
    expect(await nomes("/api/ps")).toEqual(["cp-qwen2.5:7b"]);
    expect((await comChave(chave.chave).pedir("/api/show", { json: { model: "cp-qwen2.5:7b" } })).status).toBe(200);
    const outro = await comChave(chave.chave).pedir<{ error: string }>("/api/show", { json: { model: "cp-llama3:latest" } });
    expect(outro.status, outro.texto).toBe(403);
    expect(outro.corpo.error).toContain('"Só qwen"');
    // The admin still sees every model.
    const todos = await raiz().pedir<{ models: { name: string }[] }>("/api/tags", { headers: { "sec-fetch-site": "same-origin" } });
    expect(todos.corpo.models.map((m) => m.name)).toEqual(expect.arrayContaining(["cp-llama3:latest", "cp-qwen2.5:7b", "cp-tiny:latest"]));
  });
});

describe("a key's scope on every model call", () => {
  const ollamaFalso = () => falsos[0]!;

  it("a pattern without `/` matches model ids only, never a provider whose slug starts with it", async () => {
    const caixa = await provedor(
      "cp-llama3 caixa",
      "ollama",
      new OllamaFalso({ modelos: [{ id: "cp-segredo:latest", carregado: true }], resposta: RESPOSTA }),
    );
    expect(caixa.slug.startsWith("cp-llama3")).toBe(true);
    const chave = await criarChave({ nome: "Padrão llama3", modelos: ["cp-llama3*"] });
    for (const modelo of ["cp-segredo:latest", `${caixa.slug}/cp-segredo:latest`]) {
      const r = await chat(chave.chave, modelo);
      expect(r.status, `${modelo}: ${r.texto}`).toBe(403);
      expect(r.corpo.error.code).toBe("fora_do_escopo");
    }
    const ids = (await openai(chave.chave).models.list()).data.map((m) => m.id);
    expect(ids.filter((id) => id.includes("cp-segredo"))).toEqual([]);
    expect(ids).toContain("cp-llama3:latest");
    const tags = await comChave(chave.chave).pedir<{ models: { name: string }[] }>("/api/tags");
    expect(tags.corpo.models.map((m) => m.name).filter((n) => n.includes("cp-segredo"))).toEqual([]);
    // A pattern with `/` still scopes by the slug.
    const porSlug = await criarChave({ nome: "Slug da caixa", modelos: [`${caixa.slug}/*`] });
    expect((await chat(porSlug.chave, "cp-segredo:latest")).status).toBe(200);
  });

  it("embeddings on /v1/embeddings, /api/embed and /api/embeddings, and /api/generate: in scope 200, else 403", async () => {
    const chave = await criarChave({ nome: "Só qwen nas portas", modelos: ["cp-qwen*"] });
    const c = comChave(chave.chave);
    const v1 = await openai(chave.chave).embeddings.create({ model: "cp-qwen2.5:7b", input: "Oi" });
    expect(v1.data[0]?.embedding.length).toBeGreaterThan(0);
    const v1Fora = await erroDe(openai(chave.chave).embeddings.create({ model: "cp-llama3:latest", input: "Oi" }));
    expect(v1Fora).toBeInstanceOf(PermissionDeniedError);
    expect((v1Fora as PermissionDeniedError).code).toBe("fora_do_escopo");
    for (const [caminho, corpo] of [
      ["/api/embed", { input: "Oi" }],
      ["/api/embeddings", { prompt: "Oi" }],
      ["/api/generate", { prompt: "Oi", stream: false }],
    ] as const) {
      const dentro = await c.pedir(caminho, { json: { model: "cp-qwen2.5:7b", ...corpo } });
      expect(dentro.status, `${caminho}: ${dentro.texto}`).toBe(200);
      const fora = await c.pedir<{ error: string }>(caminho, { json: { model: "cp-llama3:latest", ...corpo } });
      expect(fora.status, `${caminho}: ${fora.texto}`).toBe(403);
      expect(fora.corpo.error).toContain('"Só qwen nas portas"');
    }
  });

  it("count_tokens: a model in scope is counted, another is 403 in Anthropic's shape", async () => {
    const chave = await criarChave({ nome: "Conta qwen", modelos: ["cp-qwen*"] });
    const anthropic = new Anthropic({ baseURL: app.url, apiKey: chave.chave, maxRetries: 0 });
    const contagem = await anthropic.messages.countTokens({ model: "cp-qwen2.5:7b", messages: [{ role: "user", content: "Oi" }] });
    expect(contagem.input_tokens).toBeGreaterThan(0);
    const fora = await erroDe(anthropic.messages.countTokens({ model: "cp-llama3:latest", messages: [{ role: "user", content: "Oi" }] }));
    expect(fora).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((fora as InstanceType<typeof Anthropic.PermissionDeniedError>).error).toMatchObject({
      type: "error",
      error: { type: "permission_error", message: expect.stringContaining('"Conta qwen"') },
    });
  });

  it("the Ollama door: a model outside the scope is 403 even when no server has it, and asks no server for its list", async () => {
    const chave = await criarChave({ nome: "Só qwen no Ollama", modelos: ["cp-qwen*"] });
    const listasAntes = ollamaFalso().recebidas.filter((r) => r.caminho === "/api/tags").length;
    for (const caminho of ["/api/chat", "/api/generate", "/api/embed"]) {
      const r = await comChave(chave.chave).pedir<{ error: string }>(caminho, {
        json: { model: "cp-nao-existe:1b", stream: false, messages: [{ role: "user", content: "Oi" }], prompt: "Oi", input: "Oi" },
      });
      expect(r.status, `${caminho}: ${r.texto}`).toBe(403);
      expect(r.corpo.error).toContain('"Só qwen no Ollama"');
    }
    // A key that does not open the door is refused before any lookup too.
    const soOpenAI = await criarChave({ nome: "Só OpenAI no Ollama", portas: ["openai"] });
    const porta = await comChave(soOpenAI.chave).pedir("/api/chat", {
      json: { model: "cp-outro-que-nao-existe:1b", stream: false, messages: [{ role: "user", content: "Oi" }] },
    });
    expect(porta.status, porta.texto).toBe(403);
    // A key with a `/` pattern asking /v1 for an unknown model: 403, not 404.
    const porSlug = await criarChave({ nome: "Slug no v1", modelos: [`${llama.slug}/*`] });
    const v1 = await chat(porSlug.chave, "cp-tambem-nao-existe:1b");
    expect(v1.status, v1.texto).toBe(403);
    expect(v1.corpo.error.code).toBe("fora_do_escopo");
    expect(ollamaFalso().recebidas.filter((r) => r.caminho === "/api/tags").length).toBe(listasAntes);
  });

  it("a key may not unload a model (keep_alive: 0): 403 acesso_negado, and no server is asked", async () => {
    const chave = await criarChave({ nome: "Não descarrega" });
    const antes = ollamaFalso().recebidas.filter((r) => r.caminho === "/api/generate").length;
    for (const [caminho, corpo] of [
      ["/api/generate", { model: "cp-qwen2.5:7b", keep_alive: 0 }],
      ["/api/chat", { model: "cp-qwen2.5:7b", messages: [], keep_alive: "0" }],
    ] as const) {
      const r = await comChave(chave.chave).pedir<{ error: string }>(caminho, { json: corpo });
      expect(r.status, `${caminho}: ${r.texto}`).toBe(403);
      expect(r.corpo.error).toContain('"Não descarrega"');
      expect(r.corpo.error).toContain("keep_alive");
    }
    expect(ollamaFalso().recebidas.filter((r) => r.caminho === "/api/generate").length).toBe(antes);
    // A preload (no keep_alive 0) still works for the key.
    expect((await comChave(chave.chave).pedir("/api/generate", { json: { model: "cp-qwen2.5:7b" } })).status).toBe(200);
  });

  it("without AUTH_TOKEN a placeholder bearer (sk-…) is a 401 that does not count in the login throttle", async () => {
    const chave = await criarChave({ nome: "Depois dos placeholders" });
    for (let i = 0; i < 12; i++) expect((await chat("sk-x")).status).toBe(401);
    const r = await chat(chave.chave);
    expect(r.status, r.texto).toBe(200);
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
