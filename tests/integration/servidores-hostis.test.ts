import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { Falha, ServidorFalso } from "../servidores/base";
import { clienteApi } from "../support/cliente-api";
import { criarFalso, lerEventos, MENSAGENS } from "../support/llm";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// What a broken or malicious upstream can do to the app: each one must end within the provider's timeout
// or at a documented cap, with the contract's code, and leave the app's memory where it was.

const TIMEOUT_S = 2;
const FOLGA_MS = 1500;
const CHAVE = "sk-segredo-do-teste-0123456789abcdef";

let app: ServidorApp;
let rssOcioso = 0;

/** A call to this file's REST contract, and how long its whole answer took. */
async function chamar(caminho: string, init: { method?: string; json?: unknown } = {}): Promise<{ r: Response; ms: number }> {
  const inicio = performance.now();
  const r = await clienteApi(`${app.url}/api/provedores-llm`).resposta(caminho, init);
  await r.clone().arrayBuffer();
  return { r, ms: performance.now() - inicio };
}

async function criar(tipo: TipoProvedor, url: string, extra: Record<string, unknown> = {}): Promise<number> {
  const { r } = await chamar("", {
    json: {
      nome: `${tipo} ${Math.random().toString(36).slice(2)}`,
      tipo,
      base_url: url,
      timeout_segundos: TIMEOUT_S,
      modelo_padrao: "modelo-teste",
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  return ((await r.json()) as { id: number }).id;
}

function esperarMemoria() {
  const agora = app.rssMiB();
  expect(agora - rssOcioso, `RSS ${agora.toFixed(0)} MiB, ocioso ${rssOcioso.toFixed(0)} MiB`).toBeLessThan(50);
}

beforeAll(async () => {
  app = await iniciarApp({ APP_SECRET: "segredo-dos-servidores-hostis" });
  // Warm every path once (first requests load code), then take the idle figure.
  const falso = await criarFalso("llama_cpp").iniciar();
  const id = await criar("llama_cpp", falso.url);
  await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS } });
  await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS, stream: true } });
  await chamar(`/${id}/modelos?atualizar=true`);
  await chamar(`/${id}/testar`, { method: "POST" });
  await falso.parar();
  rssOcioso = app.rssMiB();
});
afterAll(() => app?.parar());

