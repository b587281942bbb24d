import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import OpenAI, { APIError } from "openai";
import { afterAll, describe, expect, it } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { api, app, banco } from "../support/contexto";
import { criarProvedor, lerEventos, MENSAGENS } from "../support/llm";
import { esperarAte } from "../support/portas";

// Streams through both doors (/v1 and requisicao) against servers that end, split or refuse in ways a real
// one can: what the caller gets, what the statistics keep, and that no provider key leaves the app.

const RESPOSTA = "Uma resposta inteira, de várias palavras.";
const TOKENS = RESPOSTA.match(/\s*\S+/g)!;
const falsos: ServidorFalso[] = [];

afterAll(() => Promise.all(falsos.map((f) => f.parar())));

/** A model id no other test uses: /v1 routes by model over every active provider of the shared app. */
const modeloUnico = (nome: string) => `ds-${nome}-${randomUUID().slice(0, 6)}`;

async function servidor<S extends ServidorFalso>(falso: S): Promise<S> {
  falsos.push(falso);
  return falso.iniciar();
}

/** A provider for a running server, its model cache filled by a connection test. */
async function provedor(tipo: TipoProvedor, falso: ServidorFalso, extra: Record<string, unknown> = {}): Promise<number> {
  const id = await criarProvedor(tipo, falso.url, { timeout_segundos: 5, ...extra });
  const teste = await api(`/${id}/testar`, { method: "POST" });
  expect(await teste.json()).toMatchObject({ sucesso: true });
  return id;
}

function cliente(): OpenAI {
  return new OpenAI({ baseURL: `${app().url}/v1`, apiKey: "qualquer", maxRetries: 0, timeout: 15_000 });
}

/** A streamed chat through /v1 read to its end with the SDK: the text, the usage, and what the SDK raised. */
async function lerStream(modelo: string, extra: { stream_options?: { include_usage: boolean } } = {}) {
  const messages = [{ role: "user" as const, content: MENSAGENS[0]!.content }];
  const stream = await cliente().chat.completions.create({ model: modelo, messages, stream: true, ...extra });
  let texto = "";
  let uso: OpenAI.CompletionUsage | null = null;
  try {
    for await (const c of stream) {
      texto += c.choices[0]?.delta?.content ?? "";
      uso = c.usage ?? uso;
    }
    return { texto, uso, erro: null };
  } catch (erro) {
    return { texto, uso, erro };
  }
}

