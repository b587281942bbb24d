import { accumulateResponse } from "openai/lib/responses/ResponseAccumulator";
import type { Response, ResponseStreamEvent } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { ErroApp } from "@/lib/errors";
import { dialetoResponses, LeitorResponses } from "@/lib/gateway/dialetos/responses";
import { FIM, PASSAR } from "@/lib/gateway/pedido";
import { eventosDeChat } from "@/lib/portas/responses/eventos-de-chat";
import { eventosNativos, respostaNativa } from "@/lib/portas/responses/eventos-nativos";
import { novaIdentidade, respostaDeChat } from "@/lib/portas/responses/objeto-response";
import { corpoDeChat } from "@/lib/portas/responses/pedido-de-chat";
import { CorpoResponses } from "@/lib/schemas/corpos-responses";

const corpo = (extra: Record<string, unknown> = {}) => CorpoResponses.parse({ model: "m", input: "Oi", ...extra });
const decodificar = (b: Uint8Array) => new TextDecoder().decode(b);

/** The events of SSE text as `{event, data}` pairs. */
function eventos(texto: string): { evento: string; dados: Record<string, unknown> }[] {
  return texto
    .split("\n\n")
    .filter(Boolean)
    .map((b) => {
      const [e, d] = b.split("\n");
      return { evento: e!.slice("event: ".length), dados: JSON.parse(d!.slice("data: ".length)) as Record<string, unknown> };
    });
}

const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) =>
  JSON.stringify({ choices: [{ index: 0, delta, finish_reason }] });

