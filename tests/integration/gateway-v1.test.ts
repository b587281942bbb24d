import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { ModeloFalso, ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OllamaFalso } from "../servidores/ollama";
import { clienteApi, type PedidoApi } from "../support/cliente-api";
import { app as appCompartilhado } from "../support/contexto";
import { conversarV1, lerEventos } from "../support/llm";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// The OpenAI-compatible gateway, driven by the official `openai` package over real HTTP, on an app of its
// own (a fresh database: /v1 lists every active provider, and other files leave theirs behind).

const RESPOSTA = "Olá! Sou um modelo servido pelo gateway.";
let app: ServidorApp;
const falsos: ServidorFalso[] = [];

/** This file's app: its REST contract, and its other routes (/v1, pages). */
const rest = () => clienteApi(`${app.url}/api/provedores-llm`);
const raiz = () => clienteApi(app.url);

async function servidor<S extends ServidorFalso>(falso: S): Promise<S> {
  falsos.push(falso);
  return falso.iniciar();
}

/** A provider for a running test server, its model cache filled by a connection test. */
async function provedor(nome: string, tipo: TipoProvedor, falso: ServidorFalso, testar = true): Promise<number> {
  const { id } = (await rest().pedir<{ id: number }>("", { json: { nome, tipo, base_url: falso.url, timeout_segundos: 3 } })).corpo;
  if (testar) expect((await rest().pedir(`/${id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });
  return id;
}

function cliente(extra: { apiKey?: string } = {}): OpenAI {
  return new OpenAI({ baseURL: `${app.url}/v1`, apiKey: extra.apiKey ?? "qualquer", maxRetries: 0, timeout: 15_000 });
}

/** A streamed chat through /v1 read to its end: the text that arrived, and what the SDK raised, if anything. */
async function lerStream(modelo: string): Promise<{ texto: string; erro: unknown }> {
  const stream = await cliente().chat.completions.create({ model: modelo, messages: [{ role: "user", content: "Oi" }], stream: true });
  let texto = "";
  try {
    for await (const c of stream) texto += c.choices[0]?.delta?.content ?? "";
    return { texto, erro: null };
  } catch (erro) {
    return { texto, erro };
  }
}

type Estatisticas = { total_requisicoes: number; requisicoes_sucesso: number; requisicoes_erro: number; tokens_totais: number };

beforeAll(async () => {
  app = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp });
});
afterAll(async () => {
  await Promise.all(falsos.map((f) => f.parar()));
  await app?.parar();
});

describe("one address for every server: models, chat, completions, embeddings", () => {
  let ollamaId: number;
  let llamaId: number;
  let ollama: OllamaFalso;
  beforeAll(async () => {
    const modelos: ModeloFalso[] = [
      { id: "gw-llama3.2:latest", carregado: true, capacidades: ["completion"] },
      { id: "gw-nomic-embed:latest", carregado: false, capacidades: ["embedding"] },
    ];
    ollama = await servidor(new OllamaFalso({ modelos, resposta: RESPOSTA }));
    ollamaId = await provedor("Ollama da Mesa", "ollama", ollama);
    llamaId = await provedor(
      "llama.cpp do porão",
      "llama_cpp",
      await servidor(new LlamaCppFalso({ modelos: [{ id: "gw-tiny" }], resposta: RESPOSTA })),
    );
  });

  it("models.list: each model by its bare id and pinned as <slug>/<model>, embedding models marked", async () => {
    const ids: string[] = [];
    const modelos = new Map<
      string,
      OpenAI.Models.Model & {
        provedores_llm?: { provedores: { id: number; nome: string; carregado: boolean | null }[]; embedding: boolean; fixo: boolean };
      }
    >();
    for await (const m of cliente().models.list()) {
      ids.push(m.id);
      modelos.set(m.id, m);
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        "gw-llama3.2:latest",
        "ollama-da-mesa/gw-llama3.2:latest",
        "gw-tiny",
        "llama-cpp-do-porao/gw-tiny",
        "gw-nomic-embed:latest",
      ]),
    );
    const llama = modelos.get("gw-llama3.2:latest")!;
    expect(llama).toMatchObject({ object: "model", owned_by: "ollama-da-mesa" });
    expect(llama.provedores_llm).toMatchObject({
      provedores: [{ id: ollamaId, nome: "Ollama da Mesa", carregado: true }],
      embedding: false,
      fixo: false,
    });
    expect(modelos.get("gw-nomic-embed:latest")!.provedores_llm?.embedding).toBe(true);
    expect(modelos.get("llama-cpp-do-porao/gw-tiny")!.provedores_llm).toMatchObject({ fixo: true, provedores: [{ id: llamaId }] });
  });

  it("chat.completions.create, plain: the server's answer, its usage, and who served it", async () => {
    const { data, response } = await cliente()
      .chat.completions.create({ model: "gw-tiny", messages: [{ role: "user", content: "Oi, tudo bem?" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe(RESPOSTA);
    expect(data.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: RESPOSTA.split(" ").length });
    expect(response.headers.get("x-provedor-id")).toBe(String(llamaId));
    expect(decodeURIComponent(response.headers.get("x-provedor-nome")!)).toBe("llama.cpp do porão");
    expect(Number(response.headers.get("x-provedores-llm-overhead-ms"))).toBeGreaterThanOrEqual(0);
  });

  it("chat.completions.create, streamed with include_usage: deltas as they come, then the usage chunk", async () => {
    const stream = await cliente().chat.completions.create({
      model: "ollama-da-mesa/gw-llama3.2:latest",
      messages: [{ role: "user", content: "Conte algo." }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let texto = "";
    let uso: OpenAI.CompletionUsage | null | undefined = null;
    for await (const chunk of stream) {
      texto += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) uso = chunk.usage;
    }
    expect(texto).toBe(RESPOSTA);
    expect(uso).toMatchObject({ prompt_tokens: 6, completion_tokens: RESPOSTA.split(" ").length });
  });

  it("a stream without include_usage gets no usage chunk, and the statistics still count its tokens", async () => {
    const antes = (await rest().pedir<Estatisticas>(`/${ollamaId}/estatisticas?periodo=1h`)).corpo;
    const stream = await cliente().chat.completions.create({
      model: "gw-llama3.2:latest",
      messages: [{ role: "user", content: "Oi" }],
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((c) => !c.usage)).toBe(true);
    const depois = (await rest().pedir<Estatisticas>(`/${ollamaId}/estatisticas?periodo=1h`)).corpo;
    expect(depois.total_requisicoes).toBe(antes.total_requisicoes + 1);
    expect(depois.tokens_totais - antes.tokens_totais).toBe(5 + RESPOSTA.split(" ").length);
  });

  it("Ollama, plain: usage as Ollama counts it", async () => {
    const r = await cliente().chat.completions.create({
      model: "gw-llama3.2:latest",
      messages: [{ role: "user", content: "Oi" }],
      max_tokens: 3,
    });
    expect(r.choices[0]).toMatchObject({ finish_reason: "length", message: { content: RESPOSTA.split(" ").slice(0, 3).join(" ") } });
    expect(r.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it("fields the app does not read (tools, seed, user…) reach the server untouched", async () => {
    const tools = [{ type: "function" as const, function: { name: "clima", parameters: { type: "object", properties: {} } } }];
    await cliente().chat.completions.create({
      model: "gw-tiny",
      messages: [{ role: "user", content: "Oi" }],
      tools,
      seed: 42,
      user: "ana",
      response_format: { type: "json_object" },
    });
    const enviado = JSON.parse(falsos[1]!.recebidas.at(-1)!.corpoTexto) as Record<string, unknown>;
    expect(enviado).toMatchObject({ model: "gw-tiny", tools, seed: 42, user: "ana", response_format: { type: "json_object" } });
  });

  it("embeddings.create on llama.cpp and on Ollama", async () => {
    // The SDK asks for base64 by default and decodes it.
    const um = await cliente().embeddings.create({ model: "gw-tiny", input: ["um texto", "outro texto"] });
    expect(um.data).toHaveLength(2);
    expect(um.data[0]!.embedding).toHaveLength(8);
    expect(um.data[0]!.embedding.every((x) => Number.isFinite(x) && x !== 0)).toBe(true);
    expect(um.usage.prompt_tokens).toBe(4);
    const dois = await cliente().embeddings.create({ model: "gw-nomic-embed:latest", input: "um texto", encoding_format: "float" });
    expect(dois.data[0]!.embedding).toHaveLength(8);
  });

  it("completions.create (legacy), plain and streamed", async () => {
    const r = await cliente().completions.create({ model: "gw-tiny", prompt: "Era uma vez" });
    expect(r.choices[0]!.text).toBe(RESPOSTA);
    const s = await cliente().completions.create({ model: "gw-tiny", prompt: "Era uma vez", stream: true });
    let texto = "";
    for await (const c of s) texto += c.choices[0]?.text ?? "";
    expect(texto).toBe(RESPOSTA);
  });

  it("the calls show in each provider's statistics", async () => {
    // llama.cpp served: chat, chat with tools, embeddings, completion, streamed completion.
    const e = (
      await rest().pedir<Estatisticas & { por_modelo: { modelo: string; requisicoes: number; erros: number; tokens: number }[] }>(
        `/${llamaId}/estatisticas?periodo=1h`,
      )
    ).corpo;
    expect(e.total_requisicoes).toBe(5);
    expect(e.requisicoes_erro).toBe(0);
    expect(e.por_modelo).toEqual([expect.objectContaining({ modelo: "gw-tiny", requisicoes: 5, erros: 0 })]);
  });
});

describe("errors the SDK raises as its own classes", () => {
  it("an unknown model → NotFoundError (404 model_not_found) naming the closest ids", async () => {
    const erro = await cliente()
      .chat.completions.create({ model: "gw-tinny", messages: [{ role: "user", content: "Oi" }] })
      .catch((e: unknown) => e);
    expect(erro).toBeInstanceOf(NotFoundError);
    expect((erro as NotFoundError).code).toBe("model_not_found");
    expect((erro as NotFoundError).message).toContain("gw-tiny");
  });

  it("a missing messages, a wrong type → BadRequestError; malformed JSON and an oversize body → 4xx in OpenAI's shape", async () => {
    const semMensagens = await cliente()
      .chat.completions.create({ model: "gw-tiny" } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(semMensagens).toBeInstanceOf(BadRequestError);
    expect((semMensagens as BadRequestError).param).toBe("messages");
    const tipo = await cliente()
      .chat.completions.create({ model: 42, messages: [] } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(tipo).toBeInstanceOf(BadRequestError);
    for (const [corpo, status] of [
      ["{model", 400],
      ["", 400],
      [JSON.stringify({ model: "x", messages: ["y".repeat(9 * 1024 * 1024)] }), 413],
    ] as const) {
      const r = await raiz().resposta("/v1/chat/completions", { method: "POST", body: corpo });
      expect(r.status).toBe(status);
      expect(((await r.json()) as { error: { type: string; message: string } }).error).toMatchObject({
        type: "invalid_request_error",
        message: expect.any(String),
      });
    }
    // Sent in chunks with no declared length: refused once it passes the limit, and still answered (the
    // client is told 413, not handed a broken connection).
    let enviados = 0;
    const pedacos = new ReadableStream<Uint8Array>({
      pull(controle) {
        if (enviados++ === 12) return controle.close();
        controle.enqueue(new TextEncoder().encode(`"${"y".repeat(1024 * 1024 - 3)}",`));
      },
    });
    const emPedacos = await raiz().resposta("/v1/chat/completions", { method: "POST", body: pedacos, duplex: "half" } as PedidoApi);
    expect(emPedacos.status).toBe(413);
    expect(((await emPedacos.json()) as { error: { type: string; message: string } }).error.message).toContain("8192 KiB");
  });

  it("every candidate down → APIError 502 with the provider's own reason", async () => {
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: "gw-sozinho" }] }));
    await provedor("Sozinho", "llama_cpp", falso);
    await falso.definirFalha("recusar");
    const erro = await cliente()
      .chat.completions.create({ model: "gw-sozinho", messages: [{ role: "user", content: "Oi" }] })
      .catch((e: unknown) => e);
    expect(erro).toBeInstanceOf(APIError);
    expect((erro as APIError).status).toBe(502);
    expect((erro as APIError).message).toContain("conexão recusada");
  });

  describe("with AUTH_TOKEN", () => {
    let protegido: ServidorApp;
    beforeAll(async () => {
      protegido = await iniciarApp({ AUTH_TOKEN: "token-do-gateway-123" });
    });
    afterAll(() => protegido?.parar());

    it("the token is the SDK's API key: a wrong one → AuthenticationError, the right one lists models", async () => {
      const errado = new OpenAI({ baseURL: `${protegido.url}/v1`, apiKey: "outro", maxRetries: 0 });
      const erro = await errado.models.list().catch((e: unknown) => e);
      expect(erro).toBeInstanceOf(AuthenticationError);
      const certo = new OpenAI({ baseURL: `${protegido.url}/v1`, apiKey: "token-do-gateway-123", maxRetries: 0 });
      expect((await certo.models.list()).data).toEqual([]);
    });
  });
});

describe("routing and failover", () => {
  it("one server refusing: the other answers, and both attempts are counted", async () => {
    // The one going down holds the model loaded: it is tried first.
    const fora = await servidor(new OllamaFalso({ modelos: [{ id: "gw-dup:latest", carregado: true }], resposta: RESPOSTA }));
    const dentro = await servidor(new OllamaFalso({ modelos: [{ id: "gw-dup:latest", carregado: false }], resposta: RESPOSTA }));
    const idFora = await provedor("Dup fora", "ollama", fora);
    const idDentro = await provedor("Dup dentro", "ollama", dentro);
    await fora.definirFalha("recusar");
    // Whichever goes first, every answer comes from the one that is up.
    for (let i = 0; i < 3; i++) {
      const { data, response } = await cliente()
        .chat.completions.create({ model: "gw-dup:latest", messages: [{ role: "user", content: "Oi" }] })
        .withResponse();
      expect(data.choices[0]!.message.content).toBe(RESPOSTA);
      expect(response.headers.get("x-provedor-id")).toBe(String(idDentro));
    }
    const eFora = (await rest().pedir<Estatisticas>(`/${idFora}/estatisticas?periodo=1h`)).corpo;
    const eDentro = (await rest().pedir<Estatisticas>(`/${idDentro}/estatisticas?periodo=1h`)).corpo;
    // The monitor's check that a new provider gets may land after the fault: the server is then known down and
    // skipped (no attempt, no row), which its status says; otherwise it was tried first, and that attempt is counted.
    if (eFora.requisicoes_erro === 0) expect((await rest().pedir<{ status: string }>(`/${idFora}`)).corpo.status).not.toBe("online");
    else expect(eFora.requisicoes_erro).toBeGreaterThanOrEqual(1);
    expect(eFora.requisicoes_sucesso).toBe(0);
    expect(eDentro.requisicoes_sucesso).toBe(3);
  });

  it("a 500 before the first byte fails over too; a stream cut after it ends with an error the SDK raises", async () => {
    const quebrado = await servidor(new OllamaFalso({ modelos: [{ id: "gw-500", carregado: true }], resposta: RESPOSTA }));
    const bom = await servidor(new OllamaFalso({ modelos: [{ id: "gw-500", carregado: false }], resposta: RESPOSTA }));
    const idQuebrado = await provedor("Quinhentos", "ollama", quebrado);
    const idBom = await provedor("Bom", "ollama", bom);
    await quebrado.definirFalha("erro_500");
    const { response } = await cliente()
      .chat.completions.create({ model: "gw-500", messages: [{ role: "user", content: "Oi" }] })
      .withResponse();
    expect(response.headers.get("x-provedor-id")).toBe(String(idBom));
    expect((await rest().pedir<Estatisticas>(`/${idQuebrado}/estatisticas?periodo=1h`)).corpo.requisicoes_erro).toBe(1);

    await quebrado.definirFalha(null);
    await bom.definirFalha("cortar_stream");
    const { texto, erro } = await lerStream("bom/gw-500");
    expect(erro).toBeInstanceOf(APIError);
    expect(texto.length).toBeGreaterThan(0);
    expect(texto.length).toBeLessThan(RESPOSTA.length);
  });

  it("an error event after the first tokens, in the same chunk: the tokens before it arrive, then the SDK raises it", async () => {
    const falho = await servidor(new LlamaCppFalso({ modelos: [{ id: "gw-erro-no-meio" }], resposta: RESPOSTA }));
    const id = await provedor("Erro no meio", "llama_cpp", falho);
    await falho.definirFalha("erro_no_stream");
    const { texto, erro } = await lerStream("gw-erro-no-meio");
    expect(texto).toBe(
      RESPOSTA.match(/\s*\S+/g)!
        .slice(0, 2)
        .join(""),
    );
    expect(erro).toBeInstanceOf(APIError);
    expect((erro as APIError).message).toContain("llama_decode failed: out of memory");
    const e = (await rest().pedir<Estatisticas>(`/${id}/estatisticas?periodo=1h`)).corpo;
    expect(e.requisicoes_erro).toBe(1);
    expect(e.requisicoes_sucesso).toBe(0);
  });

  it("loaded first: of two Ollama servers with the model, the one holding it in memory serves every request", async () => {
    const frio = await servidor(new OllamaFalso({ modelos: [{ id: "gw-quente:latest", carregado: false }], resposta: RESPOSTA }));
    const quente = await servidor(new OllamaFalso({ modelos: [{ id: "gw-quente:latest", carregado: true }], resposta: RESPOSTA }));
    const idFrio = await provedor("Frio", "ollama", frio);
    const idQuente = await provedor("Quente", "ollama", quente);
    expect(idFrio).toBeLessThan(idQuente);
    for (let i = 0; i < 6; i++) {
      const { response } = await cliente()
        .chat.completions.create({ model: "gw-quente:latest", messages: [{ role: "user", content: "Oi" }] })
        .withResponse();
      expect(response.headers.get("x-provedor-id")).toBe(String(idQuente));
    }
    expect(frio.recebidas.filter((q) => q.caminho.startsWith("/v1/")).length).toBe(0);
  });

  it("a model pulled after the last refresh is found: an unknown id refreshes the caches once", async () => {
    const falso = await servidor(new OllamaFalso({ modelos: [{ id: "gw-velho:latest", carregado: true }], resposta: RESPOSTA }));
    await provedor("Novo modelo", "ollama", falso);
    falso.modelos.push({ id: "gw-recem-baixado:latest", carregado: true });
    const r = await cliente().chat.completions.create({ model: "gw-recem-baixado:latest", messages: [{ role: "user", content: "Oi" }] });
    expect(r.choices[0]!.message.content).toBe(RESPOSTA);
  });

  it("each event renews a stream's timeout: slow tokens outlast it, a stall after them ends it one timeout later", async () => {
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: "gw-pausas" }], resposta: "a b c d e f", atrasoEntreTokensMs: 400 }));
    const { id } = (
      await rest().pedir<{ id: number }>("", { json: { nome: "Pausas", tipo: "llama_cpp", base_url: falso.url, timeout_segundos: 1 } })
    ).corpo;
    expect((await rest().pedir(`/${id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });

    // 10 frames 400 ms apart: 3.6 s in all, more than three timeouts of 1 s, none of them silent
    let inicio = Date.now();
    expect(await lerStream("gw-pausas")).toEqual({ texto: "a b c d e f", erro: null });
    expect(Date.now() - inicio).toBeGreaterThan(3000);

    // the role chunk, then 4 s of silence: cut 1 s after that last event
    falso.atrasoEntreTokensMs = 4000;
    inicio = Date.now();
    const { texto, erro } = await lerStream("gw-pausas");
    const duracao = Date.now() - inicio;
    expect(texto).toBe("");
    expect(erro).toBeInstanceOf(APIError);
    expect(duracao).toBeGreaterThan(900);
    expect(duracao).toBeLessThan(3500);
    const codigos = async () =>
      (await rest().pedir<{ requisicoes: { codigo_erro: string | null }[] }>(`/${id}/requisicoes`)).corpo.requisicoes.map(
        (r) => r.codigo_erro,
      );
    await expect.poll(codigos).toEqual(["provedor_timeout", null]);
  }, 20_000);

  it("closing the stream mid-way cancels the upstream request (the server sees the close)", async () => {
    const lento = await servidor(
      new OllamaFalso({
        modelos: [{ id: "gw-lento:latest", carregado: true }],
        resposta: Array.from({ length: 60 }, (_, i) => `p${i}`).join(" "),
        atrasoEntreTokensMs: 50,
      }),
    );
    await provedor("Lento", "ollama", lento);
    const controle = new AbortController();
    const stream = await cliente().chat.completions.create(
      { model: "gw-lento:latest", messages: [{ role: "user", content: "Oi" }], stream: true },
      { signal: controle.signal },
    );
    let n = 0;
    await (async () => {
      for await (const _ of stream) if (++n === 3) controle.abort();
    })().catch(() => {});
    await expect.poll(() => lento.streamsAbandonados, { timeout: 5000 }).toBe(1);
  });
});