describe.each(["llama_cpp", "ollama"] as const)("%s upstream", (tipo) => {
  let falso: ServidorFalso;
  let id: number;
  beforeAll(async () => {
    falso = await criarFalso(tipo).iniciar();
    id = await criar(tipo, falso.url);
  });
  afterAll(() => falso.parar());
  afterEach(() => falso.definirFalha(null));

  async function comFalha(falha: Falha, atrasoMs = 0) {
    await falso.definirFalha(falha, atrasoMs);
  }

  it("a stream that is one 100 MiB line with no newline → 502 provedor_erro at the 1 MiB line cap, memory flat", async () => {
    await comFalha("linha_sem_fim");
    const { r, ms } = await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS, stream: true } });
    expect(r.status).toBe(502);
    const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string } };
    expect(corpo.erro.codigo).toBe("provedor_erro");
    expect(corpo.erro.mensagem).toContain("1 MiB");
    expect(ms).toBeLessThan(TIMEOUT_S * 1000 + FOLGA_MS);
    esperarMemoria();
  });

  it("/v1: a stream whose first event is one endless line → 502 in OpenAI's shape; the server's answer is closed", async () => {
    await chamar(`/${id}/modelos?atualizar=true`);
    const { corpo: lista } = await clienteApi(app.url).pedir<{
      data: { id: string; provedores_llm?: { provedores: { id: number }[] } }[];
    }>("/v1/models");
    const modelo = lista.data.find((m) => m.id.includes("/") && m.provedores_llm?.provedores.some((p) => p.id === id))!.id;
    await comFalha("linha_sem_fim");
    const antes = falso.streamsAbandonados;
    const r = await clienteApi(app.url).resposta("/v1/chat/completions", { json: { model: modelo, messages: MENSAGENS, stream: true } });
    expect(r.status).toBe(502);
    expect(((await r.json()) as { error: { message: string } }).error.message).toContain("1 MiB");
    await expect.poll(() => falso.streamsAbandonados, { timeout: 5000 }).toBeGreaterThan(antes);
    esperarMemoria();
  });

  it("endless valid deltas → the stream ends with an erro event at the 8 MiB text cap; upstream is closed", async () => {
    falso.resposta = "x".repeat(64 * 1024);
    try {
      await comFalha("deltas_sem_fim");
      const antes = falso.streamsAbandonados;
      const { r } = await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS, stream: true } });
      expect(r.status).toBe(200);
      const eventos = await lerEventos(r);
      const ultimo = eventos.at(-1)!;
      expect(ultimo.evento).toBe("erro");
      expect(ultimo.dados).toMatchObject({ codigo: "provedor_erro" });
      expect(String(ultimo.dados.mensagem)).toContain("8 MiB");
      const texto = eventos.filter((e) => e.evento === "delta").reduce((n, e) => n + String(e.dados.conteudo).length, 0);
      expect(texto).toBeLessThanOrEqual(8 * 1024 * 1024);
      expect(texto).toBeGreaterThan(7 * 1024 * 1024);
      await expect.poll(() => falso.streamsAbandonados, { timeout: 5000 }).toBeGreaterThan(antes);
      esperarMemoria();
    } finally {
      falso.resposta = "Olá! Sou um servidor de teste.";
    }
  });

  describe("one byte at a time (a drip that restarted the timeout on every byte)", () => {
    it("modelos?atualizar=true ends within the timeout: the cache, marked desatualizado, with provedor_timeout", async () => {
      await comFalha("gotejar", 250);
      const { r, ms } = await chamar(`/${id}/modelos?atualizar=true`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ desatualizado: true, erro: { codigo: "provedor_timeout" } });
      expect(ms).toBeGreaterThan(TIMEOUT_S * 1000 - 100);
      expect(ms).toBeLessThan(TIMEOUT_S * 1000 + FOLGA_MS);
    });

    it("requisicao → 504 provedor_timeout within the timeout", async () => {
      await comFalha("gotejar", 250);
      const { r, ms } = await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS } });
      expect(r.status, await r.clone().text()).toBe(504);
      expect(((await r.json()) as { erro: { codigo: string } }).erro.codigo).toBe("provedor_timeout");
      expect(ms).toBeLessThan(TIMEOUT_S * 1000 + FOLGA_MS);
    });

    it("a streamed requisicao → 504 provedor_timeout: bytes without a whole event are no progress", async () => {
      await comFalha("gotejar", 250);
      const { r, ms } = await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS, stream: true } });
      expect(r.status).toBe(504);
      expect(((await r.json()) as { erro: { codigo: string } }).erro.codigo).toBe("provedor_timeout");
      expect(ms).toBeLessThan(TIMEOUT_S * 1000 + FOLGA_MS);
    });

    it("testar → sucesso false with provedor_timeout within the timeout", async () => {
      await comFalha("gotejar", 250);
      const { r, ms } = await chamar(`/${id}/testar`, { method: "POST" });
      expect(await r.json()).toMatchObject({ sucesso: false, erro: { codigo: "provedor_timeout" } });
      expect(ms).toBeLessThan(TIMEOUT_S * 1000 + FOLGA_MS);
    });
  });
});