describe("the request translated to chat", () => {
  it("instructions, items, function calls and their outputs as chat messages; settings mapped", () => {
    const c = corpo({
      instructions: "Seja breve.",
      input: [
        { role: "developer", content: "Use o sistema métrico." },
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "Clima em " },
            { type: "input_text", text: "Recife?" },
          ],
        },
        { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Preciso do clima." }] },
        { role: "assistant", content: [{ type: "output_text", text: "Vou ver." }] },
        { type: "function_call", call_id: "call_1", name: "clima", arguments: '{"cidade":"Recife"}' },
        { type: "function_call", call_id: "call_2", name: "hora", arguments: "{}" },
        { type: "function_call_output", call_id: "call_1", output: "31 graus" },
        {
          role: "user",
          content: [
            { type: "input_text", text: "E isto?" },
            { type: "input_image", image_url: "data:image/png;base64,AAAA" },
          ],
        },
      ],
      tools: [{ type: "function", name: "clima", parameters: { type: "object" }, strict: true }],
      tool_choice: { type: "function", name: "clima" },
      max_output_tokens: 64,
      temperature: 0.5,
      top_p: 0.9,
      stream: true,
      store: true,
      text: { format: { type: "json_schema", name: "clima", schema: { type: "object" }, strict: true } },
    });
    expect(corpoDeChat(c)).toEqual({
      model: "m",
      stream: true,
      messages: [
        { role: "system", content: "Seja breve.\n\nUse o sistema métrico." },
        { role: "user", content: "Clima em Recife?" },
        {
          role: "assistant",
          content: "Vou ver.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "clima", arguments: '{"cidade":"Recife"}' } },
            { id: "call_2", type: "function", function: { name: "hora", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "31 graus" },
        {
          role: "user",
          content: [
            { type: "text", text: "E isto?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
      ],
      tools: [{ type: "function", function: { name: "clima", parameters: { type: "object" }, strict: true } }],
      tool_choice: { type: "function", function: { name: "clima" } },
      max_tokens: 64,
      temperature: 0.5,
      top_p: 0.9,
      response_format: { type: "json_schema", json_schema: { name: "clima", schema: { type: "object" }, strict: true } },
    });
  });

  it("instructions and every developer/system item are one system message, first, even a system item after the user's turns", () => {
    const c = corpo({
      instructions: "Seja breve.",
      input: [
        { role: "system", content: "Você é um assistente." },
        { role: "developer", content: [{ type: "input_text", text: "Use o sistema métrico." }] },
        { role: "user", content: "Oi" },
        { role: "assistant", content: "Olá!" },
        { role: "developer", content: "Responda em português." },
        { role: "user", content: "Clima?" },
      ],
    });
    expect(corpoDeChat(c).messages).toEqual([
      { role: "system", content: "Seja breve.\n\nVocê é um assistente.\n\nUse o sistema métrico.\n\nResponda em português." },
      { role: "user", content: "Oi" },
      { role: "assistant", content: "Olá!" },
      { role: "user", content: "Clima?" },
    ]);
    expect(
      corpoDeChat(
        corpo({
          input: [
            { role: "developer", content: "Seja breve." },
            { role: "user", content: "Oi" },
          ],
        }),
      ).messages,
    ).toEqual([
      { role: "system", content: "Seja breve." },
      { role: "user", content: "Oi" },
    ]);
  });

  it("a string input is one user turn; json_object maps, plain text adds nothing", () => {
    expect(corpoDeChat(corpo({ text: { format: { type: "text" } } }))).toEqual({ model: "m", messages: [{ role: "user", content: "Oi" }] });
    expect(corpoDeChat(corpo({ text: { format: { type: "json_object" } } })).response_format).toEqual({ type: "json_object" });
  });
});

describe("a whole chat answer as a response", () => {
  it("text and tool calls as output items, usage in input/output tokens, the model as asked", () => {
    const r = respostaDeChat(
      {
        choices: [
          {
            finish_reason: "tool_calls",
            message: { content: "Vou ver.", tool_calls: [{ id: "call_9", function: { name: "clima", arguments: "{}" } }] },
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 4 },
      },
      novaIdentidade(corpo({ model: "slug/m" })),
    );
    expect(r).toMatchObject({
      object: "response",
      status: "completed",
      model: "slug/m",
      output: [
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Vou ver." }] },
        { type: "function_call", call_id: "call_9", name: "clima", arguments: "{}", status: "completed" },
      ],
      usage: { input_tokens: 10, output_tokens: 4, total_tokens: 14 },
    });
    expect(r.id).toMatch(/^resp_[0-9a-f]{32}$/);
  });

  it("cut by the output limit: incomplete; no choice at all: the server's failure", () => {
    const corte = respostaDeChat({ choices: [{ finish_reason: "length", message: { content: "Olá" } }] }, novaIdentidade(corpo()));
    expect(corte).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(() => respostaDeChat({ choices: [] }, novaIdentidade(corpo()))).toThrow(ErroApp);
  });
});

describe("chat's stream framed as Responses events", () => {
  it("text then a tool call: items opened and closed in order, numbered, the whole response at the end", () => {
    const enquadrar = eventosDeChat(corpo());
    const texto =
      decodificar(
        enquadrar([
          { tipo: "chunk", dados: chunk({ role: "assistant", content: null }) },
          { tipo: "chunk", dados: chunk({ content: "Olá" }) },
        ]),
      ) +
      decodificar(
        enquadrar([
          { tipo: "chunk", dados: chunk({ content: " mundo" }) },
          { tipo: "chunk", dados: chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "clima", arguments: "" } }] }) },
          { tipo: "chunk", dados: chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] }) },
          { tipo: "chunk", dados: chunk({}, "tool_calls") },
          { tipo: "chunk", dados: JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }) },
          { tipo: "fim", resposta: null },
        ]),
      );
    const lista = eventos(texto);
    expect(lista.map((e) => e.evento)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    for (const [i, e] of lista.entries()) expect(e.dados).toMatchObject({ type: e.evento, sequence_number: i });
    expect(lista[6]!.dados).toMatchObject({ text: "Olá mundo", output_index: 0 });
    expect(lista[9]!.dados).toMatchObject({
      output_index: 1,
      item: { type: "function_call", call_id: "call_1", name: "clima", status: "in_progress" },
    });
    expect(lista.at(-1)!.dados.response).toMatchObject({
      status: "completed",
      output: [
        { type: "message", status: "completed", content: [{ text: "Olá mundo" }] },
        { type: "function_call", arguments: '{"a":1}', status: "completed" },
      ],
      usage: { input_tokens: 3, output_tokens: 2 },
    });
  });

  it("a thinking model: its reasoning as a reasoning item before the text, which the SDK's accumulator rebuilds", () => {
    const enquadrar = eventosDeChat(corpo());
    const texto = decodificar(
      enquadrar([
        { tipo: "chunk", dados: chunk({ role: "assistant", content: null }) },
        { tipo: "chunk", dados: chunk({ reasoning_content: "Pensando" }) },
        { tipo: "chunk", dados: chunk({ reasoning: " mais" }) },
        { tipo: "chunk", dados: chunk({ content: "Oi" }) },
        { tipo: "chunk", dados: chunk({}, "stop") },
        { tipo: "fim", resposta: null },
      ]),
    );
    const lista = eventos(texto);
    expect(lista.map((e) => e.evento)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning_text.delta",
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    // The SDK's own accumulator (what responses.stream() uses) reads the events into the final response.
    let snapshot: Response | undefined;
    for (const e of lista.slice(0, -1)) snapshot = accumulateResponse(e.dados as unknown as ResponseStreamEvent, snapshot);
    const final = lista.at(-1)!.dados.response as Response;
    expect(snapshot?.output).toEqual(final.output);
    expect(final.output).toMatchObject([
      { type: "reasoning", status: "completed", content: [{ type: "reasoning_text", text: "Pensando mais" }] },
      { type: "message", content: [{ type: "output_text", text: "Oi" }] },
    ]);
    const inteira = respostaDeChat(
      { choices: [{ finish_reason: "stop", message: { content: "Oi", reasoning_content: "Pensando" } }] },
      novaIdentidade(corpo()),
    );
    expect(inteira.output).toMatchObject([{ type: "reasoning", content: [{ text: "Pensando" }] }, { type: "message" }]);
  });

  it("cut by the output limit: response.incomplete; an error: OpenAI's error event, numbered next", () => {
    const corte = eventosDeChat(corpo());
    const fim = eventos(
      decodificar(
        corte([
          { tipo: "chunk", dados: chunk({ content: "a" }, "length") },
          { tipo: "fim", resposta: null },
        ]),
      ),
    );
    expect(fim.at(-1)).toMatchObject({ evento: "response.incomplete", dados: { response: { status: "incomplete" } } });

    const falha = eventosDeChat(corpo());
    const lista = eventos(
      decodificar(
        falha([
          { tipo: "chunk", dados: chunk({ content: "a" }) },
          { tipo: "erro", erro: new ErroApp("provedor_erro", "caiu") },
        ]),
      ),
    );
    expect(lista.at(-1)).toEqual({
      evento: "error",
      dados: {
        type: "error",
        sequence_number: lista.length - 1,
        code: "provedor_erro",
        message: "caiu",
        param: null,
        error: { type: "api_error", code: "provedor_erro", message: "caiu", param: null },
      },
    });
  });
});

