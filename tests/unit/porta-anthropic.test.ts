import { describe, expect, it } from "vitest";
import { ErroApp, erroNoFormatoAnthropic } from "@/lib/errors";
import { DIALETO_ANTHROPIC } from "@/lib/gateway/dialetos/anthropic";
import { FIM, PASSAR } from "@/lib/gateway/pedido";
import { estimarTokens } from "@/lib/portas/anthropic/estimar-tokens";
import { quadrosAnthropicNativos, TradutorDoStream } from "@/lib/portas/anthropic/quadros-anthropic";
import { pedidoOpenAI } from "@/lib/portas/anthropic/traduzir-pedido";
import { mensagemDaResposta } from "@/lib/portas/anthropic/traduzir-resposta";
import { CorpoMensagensAnthropic } from "@/lib/schemas/corpos-anthropic";
import { validar } from "@/lib/schemas/validar";

// The pure parts of Anthropic's Messages door: the request to OpenAI chat, the answer and the stream back,
// the error table in Anthropic's shape, the estimate, and the reader of a native server's stream.

const corpo = (extra: Record<string, unknown>) => validar(CorpoMensagensAnthropic, { model: "m", max_tokens: 64, ...extra });
const decodificar = (b: Uint8Array) => new TextDecoder().decode(b);
const eventos = (texto: string) =>
  texto
    .split("\n\n")
    .filter(Boolean)
    .map((b) => ({ evento: /^event: (.*)$/m.exec(b)![1]!, dados: JSON.parse(/^data: (.*)$/m.exec(b)![1]!) as Record<string, unknown> }));

describe("pedidoOpenAI: Anthropic's request as OpenAI chat", () => {
  it("system blocks joined (cache_control dropped), sampling, stop_sequences as stop, metadata left out", () => {
    const r = pedidoOpenAI(
      corpo({
        system: [
          { type: "text", text: "A", cache_control: { type: "ephemeral" } },
          { type: "text", text: "B" },
        ],
        messages: [{ role: "user", content: "Oi" }],
        stop_sequences: ["FIM"],
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        stream: true,
        metadata: { user_id: "u" },
      }),
    );
    expect(r).toEqual({
      messages: [
        { role: "system", content: "A\n\nB" },
        { role: "user", content: "Oi" },
      ],
      max_tokens: 64,
      stream: true,
      stop: ["FIM"],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
    });
  });

  it("images as image_url parts, tool_use as tool_calls, tool_result as a tool message before the user's text", () => {
    const r = pedidoOpenAI(
      corpo({
        messages: [
          {
            role: "user",
            content: [
              { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
              { type: "text", text: "Veja" },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "text", text: "Vou ver." },
              { type: "tool_use", id: "t1", name: "f", input: { a: 1 } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "ok" }] },
              { type: "text", text: "E agora?" },
            ],
          },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "t2", content: "falhou", is_error: true }] },
        ],
      }),
    );
    expect(r.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          { type: "text", text: "Veja" },
        ],
      },
      {
        role: "assistant",
        content: "Vou ver.",
        tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
      },
      { role: "tool", tool_call_id: "t1", content: "ok" },
      { role: "user", content: "E agora?" },
      { role: "tool", tool_call_id: "t2", content: "Erro: falhou" },
    ]);
  });

  it("tools as functions; tool_choice auto/any/tool/none; a server tool without input_schema left out", () => {
    const tools = [
      { name: "f", description: "d", input_schema: { type: "object" } },
      { name: "web_search", type: "web_search_20250305" },
    ];
    const com = (tool_choice?: unknown) => pedidoOpenAI(corpo({ messages: [{ role: "user", content: "x" }], tools, tool_choice }));
    expect(com().tools).toEqual([{ type: "function", function: { name: "f", description: "d", parameters: { type: "object" } } }]);
    expect(com().tool_choice).toBeUndefined();
    expect(com({ type: "auto" }).tool_choice).toBe("auto");
    expect(com({ type: "any", disable_parallel_tool_use: true })).toMatchObject({ tool_choice: "required", parallel_tool_calls: false });
    expect(com({ type: "tool", name: "f" }).tool_choice).toEqual({ type: "function", function: { name: "f" } });
    expect(com({ type: "none" })).not.toHaveProperty("tools");
  });

  it("the schema refuses what Anthropic refuses: no max_tokens, an unknown block, a role other than user/assistant", () => {
    const recusa = (dados: unknown) => expect(() => validar(CorpoMensagensAnthropic, dados)).toThrow(ErroApp);
    recusa({ model: "m", messages: [{ role: "user", content: "x" }] });
    recusa({ model: "m", max_tokens: 5, messages: [{ role: "user", content: [{ type: "video" }] }] });
    recusa({ model: "m", max_tokens: 5, messages: [{ role: "system", content: "x" }] });
    recusa({ model: "m", max_tokens: 5, temperature: 1.5, messages: [{ role: "user", content: "x" }] });
  });
});