describe("a server that quotes the key it refused", () => {
  let falso: ServidorFalso;
  let id: number;
  beforeAll(async () => {
    falso = await criarFalso("openai_compativel").iniciar();
    id = await criar("openai_compativel", falso.url, { api_key: CHAVE });
    await falso.definirFalha("chave_ecoada");
  });
  afterAll(() => falso.parar());

  it("the key reaches the server, and appears in no answer, no log and no stored error", async () => {
    const respostas: string[] = [];
    const teste = await chamar(`/${id}/testar`, { method: "POST" });
    const t = (await teste.r.json()) as { sucesso: boolean; mensagem: string; erro: { codigo: string } };
    expect(t).toMatchObject({ sucesso: false, erro: { codigo: "provedor_autenticacao" } });
    expect(t.mensagem).toContain("Incorrect API key provided: ***");
    respostas.push(JSON.stringify(t));

    const simples = await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS } });
    expect(simples.r.status).toBe(502);
    respostas.push(await simples.r.text());
    const stream = await chamar(`/${id}/requisicao`, { json: { mensagens: MENSAGENS, stream: true } });
    expect(stream.r.status).toBe(502);
    respostas.push(await stream.r.text());
    const modelos = await chamar(`/${id}/modelos?atualizar=true`);
    respostas.push(await modelos.r.text());

    // The server did get the key (so this test could fail).
    expect(falso.recebidas.some((q) => q.cabecalhos.authorization === `Bearer ${CHAVE}`)).toBe(true);
    for (const texto of respostas) {
      expect(texto).toContain("provedor_autenticacao");
      expect(texto).not.toContain(CHAVE);
      expect(texto).not.toContain(CHAVE.slice(0, 16));
    }
    expect(readFileSync(app.arquivoLog, "utf8")).not.toContain(CHAVE.slice(0, 16));
    const { createClient } = await import("@libsql/client");
    const banco = createClient({ url: `file:${app.dataDir}/provedores-llm.db` });
    const linhas = await banco.execute("select * from requisicoes_provedores");
    expect(JSON.stringify(linhas.rows)).not.toContain(CHAVE.slice(0, 16));
    banco.close();
  });
});

describe("a new base_url never receives the old key", () => {
  let antigo: ServidorFalso;
  let novo: ServidorFalso;
  beforeAll(async () => {
    antigo = await criarFalso("lm_studio", { apiKey: CHAVE }).iniciar();
    novo = await criarFalso("lm_studio").iniciar();
  });
  afterAll(async () => {
    await antigo.parar();
    await novo.parar();
  });

  it("changing base_url without api_key clears the key; the next test sends none", async () => {
    const id = await criar("lm_studio", antigo.url, { api_key: CHAVE });
    const mudou = await chamar(`/${id}`, { method: "PUT", json: { base_url: novo.url } });
    expect(mudou.r.status).toBe(200);
    expect(await mudou.r.json()).toMatchObject({ base_url: novo.url, api_key_configurada: false });
    await chamar(`/${id}/testar`, { method: "POST" });
    expect(novo.recebidas.length).toBeGreaterThan(0);
    for (const q of novo.recebidas) expect(q.cabecalhos.authorization).toBeUndefined();
  });

  it("the same base_url (other fields edited) keeps the key; a new base_url with a new key takes the new key", async () => {
    const id = await criar("lm_studio", antigo.url, { api_key: CHAVE });
    const mesmo = await chamar(`/${id}`, { method: "PUT", json: { base_url: `${antigo.url}/v1/`, descricao: "editado" } });
    expect(await mesmo.r.json()).toMatchObject({ api_key_configurada: true });
    const t = await chamar(`/${id}/testar`, { method: "POST" });
    expect(await t.r.json()).toMatchObject({ sucesso: true });
    const outra = await chamar(`/${id}`, { method: "PUT", json: { base_url: novo.url, api_key: "sk-nova" } });
    expect(await outra.r.json()).toMatchObject({ api_key_configurada: true });
    novo.recebidas.length = 0;
    await chamar(`/${id}/testar`, { method: "POST" });
    expect(novo.recebidas.map((q) => q.cabecalhos.authorization)).toContain("Bearer sk-nova");
  });
});