describe("a server's own Responses stream", () => {
  it("the reader: first token at the first text delta, usage and end at response.completed, error events thrown", () => {
    const leitor = dialetoResponses.leitor();
    expect(leitor.ler(JSON.stringify({ type: "response.created", response: {} }))).toBe(PASSAR);
    expect(leitor.comTexto).toBe(false);
    expect(leitor.ler(JSON.stringify({ type: "response.output_text.delta", delta: "Oi" }))).toBe(PASSAR);
    expect(leitor.comTexto).toBe(true);
    const fim = leitor.ler(JSON.stringify({ type: "response.completed", response: { usage: { input_tokens: 5, output_tokens: 2 } } }));
    expect(fim).toBe(PASSAR | FIM);
    expect(leitor.uso).toEqual({ prompt: 5, resposta: 2 });
    expect(leitor.inteira).toBe(false);
    for (const tipo of ["response.incomplete", "response.failed"])
      expect(dialetoResponses.leitor().ler(JSON.stringify({ type: tipo }))).toBe(PASSAR | FIM);
    expect(() => dialetoResponses.leitor().ler(JSON.stringify({ type: "error", error: { message: "sem memória" } }))).toThrow(
      /sem memória/,
    );
    expect(() => dialetoResponses.leitor().ler(JSON.stringify({ type: "error", code: "server_error", message: "no topo" }))).toThrow(
      /no topo/,
    );
    expect(dialetoResponses.usoDoJson({ usage: { input_tokens: 1, output_tokens: 2 } })).toEqual({ prompt: 1, resposta: 2 });
  });

  it("the framer: events named by their type, unchanged but for the model where the response is carried", () => {
    const enquadrar = eventosNativos("slug/m");
    const delta = JSON.stringify({ type: "response.output_text.delta", sequence_number: 4, delta: "Oi" });
    const texto = decodificar(
      enquadrar([
        {
          tipo: "chunk",
          dados: JSON.stringify({ type: "response.created", sequence_number: 0, response: { model: "m", status: "in_progress" } }),
        },
        { tipo: "chunk", dados: delta },
        { tipo: "erro", erro: new ErroApp("provedor_erro", "caiu") },
      ]),
    );
    const lista = eventos(texto);
    expect(lista[0]).toEqual({
      evento: "response.created",
      dados: { type: "response.created", sequence_number: 0, response: { model: "slug/m", status: "in_progress" } },
    });
    expect(texto).toContain(`event: response.output_text.delta\ndata: ${delta}\n\n`);
    expect(lista[2]).toMatchObject({ evento: "error", dados: { sequence_number: 5, message: "caiu" } });
    expect(respostaNativa({ model: "m", output: [] }, "", "slug/m")).toBe('{"model":"slug/m","output":[]}');
    const igual = '{"model":"m"}';
    expect(respostaNativa({ model: "m" }, igual, "m")).toBe(igual);
  });
});

