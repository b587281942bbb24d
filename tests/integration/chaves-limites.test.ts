import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { createClient } from "@libsql/client";
import OpenAI, { RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { clienteApi } from "../support/cliente-api";
import { app as appCompartilhado } from "../support/contexto";
import { esperarAte } from "../support/portas";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// A key's limits at the doors, over real HTTP with the official SDKs and the key as `apiKey`, on an app of this
// file's own (keys created here would close the shared app's doors to the other files).

type Chave = { id: number; nome: string; chave: string };

let app: ServidorApp;
const falsos: ServidorFalso[] = [];
const RESPOSTA = "Resposta do servidor de teste.";
const lento = new LlamaCppFalso({ modelos: [{ id: "lim-lento" }], resposta: RESPOSTA });

/** The admin's secret on this app (AUTH_TOKEN): it manages providers and keys, and calls the doors without limits. */
const ADMIN = "admin-dos-limites-0123456789";
const rest = () => clienteApi(`${app.url}/api/provedores-llm`, { token: ADMIN });

function openai(apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${app.url}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });
}

async function criarChave(corpo: Record<string, unknown>): Promise<Chave> {
  const r = await clienteApi(`${app.url}/api/chaves`, { token: ADMIN }).pedir<Chave>("", { json: corpo });
  expect(r.status, r.texto).toBe(201);
  return r.corpo;
}