describe("pinned ids by stored slug, and stop sequences", () => {
  it('"dup", "dup 5" and "DUP!" get three slugs, and each pinned id reaches its own provider', async () => {
    const modelo = "modelo-fixo";
    const ollama = await servidor(new OllamaFalso({ modelos: [{ id: modelo, carregado: true }] }));
    const nomes = ["dup", "dup 5", "DUP!"];
    const criados: { id: number; slug: string }[] = [];
    for (const nome of nomes) {
      const id = await provedor(nome, "ollama", ollama);
      criados.push({ id, slug: (await rest().pedir<{ slug: string }>(`/${id}`)).corpo.slug });
    }
    expect(criados.map((p) => p.slug)).toEqual(["dup", "dup-5", "dup--2"]);
    const ids = (await cliente().models.list()).data.map((m) => m.id);
    expect(ids.filter((id) => id.endsWith(`/${modelo}`)).sort()).toEqual(criados.map((p) => `${p.slug}/${modelo}`).sort());
    for (const p of criados) {
      const r = await conversarV1(`${p.slug}/${modelo}`, {}, app.url);
      expect(r.status).toBe(200);
      await r.arrayBuffer();
      expect((await rest().pedir<Estatisticas>(`/${p.id}/estatisticas?periodo=1h`)).corpo.total_requisicoes).toBe(1);
    }
    // the pages that show the ids show the stored slugs
    const pagina = (await raiz().pedir("/provedores-llm/api")).texto;
    for (const p of criados) expect(pagina).toContain(`${p.slug}/${modelo}`);
    const detalhes = (await raiz().pedir(`/provedores-llm/${criados[1]!.id}/detalhes`)).texto;
    expect(detalhes).toContain("dup-5/&lt;modelo&gt;");
  });

  it('stop "" or [""] is a 400 on chat and completions', async () => {
    for (const stop of ["", [""], ["fim", ""]]) {
      const chat = await conversarV1("qualquer", { stop }, app.url);
      expect(chat.status, JSON.stringify(stop)).toBe(400);
      expect(((await chat.json()) as { error: { message: string } }).error.message).toContain("stop");
      const completion = await raiz().resposta("/v1/completions", { json: { model: "qualquer", prompt: "oi", stop } });
      expect(completion.status, JSON.stringify(stop)).toBe(400);
      await completion.arrayBuffer();
    }
  });
});