/** The same /v1 stream, as raw bytes (what any client would receive). */
async function streamCru(modelo: string): Promise<{ status: number; corpo: string }> {
  const r = await fetch(`${app().url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: modelo, messages: MENSAGENS, stream: true }),
  });
  return { status: r.status, corpo: await r.text() };
}

type Linha = { sucesso: boolean; codigo_erro: string | null; stream: boolean };

/** The provider's request rows, newest first, once `n` are written (the statistics are written after the answer). */
async function linhas(id: number, n: number): Promise<Linha[]> {
  let atuais: Linha[] = [];
  await esperarAte(
    async () => {
      const r = await api(`/${id}/requisicoes`);
      atuais = ((await r.json()) as { requisicoes: Linha[] }).requisicoes;
      return atuais.length >= n;
    },
    10_000,
    `${n} requisições do provedor ${id}`,
  );
  return atuais;
}

describe("a provider key quoted in an error event halfway through a stream", () => {
  const CHAVE = `sk-chave-no-stream-${randomUUID()}`;

  it("/v1 and requisicao pass on the error with the key masked; no answer, log or database row holds it", async () => {
    const modelo = modeloUnico("chave");
    const falso = await servidor(new LmStudioFalso({ modelos: [{ id: modelo, carregado: true }], resposta: RESPOSTA, apiKey: CHAVE }));
    const id = await provedor("openai_compativel", falso, { api_key: CHAVE, modelo_padrao: modelo });
    await falso.definirFalha("chave_no_stream");

    const cru = await streamCru(modelo);
    expect(cru.status).toBe(200);
    expect(cru.corpo).toContain(JSON.stringify(TOKENS[0]));
    expect(cru.corpo).toContain("Incorrect API key provided: ***");

    const { texto, erro } = await lerStream(modelo);
    expect(texto).toBe(TOKENS[0]);
    expect(erro).toBeInstanceOf(APIError);
    expect((erro as APIError).message).toContain("Incorrect API key provided: ***");

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect(requisicao.status).toBe(200);
    const eventos = await lerEventos(requisicao.clone());
    expect(eventos.at(-1)).toMatchObject({ evento: "erro", dados: { codigo: "provedor_erro" } });
    expect(String(eventos.at(-1)!.dados.mensagem)).toContain("Incorrect API key provided: ***");

    // The server did get the key, and quoted it (so this test could fail).
    expect(falso.recebidas.some((q) => q.cabecalhos.authorization === `Bearer ${CHAVE}`)).toBe(true);
    const respostas = [cru.corpo, String((erro as APIError).message), await requisicao.text()];
    for (const r of respostas) expect(r).not.toContain(CHAVE);

    const registradas = await linhas(id, 3);
    expect(registradas.slice(0, 3)).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ sucesso: false, codigo_erro: "provedor_erro", stream: true })),
    );
    expect(readFileSync(app().arquivoLog, "utf8")).not.toContain(CHAVE);
    const tabelas = await banco().execute("select name from sqlite_master where type = 'table'");
    for (const { name } of tabelas.rows) {
      const conteudo = await banco().execute(`select * from "${String(name)}"`);
      expect(JSON.stringify(conteudo.rows), String(name)).not.toContain(CHAVE);
    }
  });
});

describe("a stream that ends cleanly without finish_reason or [DONE]", () => {
  it("/v1: the SDK raises an error after the first token (no [DONE] is added); requisicao says provedor_erro; both count as errors", async () => {
    const modelo = modeloUnico("corte");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedor("llama_cpp", falso, { modelo_padrao: modelo });
    await falso.definirFalha("corte_limpo");

    const cru = await streamCru(modelo);
    expect(cru.status).toBe(200);
    expect(cru.corpo).not.toContain("data: [DONE]");
    const { texto, erro } = await lerStream(modelo);
    expect(texto).toBe(TOKENS[0]);
    expect(erro).toBeInstanceOf(APIError);
    expect((erro as APIError).message).toContain("antes do fim da resposta");

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect((await lerEventos(requisicao)).at(-1)).toMatchObject({ evento: "erro", dados: { codigo: "provedor_erro" } });

    const registradas = await linhas(id, 3);
    expect(registradas.slice(0, 3)).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ sucesso: false, codigo_erro: "provedor_erro" })),
    );
    const estatisticas = (await (await api(`/${id}/estatisticas?periodo=1h`)).json()) as { requisicoes_sucesso: number };
    expect(estatisticas.requisicoes_sucesso).toBe(0);

    // The finish chunk arrived, only [DONE] is missing: the answer is whole, a success, and [DONE] goes out.
    await falso.definirFalha("sem_done");
    const inteiro = await streamCru(modelo);
    expect(inteiro.corpo.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(await lerStream(modelo)).toMatchObject({ texto: RESPOSTA, erro: null });
    expect((await linhas(id, 5)).slice(0, 2)).toEqual([
      expect.objectContaining({ sucesso: true, codigo_erro: null }),
      expect.objectContaining({ sucesso: true, codigo_erro: null }),
    ]);
  });
});

describe("events whose data spans several data: lines", () => {
  it("/v1 passes each on as valid SSE: the SDK reads the whole answer and its usage; requisicao too", async () => {
    const modelo = modeloUnico("multilinha");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedor("llama_cpp", falso, { modelo_padrao: modelo });
    await falso.definirFalha("dados_multilinha");

    const cru = await streamCru(modelo);
    // Every line of the answer is a data: field (or the blank line between events).
    expect(cru.corpo.split("\n").filter((l) => l !== "" && !l.startsWith("data: "))).toEqual([]);
    const { texto, uso, erro } = await lerStream(modelo, { stream_options: { include_usage: true } });
    expect(erro).toBeNull();
    expect(texto).toBe(RESPOSTA);
    expect(uso).toMatchObject({ completion_tokens: TOKENS.length });

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect((await lerEventos(requisicao)).at(-1)).toMatchObject({ evento: "fim", dados: { conteudo: RESPOSTA } });
    const registradas = await linhas(id, 3);
    expect(registradas.slice(0, 3).every((l) => l.sucesso)).toBe(true);
  });
});

describe("a strict server that refuses fields it does not know", () => {
  it("the caller's body works through both doors: stream_options is dropped after the first 400, and remembered", async () => {
    const modelo = modeloUnico("estrito");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedor("llama_cpp", falso, { modelo_padrao: modelo });
    await falso.definirFalha("estrito");
    const enviadas = () =>
      falso.recebidas
        .filter((q) => q.caminho === "/v1/chat/completions")
        .map((q) => "stream_options" in (JSON.parse(q.corpoTexto) as Record<string, unknown>));

    expect(await lerStream(modelo)).toMatchObject({ texto: RESPOSTA, erro: null });
    expect(enviadas()).toEqual([true, false]);

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect(requisicao.status).toBe(200);
    expect((await lerEventos(requisicao)).at(-1)).toMatchObject({ evento: "fim", dados: { conteudo: RESPOSTA } });
    expect(await lerStream(modelo)).toMatchObject({ texto: RESPOSTA, erro: null });
    // Learned once: the later requests go as the caller sent them.
    expect(enviadas()).toEqual([true, false, false, false]);

    const registradas = await linhas(id, 3);
    expect(registradas.slice(0, 3).every((l) => l.sucesso)).toBe(true);
  });
});

describe("balancing counts a stream until its end", () => {
  it("8 long streams on two equal servers split 4/4; streams the caller left free their server at once", async () => {
    const modelo = modeloUnico("par");
    const longa = Array.from({ length: 80 }, (_, i) => `t${i}`).join(" ");
    const a = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: longa, atrasoEntreTokensMs: 100 }));
    const b = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: longa, atrasoEntreTokensMs: 100 }));
    const ids = [await provedor("llama_cpp", a), await provedor("llama_cpp", b)];

    const abertos: { provedor: number; leitor: ReadableStreamDefaultReader<Uint8Array> }[] = [];
    /** Opens a stream and waits for its first bytes: the request is past its first byte, still streaming. */
    const abrir = async () => {
      const r = await fetch(`${app().url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: modelo, messages: MENSAGENS, stream: true }),
      });
      expect(r.status).toBe(200);
      const leitor = r.body!.getReader();
      expect((await leitor.read()).done).toBe(false);
      abertos.push({ provedor: Number(r.headers.get("x-provedor-id")), leitor });
    };
    const contagem = (lista: typeof abertos) => ids.map((id) => lista.filter((s) => s.provedor === id).length);
    try {
      for (let i = 0; i < 8; i++) await abrir();
      expect(contagem(abertos)).toEqual([4, 4]);

      // The caller leaves the four streams of one server: it has none in flight, the other still has four.
      const deixados = abertos.filter((s) => s.provedor === ids[0]);
      const antes = a.streamsAbandonados;
      for (const s of deixados) await s.leitor.cancel();
      await esperarAte(async () => a.streamsAbandonados >= antes + 4, 10_000, "o servidor ver os streams cancelados");
      const seguintes = abertos.length;
      await abrir();
      await abrir();
      expect(contagem(abertos.slice(seguintes))).toEqual([2, 0]);
    } finally {
      await Promise.all(abertos.map((s) => s.leitor.cancel().catch(() => {})));
    }
  });
});