async function provedor(nome: string, falso: ServidorFalso): Promise<void> {
  falsos.push(await falso.iniciar());
  const r = await rest().pedir<{ id: number }>("", { json: { nome, tipo: "llama_cpp", base_url: falso.url, timeout_segundos: 5 } });
  expect(r.status, r.texto).toBe(201);
  expect((await rest().pedir(`/${r.corpo.id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });
}

async function erroDe(promessa: Promise<unknown>): Promise<unknown> {
  try {
    await promessa;
    return null;
  } catch (e) {
    return e;
  }
}

/** A chat through the SDK, with the answer's headers. */
function conversar(cliente: OpenAI, extra: { max_tokens?: number } = {}, model = "lim-tiny") {
  return cliente.chat.completions.create({ model, messages: [{ role: "user", content: "Oi" }], ...extra }).withResponse();
}

/**
 * The rpm and tpm windows are UTC minutes: a test that must stay inside one starts early in a minute (a wait,
 * not an assertion on time).
 */
async function inicioDeUmMinuto(): Promise<void> {
  const resta = 60_000 - (Date.now() % 60_000);
  if (resta < 20_000) await new Promise((r) => setTimeout(r, resta + 50));
}

const CABECALHOS_DE_LIMITE = [
  "x-ratelimit-limit-requests",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-reset-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-tokens",
];

beforeAll(async () => {
  app = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado", AUTH_TOKEN: ADMIN });
  await provedor("llama.cpp dos limites", new LlamaCppFalso({ modelos: [{ id: "lim-tiny" }], resposta: RESPOSTA }));
  await provedor("llama.cpp lento", lento);
});

afterAll(async () => {
  lento.soltar();
  await Promise.all(falsos.map((f) => f.parar()));
  await app?.parar();
});

describe("requests per minute", () => {
  it("a 4-rpm key: four answers counting down in OpenAI's headers, the 5th a 429 with Retry-After in every door's shape", async () => {
    const chave = await criarChave({ nome: "Quatro por minuto", limite_rpm: 4 });
    const cliente = openai(chave.chave);
    await inicioDeUmMinuto();
    const restantes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { data, response } = await conversar(cliente);
      expect(data.choices[0]?.message.content).toBe(RESPOSTA);
      expect(response.headers.get("x-ratelimit-limit-requests")).toBe("4");
      expect(response.headers.get("x-ratelimit-reset-requests")).toMatch(/^(1m0s|\d+s|\d+ms)$/);
      restantes.push(response.headers.get("x-ratelimit-remaining-requests")!);
    }
    expect(restantes).toEqual(["3", "2", "1", "0"]);

    const quinta = await erroDe(conversar(cliente));
    expect(quinta).toBeInstanceOf(RateLimitError);
    const e = quinta as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.error).toMatchObject({ type: "rate_limit_error", code: "limite_excedido" });
    expect(e.message).toContain('A chave "Quatro por minuto" atingiu o limite de 4 requisições por minuto');
    const espera = Number(e.headers?.get("retry-after"));
    expect(espera).toBeGreaterThanOrEqual(1);
    expect(espera).toBeLessThanOrEqual(60);
    expect(e.headers?.get("x-ratelimit-remaining-requests")).toBe("0");

    // The same key at Anthropic's door: its SDK's RateLimitError (rate_limit_error), Retry-After too.
    const anthropic = new Anthropic({ baseURL: app.url, apiKey: chave.chave, maxRetries: 0 });
    const deAnthropic = await erroDe(
      anthropic.messages.create({ model: "lim-tiny", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] }),
    );
    expect(deAnthropic).toBeInstanceOf(Anthropic.RateLimitError);
    const ea = deAnthropic as InstanceType<typeof Anthropic.RateLimitError>;
    expect(ea.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(Number(ea.headers?.get("retry-after"))).toBeGreaterThanOrEqual(1);

    // Ollama's door: its own {error}, 429.
    const ollama = await clienteApi(app.url, { token: chave.chave }).pedir<{ error: string }>("/api/chat", {
      json: { model: "lim-tiny", messages: [{ role: "user", content: "Oi" }], stream: false },
    });
    expect(ollama.status).toBe(429);
    expect(ollama.corpo.error).toContain("4 requisições por minuto");
    expect(Number(ollama.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("tokens per minute", () => {
  it("reserves max_tokens when a call starts, counts the usage the server reported when it ends", async () => {
    const chave = await criarChave({ nome: "Tokens por minuto", limite_tpm: 400 });
    const cliente = openai(chave.chave);
    await inicioDeUmMinuto();
    const primeira = await conversar(cliente, { max_tokens: 100 });
    const usados = primeira.data.usage?.total_tokens ?? 0;
    expect(usados).toBeGreaterThan(0);
    // The reservation (the prompt's estimate + 100) was corrected to what the server said it used.
    expect(primeira.response.headers.get("x-ratelimit-limit-tokens")).toBe("400");
    expect(primeira.response.headers.get("x-ratelimit-remaining-tokens")).toBe(String(400 - usados));
    expect(primeira.response.headers.get("x-ratelimit-reset-tokens")).toMatch(/^(1m0s|\d+s|\d+ms)$/);
    // No rpm limit: no requests trio.
    expect(primeira.response.headers.get("x-ratelimit-limit-requests")).toBeNull();

    // A call that may take the whole minute's tokens has no room left: refused before any server is asked.
    const pedidosAntes = falsos[0]!.recebidas.length;
    const grande = await erroDe(conversar(cliente, { max_tokens: 1000 }));
    expect(grande).toBeInstanceOf(RateLimitError);
    expect((grande as RateLimitError).message).toContain("400 tokens por minuto");
    expect(falsos[0]!.recebidas.length).toBe(pedidosAntes);
    // A small one still fits.
    const pequena = await conversar(cliente, { max_tokens: 5 });
    expect(pequena.data.choices[0]?.message.content).toBeTruthy();
  });
});

describe("tokens per minute from a stream", () => {
  it("a stream's reservation is corrected from the usage it reported once it ends", async () => {
    const chave = await criarChave({ nome: "Tokens de stream", limite_tpm: 2000, limite_concorrencia: 1 });
    const cliente = openai(chave.chave);
    await inicioDeUmMinuto();
    const stream = await cliente.chat.completions.create({
      model: "lim-tiny",
      stream: true,
      max_tokens: 1500,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Oi" }],
    });
    let usoDoStream = 0;
    for await (const pedaco of stream) usoDoStream = pedaco.usage?.total_tokens ?? usoDoStream;
    expect(usoDoStream).toBeGreaterThan(0);
    // Its slot is freed when it settles, with its tokens corrected (the same moment): the next call then passes.
    let seguinte: Awaited<ReturnType<typeof conversar>> | null = null;
    await esperarAte(
      async () => {
        seguinte = await conversar(cliente, { max_tokens: 10 }).catch(() => null);
        return seguinte !== null;
      },
      5000,
      "a vaga livre de novo",
    );
    const { data, response } = seguinte!;
    // Without the correction the stream's 1500 + its prompt would still count.
    expect(response.headers.get("x-ratelimit-remaining-tokens")).toBe(String(2000 - usoDoStream - (data.usage?.total_tokens ?? 0)));
  });
});

describe("concurrency", () => {
  it("a slow stream holds the key's one slot: a second call meanwhile is a 429; once it ends the slot is free", async () => {
    const chave = await criarChave({ nome: "Uma por vez", limite_concorrencia: 1 });
    const cliente = openai(chave.chave);
    await lento.definirFalha("segurar");
    const stream = await cliente.chat.completions.create({ model: "lim-lento", stream: true, messages: [{ role: "user", content: "Oi" }] });
    const leitor = stream[Symbol.asyncIterator]();
    expect((await leitor.next()).done).toBe(false);

    const segunda = await erroDe(conversar(cliente));
    expect(segunda).toBeInstanceOf(RateLimitError);
    expect((segunda as RateLimitError).error).toMatchObject({ code: "limite_excedido" });
    expect((segunda as RateLimitError).message).toContain("1 requisição em andamento");
    expect((segunda as RateLimitError).headers?.get("retry-after")).toBe("1");

    await lento.definirFalha(null);
    lento.soltar();
    let texto = "";
    for (let r = await leitor.next(); !r.done; r = await leitor.next()) texto += r.value.choices[0]?.delta.content ?? "";
    expect(texto.length).toBeGreaterThan(0);
    // The stream's end freed the slot (a moment after the last byte: the app settles it once the writing is done).
    await esperarAte(async () => (await erroDe(conversar(cliente))) === null, 5000, "a vaga livre de novo");
  });
});

describe("daily budget", () => {
  it("a spent budget is a 429 orcamento_esgotado that says when it renews (the next UTC day, pt-BR)", async () => {
    const chave = await criarChave({ nome: "Orçamento curto", orcamento_tokens_dia: 20 });
    const cliente = openai(chave.chave);
    // The first call reserves the whole budget (no max_tokens: the default, capped at the budget) and uses it.
    const primeira = await conversar(cliente);
    expect(primeira.data.usage?.total_tokens).toBeGreaterThanOrEqual(1);
    let erro: unknown = null;
    for (let i = 0; i < 5 && erro === null; i++) erro = await erroDe(conversar(cliente));
    expect(erro).toBeInstanceOf(RateLimitError);
    const e = erro as RateLimitError;
    expect(e.error).toMatchObject({ code: "orcamento_esgotado", type: "rate_limit_error" });
    const amanha = new Date(Date.now() + 86_400_000);
    const data = `${String(amanha.getUTCDate()).padStart(2, "0")}/${String(amanha.getUTCMonth() + 1).padStart(2, "0")}/${amanha.getUTCFullYear()}`;
    expect(e.message).toContain(
      `O orçamento diário de 20 tokens da chave "Orçamento curto" se esgotou; ele renova em ${data} às 00:00 (UTC).`,
    );
    expect(Number(e.headers?.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("headers", () => {
  it("absent on the answers of a key without limits, and of the admin", async () => {
    const livre = await criarChave({ nome: "Sem limites" });
    const { response } = await conversar(openai(livre.chave));
    for (const nome of CABECALHOS_DE_LIMITE) expect(response.headers.get(nome), nome).toBeNull();
    const admin = await conversar(openai(ADMIN));
    expect(admin.data.choices[0]?.message.content).toBe(RESPOSTA);
    for (const nome of CABECALHOS_DE_LIMITE) expect(admin.response.headers.get(nome), nome).toBeNull();
  });

  it("present on every answer of a limited key, its errors too (a model nobody serves)", async () => {
    const chave = await criarChave({ nome: "Com limites", limite_rpm: 100, limite_tpm: 100_000 });
    const ok = await conversar(openai(chave.chave));
    for (const nome of CABECALHOS_DE_LIMITE) expect(ok.response.headers.get(nome), nome).not.toBeNull();
    const r = await clienteApi(app.url, { token: chave.chave }).pedir("/v1/chat/completions", {
      json: { model: "nenhum-servidor-tem", messages: [{ role: "user", content: "Oi" }] },
    });
    expect(r.status).toBe(404);
    expect(r.headers.get("x-ratelimit-limit-requests")).toBe("100");
    expect(r.headers.get("x-ratelimit-limit-tokens")).toBe("100000");
  });
});

describe("what is not a generation", () => {
  it("Anthropic's count_tokens costs a limited key one request and no tokens", async () => {
    const chave = await criarChave({ nome: "Conta tokens", limite_tpm: 1500, limite_rpm: 100 });
    const anthropic = new Anthropic({ baseURL: app.url, apiKey: chave.chave, maxRetries: 0 });
    await inicioDeUmMinuto();
    // Each count would otherwise keep its reservation (the prompt + 1024): the second would find no room.
    for (let i = 0; i < 3; i++) {
      const contagem = await anthropic.messages.countTokens({ model: "lim-tiny", messages: [{ role: "user", content: "Oi" }] });
      expect(contagem.input_tokens).toBeGreaterThan(0);
    }
    const { data, response } = await conversar(openai(chave.chave), { max_tokens: 100 });
    // The minute's tokens are only the chat's; its requests, the three counts and the chat.
    expect(response.headers.get("x-ratelimit-remaining-tokens")).toBe(String(1500 - (data.usage?.total_tokens ?? 0)));
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("96");
  });

  it("Ollama's preload on a server that is not Ollama takes one of the key's requests", async () => {
    const chave = await criarChave({ nome: "Carrega uma vez", limite_rpm: 1 });
    const ollama = clienteApi(app.url, { token: chave.chave });
    await inicioDeUmMinuto();
    const primeira = await ollama.pedir("/api/generate", { json: { model: "lim-tiny" } });
    expect(primeira.status, primeira.texto).toBe(200);
    const segunda = await ollama.pedir<{ error: string }>("/api/generate", { json: { model: "lim-tiny" } });
    expect(segunda.status, segunda.texto).toBe(429);
    expect(segunda.corpo.error).toContain("1 requisição por minuto");
  });
});

describe("shutdown", () => {
  it("a stream of the grace period keeps its slot and is counted from its usage; the credit goes back after it", async () => {
    const segurado = new LlamaCppFalso({ modelos: [{ id: "lim-saida" }], resposta: RESPOSTA });
    falsos.push(await segurado.iniciar());
    const outro = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado", AUTH_TOKEN: ADMIN });
    let saiu = false;
    try {
      const r = await clienteApi(`${outro.url}/api/provedores-llm`, { token: ADMIN }).pedir<{ id: number }>("", {
        json: { nome: "llama.cpp da saída", tipo: "llama_cpp", base_url: segurado.url, timeout_segundos: 5 },
      });
      expect(r.status, r.texto).toBe(201);
      await clienteApi(`${outro.url}/api/provedores-llm`, { token: ADMIN }).pedir(`/${r.corpo.id}/testar`, { method: "POST" });
      const criada = await clienteApi(`${outro.url}/api/chaves`, { token: ADMIN }).pedir<Chave>("", {
        json: { nome: "Na saída", limite_tpm: 100_000, limite_concorrencia: 1 },
      });
      expect(criada.status, criada.texto).toBe(201);
      await inicioDeUmMinuto();
      await segurado.definirFalha("segurar");
      const cliente = new OpenAI({ baseURL: `${outro.url}/v1`, apiKey: criada.corpo.chave, maxRetries: 0, timeout: 15_000 });
      const stream = await cliente.chat.completions.create({
        model: "lim-saida",
        stream: true,
        max_tokens: 5000,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "Oi" }],
      });
      const leitor = stream[Symbol.asyncIterator]();
      expect((await leitor.next()).done).toBe(false);
      const parada = outro.parar().then((s) => {
        saiu = true;
        return s;
      });
      await segurado.definirFalha(null);
      segurado.soltar();
      let uso = 0;
      for (let p = await leitor.next(); !p.done; p = await leitor.next()) uso = p.value.usage?.total_tokens ?? uso;
      expect(uso).toBeGreaterThan(0);
      expect((await parada).codigo).toBe(0);
      const banco = createClient({ url: process.env.DATABASE_URL || `file:${path.join(outro.dataDir, "provedores-llm.db")}` });
      try {
        // The minute counts the stream's usage, not its reservation (5000 + the prompt), and no credit left held.
        const minuto = await banco.execute({
          sql: "select tokens from uso_das_chaves where chave_id = ? and janela = 'minuto'",
          args: [criada.corpo.id],
        });
        expect(Number(minuto.rows[0]!.tokens)).toBe(uso);
        const vagas = await banco.execute({
          sql: "select count(*) as n from em_voo_das_chaves where chave_id = ?",
          args: [criada.corpo.id],
        });
        expect(Number(vagas.rows[0]!.n)).toBe(0);
      } finally {
        banco.close();
      }
    } finally {
      if (!saiu) await outro.parar().catch(() => {});
    }
  });
});