describe("events whose data spans several data: lines", () => {
  it("/v1 passes each on as valid SSE: the SDK reads the whole answer and its usage; requisicao too", async () => {
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: "gw-multilinha" }], resposta: RESPOSTA }));
    const id = await provedor("Multilinha", "llama_cpp", falso);
    await falso.definirFalha("dados_multilinha");

    const cru = await raiz().resposta("/v1/chat/completions", {
      json: { model: "gw-multilinha", messages: [{ role: "user", content: "Oi" }], stream: true },
    });
    // Every line of the answer is a data: field (or the blank line between events).
    expect((await cru.text()).split("\n").filter((l) => l !== "" && !l.startsWith("data: "))).toEqual([]);
    const stream = await cliente().chat.completions.create({
      model: "gw-multilinha",
      messages: [{ role: "user", content: "Oi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let texto = "";
    let uso: OpenAI.CompletionUsage | null = null;
    for await (const c of stream) {
      texto += c.choices[0]?.delta?.content ?? "";
      uso = c.usage ?? uso;
    }
    expect(texto).toBe(RESPOSTA);
    expect(uso).toMatchObject({ completion_tokens: falso.tokens().length });

    const requisicao = await rest().resposta(`/${id}/requisicao`, {
      json: { mensagens: [{ role: "user", content: "Oi" }], stream: true, modelo: "gw-multilinha" },
    });
    expect((await lerEventos(requisicao)).at(-1)).toMatchObject({ evento: "fim", dados: { conteudo: RESPOSTA } });
    await expect
      .poll(async () =>
        (await rest().pedir<{ requisicoes: { sucesso: boolean }[] }>(`/${id}/requisicoes`)).corpo.requisicoes.map((r) => r.sucesso),
      )
      .toEqual([true, true, true]);
  });
});