describe("a server's own Responses stream: errors, failures, and what is parsed", () => {
  it("llama-server's own error event, {\"error\":{…}} without a type, is the server's error, not an ordinary event", () => {
    const leitor = dialetoResponses.leitor();
    expect(leitor.ler(JSON.stringify({ type: "response.output_text.delta", delta: "Oi" }))).toBe(PASSAR);
    const erro = { error: { code: 500, message: "llama_decode failed: out of memory", type: "server_error" } };
    expect(() => leitor.ler(JSON.stringify(erro))).toThrow(/interrompeu a resposta com erro: llama_decode failed/);
    expect(() => dialetoResponses.leitor().ler("não é JSON")).toThrow(/não é JSON/);
  });

  it("response.failed ends the stream with the server's failure kept for the statistics (falha); completed has none", () => {
    const leitor = new LeitorResponses();
    const falhou = { type: "response.failed", response: { status: "failed", error: { code: "server_error", message: "sem memória" } } };
    expect(leitor.ler(JSON.stringify(falhou))).toBe(PASSAR | FIM);
    expect(leitor.falha).toBeInstanceOf(ErroApp);
    expect(leitor.falha).toMatchObject({ codigo: "provedor_erro", message: expect.stringMatching(/sem memória/) });
    const inteira = new LeitorResponses();
    expect(inteira.ler(JSON.stringify({ type: "response.completed", response: { usage: { input_tokens: 1, output_tokens: 1 } } }))).toBe(
      PASSAR | FIM,
    );
    expect(inteira.falha).toBeNull();
  });

  it("events other than the final ones and errors are known by their head, not parsed (reader and framer)", () => {
    // A tail that is not JSON shows the event was not parsed; the parsed ones (final, error, response-carrying) still are.
    const cabeca = '{"type":"response.output_text.delta","sequence_number":7,"item_id":"msg_1","delta":"Oi"';
    const leitor = dialetoResponses.leitor();
    expect(leitor.ler(cabeca)).toBe(PASSAR);
    expect(leitor.comTexto).toBe(true);
    expect(() => leitor.ler('{"type":"response.completed",')).toThrow(/não é JSON/);
    const texto = decodificar(
      eventosNativos("m")([
        { tipo: "chunk", dados: cabeca },
        { tipo: "erro", erro: new ErroApp("provedor_erro", "caiu") },
      ]),
    );
    expect(texto).toContain(`event: response.output_text.delta\ndata: ${cabeca}\n\n`);
    expect(eventos(texto.slice(texto.indexOf("event: error")))[0]).toMatchObject({ evento: "error", dados: { sequence_number: 8 } });
    // An event whose type does not lead is parsed for its name.
    const semCabeca = JSON.stringify({ sequence_number: 0, type: "response.output_text.done", text: "Oi" });
    expect(decodificar(eventosNativos("m")([{ tipo: "chunk", dados: semCabeca }]))).toBe(
      `event: response.output_text.done\ndata: ${semCabeca}\n\n`,
    );
  });
});

