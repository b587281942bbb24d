import OpenAI, { APIError, BadRequestError } from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { clienteApi } from "../support/cliente-api";
import { app, restDoApp } from "../support/contexto";
import { lerEstatisticas } from "../support/llm";

// OpenAI's Responses API at /v1/responses, driven by the official `openai` SDK over real HTTP: passed through to
// the servers that serve it (llama-server, LM Studio ≥ 0.3.29), translated to chat for the others.

const RESPOSTA = "Olá! Respondo pela API Responses.";
const falsos: ServidorFalso[] = [];

async function servidor<S extends ServidorFalso>(falso: S): Promise<S> {
  falsos.push(falso);
  return falso.iniciar();
}

/** A provider for a running test server, its models learned by a connection test. */
async function provedor(nome: string, tipo: TipoProvedor, falso: ServidorFalso): Promise<number> {
  const { id } = (await restDoApp().pedir<{ id: number }>("", { json: { nome, tipo, base_url: falso.url, timeout_segundos: 3 } })).corpo;
  expect((await restDoApp().pedir(`/${id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });
  return id;
}

const cliente = () => new OpenAI({ baseURL: `${app().url}/v1`, apiKey: "qualquer", maxRetries: 0, timeout: 15_000 });
const raiz = () => clienteApi(app().url);

/** The routes a test server was asked, after the connection test's (`METHOD /path`). */
const rotasPedidas = (f: ServidorFalso, desde = 0) => f.recebidas.slice(desde).map((r) => `${r.metodo} ${r.caminho}`);
const corpoDe = (f: ServidorFalso, rota: string) =>
  JSON.parse(f.recebidas.filter((r) => r.caminho === rota).at(-1)!.corpoTexto) as Record<string, unknown>;

/** A streamed response read to its end: its events, and what the SDK raised, if anything. */
async function lerEventos(
  corpo: OpenAI.Responses.ResponseCreateParamsStreaming,
): Promise<{ eventos: ResponseStreamEvent[]; erro: unknown }> {
  const eventos: ResponseStreamEvent[] = [];
  try {
    for await (const e of await cliente().responses.create(corpo)) eventos.push(e);
    return { eventos, erro: null };
  } catch (erro) {
    return { eventos, erro };
  }
}

const textoDos = (eventos: ResponseStreamEvent[]) => eventos.map((e) => (e.type === "response.output_text.delta" ? e.delta : "")).join("");

/** The event sequence OpenAI sends for a text answer of `n` deltas. */
const sequenciaDeTexto = (n: number) => [
  "response.created",
  "response.in_progress",
  "response.output_item.added",
  "response.content_part.added",
  ...Array<string>(n).fill("response.output_text.delta"),
  "response.output_text.done",
  "response.content_part.done",
  "response.output_item.done",
  "response.completed",
];
const PALAVRAS = RESPOSTA.split(" ").length;

let llama: LlamaCppFalso;
let llamaAntigo: LlamaCppFalso;
let lmStudio: LmStudioFalso;
let lmStudioAntigo: LmStudioFalso;
let ollama: OllamaFalso;
let proxy: OpenAICompativelFalso;
let llamaId: number;
let ollamaId: number;

beforeAll(async () => {
  const um = (id: string) => ({ modelos: [{ id, carregado: true, contexto: 4096 }], resposta: RESPOSTA });
  llama = await servidor(new LlamaCppFalso(um("rsp-tiny")));
  llamaAntigo = await servidor(new LlamaCppFalso(um("rsp-tiny-antigo")));
  llamaAntigo.semResponses = true;
  lmStudio = await servidor(new LmStudioFalso(um("rsp-qwen")));
  lmStudioAntigo = await servidor(new LmStudioFalso(um("rsp-qwen-antigo")));
  lmStudioAntigo.semResponses = true;
  ollama = await servidor(new OllamaFalso({ ...um("rsp-llama3.2:latest"), modelos: [{ id: "rsp-llama3.2:latest", carregado: true }] }));
  proxy = await servidor(new OpenAICompativelFalso(um("rsp-proxy")));
  llamaId = await provedor("Responses llama", "llama_cpp", llama);
  await provedor("Responses llama antigo", "llama_cpp", llamaAntigo);
  await provedor("Responses LM Studio", "lm_studio", lmStudio);
  await provedor("Responses LM Studio antigo", "lm_studio", lmStudioAntigo);
  ollamaId = await provedor("Responses Ollama", "ollama", ollama);
  await provedor("Responses proxy", "openai_compativel", proxy);
});
afterAll(async () => {
  await Promise.all(falsos.map((f) => f.parar()));
});

describe("native: passed through to a server that serves /v1/responses", () => {
  it("responses.create, plain, on llama.cpp: the server's response with the model as asked, its usage counted", async () => {
    const antes = await lerEstatisticas(llamaId);
    const desde = llama.recebidas.length;
    const r = await cliente().responses.create({ model: "responses-llama/rsp-tiny", input: "Oi, tudo bem?", instructions: "Seja breve." });
    expect(r.output_text).toBe(RESPOSTA);
    expect(r).toMatchObject({ object: "response", status: "completed", model: "responses-llama/rsp-tiny" });
    expect(r.usage).toMatchObject({ input_tokens: 9, output_tokens: PALAVRAS });
    // The route was learned once (an empty probe), then the body went through as sent, with the server's model id.
    expect(rotasPedidas(llama, desde)).toEqual(["POST /v1/responses", "POST /v1/responses"]);
    expect(corpoDe(llama, "/v1/responses")).toEqual({ model: "rsp-tiny", input: "Oi, tudo bem?", instructions: "Seja breve." });
    const depois = await lerEstatisticas(llamaId);
    expect(depois.total_requisicoes - antes.total_requisicoes).toBe(1);
    expect(depois.tokens_totais - antes.tokens_totais).toBe(9 + PALAVRAS);
  });

  it("responses.create, streamed, on llama.cpp: the server's events in order, named as OpenAI names them", async () => {
    const { eventos, erro } = await lerEventos({ model: "rsp-tiny", input: "Conte algo.", stream: true });
    expect(erro).toBeNull();
    expect(eventos.map((e) => e.type)).toEqual(sequenciaDeTexto(PALAVRAS));
    expect(textoDos(eventos)).toBe(RESPOSTA);
    const fim = eventos.at(-1) as OpenAI.Responses.ResponseCompletedEvent & { timings?: unknown };
    expect(fim.response).toMatchObject({ status: "completed", model: "rsp-tiny", usage: { output_tokens: PALAVRAS } });
    // Unchanged but for the model: llama.cpp's own timings are still there.
    expect(fim.timings).toMatchObject({ cache_n: 29 });
    // The wire: each event an `event: <type>` line over its data, no [DONE].
    const r = await raiz().resposta("/v1/responses", { json: { model: "rsp-tiny", input: "Oi", stream: true } });
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    const blocos = (await r.text()).split("\n\n").filter(Boolean);
    expect(blocos).toHaveLength(sequenciaDeTexto(PALAVRAS).length);
    for (const b of blocos) {
      const [evento, dados] = b.split("\n");
      expect(evento!.slice("event: ".length)).toBe((JSON.parse(dados!.slice("data: ".length)) as { type: string }).type);
    }
  });

  it("streamed on llama.cpp, asked as <slug>/<model>: every event's response names the asked id; its usage is counted", async () => {
    const antes = await lerEstatisticas(llamaId);
    const asked = "responses-llama/rsp-tiny";
    const r = await raiz().resposta("/v1/responses", { json: { model: asked, input: "Conte algo.", stream: true } });
    expect(r.status).toBe(200);
    const dados = (await r.text())
      .split("\n\n")
      .filter(Boolean)
      .map((b) => JSON.parse(b.split("\n")[1]!.slice("data: ".length)) as { type: string; response?: { model: string; usage?: unknown } });
    expect(dados.map((d) => d.type)).toEqual(sequenciaDeTexto(PALAVRAS));
    const comResposta = dados.filter((d) => d.response);
    expect(comResposta.map((d) => d.type)).toEqual(["response.created", "response.in_progress", "response.completed"]);
    for (const d of comResposta) expect(d.response!.model, d.type).toBe(asked);
    // The server was asked for its own id.
    expect(corpoDe(llama, "/v1/responses")).toMatchObject({ model: "rsp-tiny", stream: true });
    // "Conte algo." is 2 words + 4 of the test server's template; the usage is response.completed's.
    expect(dados.at(-1)!.response!.usage).toMatchObject({ input_tokens: 6, output_tokens: PALAVRAS });
    const depois = await lerEstatisticas(llamaId);
    expect(depois.total_requisicoes - antes.total_requisicoes).toBe(1);
    expect(depois.requisicoes_sucesso - antes.requisicoes_sucesso).toBe(1);
    expect(depois.tokens_totais - antes.tokens_totais).toBe(6 + PALAVRAS);
  });

  it("LM Studio 0.3.29+ is passed through; an older one (its 200 'Unexpected endpoint') is translated to chat", async () => {
    const desde = lmStudio.recebidas.length;
    expect((await cliente().responses.create({ model: "rsp-qwen", input: "Oi" })).output_text).toBe(RESPOSTA);
    expect(rotasPedidas(lmStudio, desde)).toEqual(["POST /v1/responses", "POST /v1/responses"]);

    const desdeAntigo = lmStudioAntigo.recebidas.length;
    const r = await cliente().responses.create({ model: "rsp-qwen-antigo", input: "Oi" });
    expect(r.output_text).toBe(RESPOSTA);
    expect(r.id).toMatch(/^resp_/);
    expect(rotasPedidas(lmStudioAntigo, desdeAntigo)).toEqual(["POST /v1/responses", "POST /v1/chat/completions"]);
  });

  it("a llama-server build without the route (404 File Not Found) is translated, and the probe is not repeated", async () => {
    const desde = llamaAntigo.recebidas.length;
    expect((await cliente().responses.create({ model: "rsp-tiny-antigo", input: "Oi" })).output_text).toBe(RESPOSTA);
    expect((await cliente().responses.create({ model: "rsp-tiny-antigo", input: "De novo" })).output_text).toBe(RESPOSTA);
    expect(rotasPedidas(llamaAntigo, desde)).toEqual(["POST /v1/responses", "POST /v1/chat/completions", "POST /v1/chat/completions"]);
  });
});

describe("translated to chat for a server without /v1/responses", () => {
  it("responses.create, plain, on Ollama: instructions as the system message, the answer as a response object", async () => {
    const antes = await lerEstatisticas(ollamaId);
    const r = await cliente().responses.create({
      model: "rsp-llama3.2:latest",
      instructions: "Responda em português.",
      input: [{ role: "user", content: [{ type: "input_text", text: "Oi, tudo bem?" }] }],
      max_output_tokens: 50,
      temperature: 0.2,
      text: { format: { type: "json_schema", name: "saudacao", schema: { type: "object" }, strict: true } },
    });
    expect(r.output_text).toBe(RESPOSTA);
    expect(r).toMatchObject({
      object: "response",
      status: "completed",
      model: "rsp-llama3.2:latest",
      instructions: "Responda em português.",
    });
    expect(r.output).toEqual([
      expect.objectContaining({
        type: "message",
        role: "assistant",
        status: "completed",
        content: [expect.objectContaining({ type: "output_text", text: RESPOSTA })],
      }),
    ]);
    expect(r.usage).toMatchObject({ input_tokens: 10, output_tokens: PALAVRAS, total_tokens: 10 + PALAVRAS });
    expect(corpoDe(ollama, "/v1/chat/completions")).toEqual({
      model: "rsp-llama3.2:latest",
      messages: [
        { role: "system", content: "Responda em português." },
        { role: "user", content: "Oi, tudo bem?" },
      ],
      max_tokens: 50,
      temperature: 0.2,
      response_format: { type: "json_schema", json_schema: { name: "saudacao", schema: { type: "object" }, strict: true } },
    });
    const depois = await lerEstatisticas(ollamaId);
    expect(depois.total_requisicoes - antes.total_requisicoes).toBe(1);
    expect(depois.tokens_totais - antes.tokens_totais).toBe(10 + PALAVRAS);
  });

  it("responses.create, streamed, on an OpenAI-compatible server: OpenAI's event sequence, numbered, with the usage", async () => {
    const { eventos, erro } = await lerEventos({ model: "rsp-proxy", input: "Conte algo.", stream: true });
    expect(erro).toBeNull();
    expect(eventos.map((e) => e.type)).toEqual(sequenciaDeTexto(PALAVRAS));
    expect(eventos.map((e) => e.sequence_number)).toEqual(eventos.map((_, i) => i));
    expect(textoDos(eventos)).toBe(RESPOSTA);
    const fim = eventos.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(fim.response.output).toEqual([
      expect.objectContaining({ type: "message", content: [expect.objectContaining({ text: RESPOSTA })] }),
    ]);
    expect(fim.response.usage).toMatchObject({ output_tokens: PALAVRAS });
    const criado = eventos[0] as OpenAI.Responses.ResponseCreatedEvent;
    expect(criado.response).toMatchObject({ status: "in_progress", id: fim.response.id, output: [] });
  });

  it("the SDK's responses.stream() helper builds the same final response from the events, native and translated", async () => {
    for (const modelo of ["rsp-tiny", "rsp-proxy"]) {
      const final = await cliente().responses.stream({ model: modelo, input: "Oi" }).finalResponse();
      expect(final.output_text, modelo).toBe(RESPOSTA);
      expect(final.status, modelo).toBe("completed");
    }
  });

  it("a function call round trip: the tool asked for as a function_call item, its output sent back (an agent's reasoning item left out), the answer", async () => {
    const ferramentas: OpenAI.Responses.FunctionTool[] = [
      {
        type: "function",
        name: "clima",
        description: "O clima de uma cidade",
        parameters: { type: "object", properties: { cidade: { type: "string" } }, required: ["cidade"] },
        strict: false,
      },
    ];
    const pergunta: OpenAI.Responses.ResponseInputItem = { role: "user", content: "Recife" };
    const r = await cliente().responses.create({ model: "rsp-proxy", input: [pergunta], tools: ferramentas, tool_choice: "auto" });
    const chamada = r.output.find((i) => i.type === "function_call");
    expect(chamada).toMatchObject({ type: "function_call", name: "clima", arguments: '{"cidade":"teste"}', status: "completed" });
    expect(corpoDe(proxy, "/v1/chat/completions")).toMatchObject({
      tools: [
        { type: "function", function: { name: "clima", description: "O clima de uma cidade", parameters: ferramentas[0]!.parameters } },
      ],
      tool_choice: "auto",
    });
    if (chamada?.type !== "function_call") throw new Error("sem function_call");

    const segunda = await cliente().responses.create({
      model: "rsp-proxy",
      tools: ferramentas,
      input: [
        pergunta,
        { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Preciso do clima." }] },
        chamada,
        { type: "function_call_output", call_id: chamada.call_id, output: '{"temperatura":31}' },
      ],
    });
    // The test model quotes the tool's result (tests/servidores/openai-chat.ts).
    expect(segunda.output_text).toBe('Resultado da ferramenta: {"temperatura":31}');
    expect(corpoDe(proxy, "/v1/chat/completions").messages).toEqual([
      { role: "user", content: "Recife" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: chamada.call_id, type: "function", function: { name: "clima", arguments: '{"cidade":"teste"}' } }],
      },
      { role: "tool", tool_call_id: chamada.call_id, content: '{"temperatura":31}' },
    ]);
  });

  it("cut by the output limit: response.incomplete (max_output_tokens), streamed and whole", async () => {
    const { eventos, erro } = await lerEventos({ model: "rsp-proxy", input: "Conte algo.", stream: true, max_output_tokens: 2 });
    expect(erro).toBeNull();
    expect(eventos.map((e) => e.type)).toEqual([...sequenciaDeTexto(2).slice(0, -1), "response.incomplete"]);
    const fim = eventos.at(-1) as OpenAI.Responses.ResponseIncompleteEvent;
    expect(fim.response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(corpoDe(proxy, "/v1/chat/completions")).toMatchObject({ max_tokens: 2, stream: true });
    const inteira = await cliente().responses.create({ model: "rsp-proxy", input: "Conte algo.", max_output_tokens: 2 });
    expect(inteira).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(inteira.output_text).toBe(RESPOSTA.split(" ").slice(0, 2).join(" "));
  });

  it("a function call streamed: its item, the argument deltas and their done event, then response.completed", async () => {
    const { eventos, erro } = await lerEventos({
      model: "rsp-llama3.2:latest",
      input: "Natal",
      stream: true,
      tools: [
        { type: "function", name: "clima", parameters: { type: "object", properties: { cidade: { type: "string" } } }, strict: null },
      ],
    });
    expect(erro).toBeNull();
    expect(eventos.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      // The test server sends the arguments in pieces of six characters.
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    // The user's input reached the server (the arguments are the test server's, from the tool's schema).
    expect(corpoDe(ollama, "/v1/chat/completions").messages).toEqual([{ role: "user", content: "Natal" }]);
    const feito = eventos.find((e) => e.type === "response.function_call_arguments.done");
    expect(feito).toMatchObject({ arguments: '{"cidade":"teste"}', name: "clima" });
    const fim = eventos.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(fim.response.output).toEqual([
      expect.objectContaining({ type: "function_call", name: "clima", arguments: '{"cidade":"teste"}', status: "completed" }),
    ]);
  });
});

describe("refused before anything is sent upstream, in OpenAI's error shape", () => {
  const casos: [string, Record<string, unknown>, RegExp][] = [
    [
      "previous_response_id (no stored state)",
      { previous_response_id: "resp_123" },
      /previous_response_id não é aceito: o app não guarda respostas/,
    ],
    ["conversation (no stored state)", { conversation: "conv_123" }, /conversation não é aceito: o app não guarda respostas/],
    ["background: true", { background: true }, /background: true não é aceito/],
    [
      "a function_call_output without its function_call",
      {
        input: [
          { role: "user", content: "Oi" },
          { type: "function_call_output", call_id: "call_x", output: "31" },
        ],
      },
      /input\.1\.call_id: function_call_output com call_id "call_x" não tem um function_call/,
    ],
    ["a built-in tool", { tools: [{ type: "web_search" }] }, /Só ferramentas do tipo function/],
    ["an input that is not text or items", { input: 42 }, /input deve ser um texto ou uma lista de itens/],
    ["a stored item reference", { input: [{ type: "item_reference", id: "msg_1" }] }, /Cada item de input deve ser/],
  ];
  for (const [nome, extra, mensagem] of casos) {
    it(`${nome} → 400 BadRequestError`, async () => {
      const antes = llama.recebidas.length;
      const erro = await cliente()
        .responses.create({ model: "rsp-tiny", input: "Oi", ...extra } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
        .catch((e: unknown) => e);
      expect(erro).toBeInstanceOf(BadRequestError);
      expect((erro as BadRequestError).message).toMatch(mensagem);
      expect((erro as BadRequestError).error).toMatchObject({ type: "invalid_request_error", code: "validacao" });
      expect(llama.recebidas.length).toBe(antes);
    });
  }

  it("malformed JSON → 400 in OpenAI's shape (llama-server itself would answer 500)", async () => {
    const antes = llama.recebidas.length;
    const r = await raiz().pedir<{ error: { type: string; code: string } }>("/v1/responses", {
      method: "POST",
      body: '{"model":"rsp-tiny",',
    });
    expect(r.status).toBe(400);
    expect(r.corpo.error).toMatchObject({ type: "invalid_request_error", code: "json_invalido" });
    expect(llama.recebidas.length).toBe(antes);
  });
});

describe("a stream cut after its first byte ends with an error event the SDK raises", () => {
  it("native (llama.cpp) and translated (Ollama)", async () => {
    for (const [falso, modelo] of [
      [llama, "rsp-tiny"],
      [ollama, "rsp-llama3.2:latest"],
    ] as const) {
      await falso.definirFalha("cortar_stream");
      try {
        const { eventos, erro } = await lerEventos({ model: modelo, input: "Oi", stream: true });
        expect(eventos[0]?.type).toBe("response.created");
        expect(eventos.some((e) => e.type === "response.completed")).toBe(false);
        expect(erro).toBeInstanceOf(APIError);
        expect((erro as APIError).message).toMatch(/caiu no meio da resposta/);
      } finally {
        await falso.definirFalha(null);
      }
    }
  });

  it("the server's own error event (native) is relayed as OpenAI's error event", async () => {
    await llama.definirFalha("erro_no_stream");
    try {
      const { eventos, erro } = await lerEventos({ model: "rsp-tiny", input: "Oi", stream: true });
      expect(eventos.filter((e) => e.type === "response.output_text.delta")).toHaveLength(2);
      expect(erro).toBeInstanceOf(APIError);
      expect((erro as APIError).message).toMatch(/llama_decode failed/);
      // On the wire: llama-server's bare {"error":{…}} is read as its error for this request, not passed on as an
      // event, and the close after it is not a cut.
      const r = await raiz().resposta("/v1/responses", { json: { model: "rsp-tiny", input: "Oi", stream: true } });
      const blocos = (await r.text()).split("\n\n").filter(Boolean);
      expect(blocos).toHaveLength(7);
      expect(blocos.at(-1)).toMatch(/^event: error\ndata: /);
      const ultimo = JSON.parse(blocos.at(-1)!.split("\n")[1]!.slice("data: ".length)) as { sequence_number: number; message: string };
      expect(ultimo).toMatchObject({
        sequence_number: 6,
        message: expect.stringMatching(/interrompeu a resposta com erro: llama_decode failed/),
      });
      expect(blocos.join("\n\n")).not.toMatch(/encerrou o stream antes do fim/);
    } finally {
      await llama.definirFalha(null);
    }
  });
});
