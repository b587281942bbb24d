import { MessageStream } from "@anthropic-ai/sdk/lib/MessageStream";
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

  it("empty content and empty text blocks are refused as Anthropic refuses them; a final assistant prefill may be empty", () => {
    const recusa = (messages: unknown, extra: Record<string, unknown> = {}) =>
      expect(() => validar(CorpoMensagensAnthropic, { model: "m", max_tokens: 5, messages, ...extra }), JSON.stringify(messages)).toThrow(
        /content não vazio|não podem ser vazios/,
      );
    recusa([{ role: "user", content: [] }]);
    recusa([{ role: "user", content: "" }]);
    recusa([{ role: "user", content: [{ type: "text", text: "" }] }]);
    recusa([
      { role: "assistant", content: [] },
      { role: "user", content: "x" },
    ]);
    recusa([{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: [{ type: "text", text: "" }] }] }]);
    recusa([{ role: "user", content: "x" }], { system: [{ type: "text", text: "" }] });
    const prefill = validar(CorpoMensagensAnthropic, {
      model: "m",
      max_tokens: 5,
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: "" },
      ],
    });
    expect(prefill.messages).toHaveLength(2);
  });

  it("document and search_result blocks (also in a tool_result) are accepted; a text document goes as text, a PDF as a note", () => {
    const r = pedidoOpenAI(
      corpo({
        messages: [
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "text", media_type: "text/plain", data: "linha 1" },
                title: "notas.txt",
                citations: { enabled: true },
              },
              { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" }, title: "relatorio.pdf" },
              { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
              { type: "document", source: { type: "content", content: [{ type: "text", text: "parte" }] } },
              { type: "search_result", source: "https://ex.example/a", title: "A", content: [{ type: "text", text: "achado" }] },
              { type: "text", text: "Resuma." },
            ],
          },
          { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "ler", input: {} }] },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: "t1",
                content: [
                  { type: "text", text: "lido:" },
                  { type: "document", source: { type: "text", media_type: "text/plain", data: "conteúdo" }, title: "b.txt" },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(r.messages).toEqual([
      {
        role: "user",
        content: [
          "[document: notas.txt]\n\nlinha 1",
          "[document: relatorio.pdf omitted]",
          "[document: application/pdf omitted]",
          "parte",
          "[search result: A — https://ex.example/a]\n\nachado",
          "Resuma.",
        ].join("\n\n"),
      },
      { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "ler", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "t1", content: "lido:\n\n[document: b.txt]\n\nconteúdo" },
    ]);
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

  it("the server's reasoning_content is a thinking block before the text only when thinking was asked for", () => {
    const resposta = { choices: [{ finish_reason: "stop", message: { content: "42", reasoning_content: "Somo 40 e 2." } }] };
    expect(mensagemDaResposta(resposta, "m", true).content).toEqual([
      { type: "thinking", thinking: "Somo 40 e 2.", signature: "" },
      { type: "text", text: "42" },
    ]);
    expect(mensagemDaResposta(resposta, "m").content).toEqual([{ type: "text", text: "42" }]);
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

  it("parallel tool calls: two tool_use blocks in order, each with its own input_json_delta", () => {
    const t = new TradutorDoStream("m");
    const chamada = (index: number, extra: Record<string, unknown>) => ({
      tipo: "chunk" as const,
      dados: JSON.stringify({ choices: [{ delta: { tool_calls: [{ index, ...extra }] } }] }),
    });
    const todos = eventos(
      decodificar(
        t.enquadrar([
          chamada(0, { id: "c1", function: { name: "clima", arguments: "" } }),
          chamada(0, { function: { arguments: '{"cidade":"Lisboa"}' } }),
          chamada(1, { id: "c2", function: { name: "hora", arguments: '{"fuso":' } }),
          chamada(1, { function: { arguments: '"UTC"}' } }),
          { tipo: "chunk", dados: JSON.stringify({ choices: [{ delta: {}, finish_reason: "tool_calls" }] }) },
          { tipo: "fim", resposta: null },
        ]),
      ),
    );
    const semPing = todos.filter((e) => e.evento !== "ping");
    expect(semPing.slice(1, -2).map((e) => [e.evento, e.dados.index, e.dados.content_block ?? e.dados.delta])).toEqual([
      ["content_block_start", 0, { type: "tool_use", id: "c1", name: "clima", input: {} }],
      ["content_block_delta", 0, { type: "input_json_delta", partial_json: '{"cidade":"Lisboa"}' }],
      ["content_block_stop", 0, undefined],
      ["content_block_start", 1, { type: "tool_use", id: "c2", name: "hora", input: {} }],
      ["content_block_delta", 1, { type: "input_json_delta", partial_json: '{"fuso":' }],
      ["content_block_delta", 1, { type: "input_json_delta", partial_json: '"UTC"}' }],
      ["content_block_stop", 1, undefined],
    ]);
    expect(semPing.at(-2)!.dados).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  it("reasoning deltas are a thinking block before the text when thinking was asked for, dropped otherwise", async () => {
    const chunks = [
      { tipo: "chunk" as const, dados: JSON.stringify({ id: "r", choices: [{ delta: { role: "assistant", content: null } }] }) },
      { tipo: "chunk" as const, dados: JSON.stringify({ choices: [{ delta: { reasoning_content: "Pensando" } }] }) },
      { tipo: "chunk" as const, dados: JSON.stringify({ choices: [{ delta: { reasoning_content: " mais." } }] }) },
      { tipo: "chunk" as const, dados: JSON.stringify({ choices: [{ delta: { content: "Oi" } }] }) },
      { tipo: "chunk" as const, dados: JSON.stringify({ choices: [{ delta: {}, finish_reason: "stop" }] }) },
      { tipo: "fim" as const, resposta: null },
    ];
    const com = eventos(decodificar(new TradutorDoStream("m", true).enquadrar(chunks))).filter((e) => e.evento !== "ping");
    expect(com.slice(1, -2).map((e) => [e.evento, e.dados.index, e.dados.content_block ?? e.dados.delta])).toEqual([
      ["content_block_start", 0, { type: "thinking", thinking: "", signature: "" }],
      ["content_block_delta", 0, { type: "thinking_delta", thinking: "Pensando" }],
      ["content_block_delta", 0, { type: "thinking_delta", thinking: " mais." }],
      ["content_block_stop", 0, undefined],
      ["content_block_start", 1, { type: "text", text: "" }],
      ["content_block_delta", 1, { type: "text_delta", text: "Oi" }],
      ["content_block_stop", 1, undefined],
    ]);
    // The official SDK's accumulator takes the unsigned thinking block: the final message has it before the text.
    const linhas = eventos(decodificar(new TradutorDoStream("m", true).enquadrar(chunks))).map((e) => `${JSON.stringify(e.dados)}\n`);
    const final = await MessageStream.fromReadableStream(
      new ReadableStream({
        start(c) {
          for (const l of linhas) c.enqueue(new TextEncoder().encode(l));
          c.close();
        },
      }),
    ).finalMessage();
    expect(final.content).toEqual([
      { type: "thinking", thinking: "Pensando mais.", signature: "" },
      { type: "text", text: "Oi" },
    ]);
    const sem = eventos(decodificar(new TradutorDoStream("m").enquadrar(chunks)));
    expect(sem.some((e) => JSON.stringify(e.dados).includes("thinking"))).toBe(false);
    expect(sem.filter((e) => e.evento === "content_block_start")).toHaveLength(1);
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
    // The server's own error type reaches the client's error event (a client retries an overloaded_error).
    for (const tipo of ["overloaded_error", "rate_limit_error", "invalid_request_error", "api_error"]) {
      const erro = (() => {
        try {
          DIALETO_ANTHROPIC.leitor().ler(`{"type":"error","error":{"type":"${tipo}","message":"cheio"}}`);
        } catch (e) {
          return e as ErroApp;
        }
      })();
      expect(erro, tipo).toBeInstanceOf(ErroApp);
      expect(erroNoFormatoAnthropic(erro!).corpo.error, tipo).toMatchObject({ type: tipo, message: expect.stringContaining("cheio") });
    }
    // A server's refusal of its own key is the app's setup: the client's api_error, not its authentication_error.
    try {
      DIALETO_ANTHROPIC.leitor().ler('{"type":"error","error":{"type":"authentication_error","message":"chave"}}');
    } catch (e) {
      expect(erroNoFormatoAnthropic(e as ErroApp).corpo.error.type).toBe("api_error");
    }
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

  it("tools' names, descriptions and schemas count; text documents count, a PDF only as its note", () => {
    const mensagem = [{ role: "user", content: "a".repeat(40) }];
    const ferramenta = { name: "clima", description: "O tempo", input_schema: { type: "object" } };
    // 40 + "clima" 5 + "O tempo" 7 + '{"type":"object"}' 17 = 69 characters → 18 tokens, plus one turn's 4.
    expect(estimarTokens(corpo({ messages: mensagem, tools: [ferramenta] }))).toBe(18 + 4);
    const documento = (source: Record<string, unknown>) =>
      estimarTokens(corpo({ messages: [{ role: "user", content: [{ type: "document", source }] }] }));
    expect(documento({ type: "text", media_type: "text/plain", data: "d".repeat(400) })).toBe(100 + 4);
    // "[document: application/pdf omitted]" is 35 characters, whatever the PDF's size.
    expect(documento({ type: "base64", media_type: "application/pdf", data: "J".repeat(4000) })).toBe(9 + 4);
  });
});