describe("the body", () => {
  it("a function_call_output without an earlier function_call of its call_id is refused, in Portuguese", () => {
    const orfa = CorpoResponses.safeParse({
      model: "m",
      input: [
        { role: "user", content: "Oi" },
        { type: "function_call_output", call_id: "call_x", output: "31" },
        { type: "function_call", call_id: "call_x", name: "clima", arguments: "{}" },
      ],
    });
    expect(orfa.error?.issues[0]).toMatchObject({
      path: ["input", 1, "call_id"],
      message: expect.stringMatching(/^function_call_output com call_id "call_x" não tem um function_call/),
    });
    const emPar = CorpoResponses.safeParse({
      model: "m",
      input: [
        { type: "function_call", call_id: "call_x", name: "clima", arguments: "{}" },
        { type: "function_call_output", call_id: "call_x", output: "31" },
      ],
    });
    expect(emPar.success).toBe(true);
  });

  it("the fields zod would word itself get Brazilian Portuguese messages", () => {
    const casos: [Record<string, unknown>, RegExp][] = [
      [{ tools: [{ type: "function", name: "f", parameters: [] }] }, /^parameters deve ser um objeto JSON Schema\.$/],
      [{ tools: [{ type: "function", name: "f", strict: "sim" }] }, /^strict deve ser true ou false\.$/],
      [{ tools: [{ type: "function", name: "f", description: 1 }] }, /^description deve ser um texto\.$/],
      [{ text: { format: { type: "json_schema", name: "n", schema: {}, strict: 1 } } }, /^strict deve ser true ou false\.$/],
      [{ model: "m".repeat(501) }, /^model pode ter até 500 caracteres\.$/],
    ];
    for (const [extra, mensagem] of casos) {
      const r = CorpoResponses.safeParse({ model: "m", input: "Oi", ...extra });
      expect(r.error?.issues[0]?.message, JSON.stringify(extra)).toMatch(mensagem);
    }
    expect(CorpoResponses.safeParse([]).error?.issues[0]?.message).toBe("O corpo deve ser um objeto JSON {model, input, …}.");
  });

  it("stored state and background refused with a message in Portuguese; store accepted", () => {
    expect(CorpoResponses.safeParse({ model: "m", input: "Oi", store: true }).success).toBe(true);
    const anterior = CorpoResponses.safeParse({ model: "m", input: "Oi", previous_response_id: "resp_1" });
    expect(anterior.error?.issues[0]?.message).toMatch(/^previous_response_id não é aceito: o app não guarda respostas/);
    const fundo = CorpoResponses.safeParse({ model: "m", input: "Oi", background: true });
    expect(fundo.error?.issues[0]?.message).toMatch(/^background: true não é aceito/);
    const item = CorpoResponses.safeParse({ model: "m", input: [{ type: "item_reference", id: "x" }] });
    expect(item.error?.issues[0]?.message).toMatch(/^Cada item de input deve ser/);
    const ferramenta = CorpoResponses.safeParse({ model: "m", input: "Oi", tools: [{ type: "web_search" }] });
    expect(ferramenta.error?.issues[0]?.message).toMatch(/^Só ferramentas do tipo function/);
  });
});