describe("mensagemDaResposta: an OpenAI chat answer as Anthropic's message", () => {
  it("text and tool calls as blocks, finish_reason as stop_reason, usage, the model as asked", () => {
    const m = mensagemDaResposta(
      {
        id: "x1",
        model: "servidor",
        choices: [
          {
            finish_reason: "tool_calls",
            message: { content: "Vou chamar.", tool_calls: [{ id: "c1", function: { name: "f", arguments: '{"a":"b"}' } }] },
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 3 },
      },
      "pedido/m",
    );
    expect(m).toEqual({
      id: "msg_x1",
      type: "message",
      role: "assistant",
      model: "pedido/m",
      content: [
        { type: "text", text: "Vou chamar." },
        { type: "tool_use", id: "c1", name: "f", input: { a: "b" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 3 },
    });
    expect(mensagemDaResposta({ choices: [{ finish_reason: "length", message: { content: "a" } }] }, "m").stop_reason).toBe("max_tokens");
    expect(mensagemDaResposta({ choices: [{ finish_reason: "stop", message: { content: "a" } }] }, "m").stop_reason).toBe("end_turn");
    expect(() => mensagemDaResposta({ choices: [] }, "m")).toThrow(ErroApp);
  });
});

describe("TradutorDoStream: OpenAI chunks as Anthropic's events", () => {
  it("text then a tool call: the blocks, a ping after the first, the deltas, message_delta with the usage, message_stop", () => {
    const t = new TradutorDoStream("m");
    const chunk = (o: unknown) => ({ tipo: "chunk" as const, dados: JSON.stringify(o) });
    const texto = decodificar(
      t.enquadrar([
        chunk({ id: "a", choices: [{ delta: { role: "assistant", content: null } }] }),
        chunk({ choices: [{ delta: { content: "Olá" } }] }),
        chunk({ choices: [{ delta: { tool_calls: [{ index: 0, id: "c1", function: { name: "f", arguments: "" } }] } }] }),
        chunk({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] } }] }),
        chunk({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: "1}" } }] } }] }),
        chunk({ choices: [{ delta: {}, finish_reason: "tool_calls" }] }),
        chunk({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 4 } }),
      ]),
    );
    const fim = decodificar(t.enquadrar([{ tipo: "fim", resposta: null }]));
    const todos = eventos(texto + fim);
    expect(todos.map((e) => e.evento)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(todos[0]!.dados).toMatchObject({ message: { id: "msg_a", model: "m", content: [] } });
    expect(todos[3]!.dados).toEqual({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Olá" } });
    expect(todos[5]!.dados).toEqual({
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "c1", name: "f", input: {} },
    });
    expect(todos[6]!.dados).toMatchObject({ index: 1, delta: { type: "input_json_delta", partial_json: '{"a":' } });
    expect(todos[9]!.dados).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 7, output_tokens: 4 },
    });
  });

  it("an error after the first byte is Anthropic's error event; an empty answer still has one text block", () => {
    const t = new TradutorDoStream("m");
    const erro = eventos(decodificar(t.enquadrar([{ tipo: "erro", erro: new ErroApp("provedor_erro", "caiu") }])));
    expect(erro).toEqual([{ evento: "error", dados: { type: "error", error: { type: "api_error", message: "caiu" } } }]);
    const vazio = eventos(decodificar(new TradutorDoStream("m").enquadrar([{ tipo: "fim", resposta: null }])));
    expect(vazio.map((e) => e.evento)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});

describe("a native server's Anthropic stream", () => {
  it("the framing names each event by its type and shows the model asked for in message_start", () => {
    const enquadrar = quadrosAnthropicNativos("slug/m");
    const texto = decodificar(
      enquadrar([
        { tipo: "chunk", dados: '{"type":"message_start","message":{"id":"x","model":"servidor","content":[]}}' },
        { tipo: "chunk", dados: '{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}}' },
        { tipo: "fim", resposta: null },
      ]),
    );
    expect(eventos(texto)).toEqual([
      { evento: "message_start", dados: { type: "message_start", message: { id: "x", model: "slug/m", content: [] } } },
      { evento: "content_block_delta", dados: { index: 0, type: "content_block_delta", delta: { type: "text_delta", text: "a" } } },
      { evento: "message_stop", dados: { type: "message_stop" } },
    ]);
  });

  it("the reader: usage from message_start and message_delta, first token at a text_delta, message_stop ends, error throws", () => {
    const l = DIALETO_ANTHROPIC.leitor();
    expect(l.ler('{"type":"message_start","message":{"usage":{"input_tokens":12,"output_tokens":0}}}')).toBe(PASSAR);
    expect(l.comTexto).toBe(false);
    expect(l.ler('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}')).toBe(PASSAR);
    expect(l.comTexto).toBe(true);
    expect(l.inteira).toBe(false);
    l.ler('{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}');
    expect(l.inteira).toBe(true);
    expect(l.uso).toEqual({ prompt: 12, resposta: 5 });
    expect(l.ler('{"type":"message_stop"}')).toBe(PASSAR | FIM);
    expect(() => DIALETO_ANTHROPIC.leitor().ler('{"type":"error","error":{"type":"api_error","message":"falhou"}}')).toThrow(/falhou/);
    expect(() => DIALETO_ANTHROPIC.leitor().ler('{"error":{"message":"quebrou","type":"server_error"}}')).toThrow(/quebrou/);
    expect(DIALETO_ANTHROPIC.usoDoJson({ usage: { input_tokens: 3, output_tokens: 4 } })).toEqual({ prompt: 3, resposta: 4 });
  });
});

describe("erroNoFormatoAnthropic: the one table in Anthropic's types and statuses", () => {
  const com = (codigo: ConstructorParameters<typeof ErroApp>[0], statusServidor?: number) => {
    const e = new ErroApp(codigo, "m");
    if (statusServidor !== undefined) e.statusServidor = statusServidor;
    const { status, corpo } = erroNoFormatoAnthropic(e);
    return [status, corpo.error.type];
  };
  it("maps each class", () => {
    expect(com("validacao")).toEqual([400, "invalid_request_error"]);
    expect(com("json_invalido")).toEqual([400, "invalid_request_error"]);
    expect(com("nao_autorizado")).toEqual([401, "authentication_error"]);
    expect(com("origem_nao_permitida")).toEqual([403, "permission_error"]);
    expect(com("modelo_nao_encontrado")).toEqual([404, "not_found_error"]);
    expect(com("corpo_muito_grande")).toEqual([413, "request_too_large"]);
    expect(com("muitas_tentativas")).toEqual([429, "rate_limit_error"]);
    expect(com("provedor_erro")).toEqual([502, "api_error"]);
    expect(com("provedor_erro", 500)).toEqual([502, "api_error"]);
    expect(com("provedor_erro", 422)).toEqual([400, "invalid_request_error"]);
    expect(com("provedor_erro", 503)).toEqual([529, "overloaded_error"]);
    expect(com("provedor_erro", 429)).toEqual([529, "overloaded_error"]);
    expect(com("provedor_timeout")).toEqual([504, "timeout_error"]);
    expect(com("interno")).toEqual([500, "api_error"]);
  });
});

describe("estimarTokens", () => {
  it("characters / 4 plus a turn's framing, tools and images counted", () => {
    expect(estimarTokens(corpo({ messages: [{ role: "user", content: "a".repeat(40) }] }))).toBe(10 + 4);
    expect(estimarTokens(corpo({ system: "b".repeat(8), messages: [{ role: "user", content: "a".repeat(40) }] }))).toBe(12 + 8);
    const comImagem = corpo({
      messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "AA" } }] }],
    });
    expect(estimarTokens(comImagem)).toBe(1600 + 4);
  });
});
