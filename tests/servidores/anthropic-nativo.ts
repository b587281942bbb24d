import type { ServerResponse } from "node:http";
import { lerJson, type Requisicao, type ServidorFalso } from "./base";
import { argumentosDeTeste, type EsquemaJson, respostaAoResultado } from "./openai-chat";

// Anthropic's Messages API as the servers that speak it natively answer it (shared/provider-apis.md, "Anthropic
// Messages and OpenAI Responses on llama-server"): llama-server, Ollama from 0.14, LM Studio from 0.4.1. Each
// test server hooks `atenderAnthropic` in its router; what differs per server is in OpcoesAnthropic.

type Bloco = { type?: string; text?: string; content?: string | Bloco[] };
type PedidoAnthropic = {
  model?: string;
  max_tokens?: number;
  system?: string | Bloco[];
  messages?: { role?: string; content?: string | Bloco[] }[];
  tools?: { name?: string; input_schema?: EsquemaJson }[];
  tool_choice?: { type?: string };
  stream?: boolean;
};

export type OpcoesAnthropic = {
  /** The model id the server answers with. */
  modelo: string;
  /** Serves /v1/messages/count_tokens (llama-server; Ollama does not). */
  contagem: boolean;
  /** A body that is not JSON: llama-server's 500 in OpenAI's shape, or the server's own refusal. */
  jsonInvalido: (res: ServerResponse, erro: string) => void;
  /** The server's refusal of a request, in its own error shape (llama-server's OpenAI-style, Anthropic's elsewhere). */
  recusar: (res: ServerResponse, status: number, tipo: string, mensagem: string) => void;
  /** The loaded context (llama-server's `-c`): a longer prompt is its 400 exceed_context_size_error. */
  contexto?: number;
  /** Ollama's /v1/messages takes no tool_choice (its docs): the field is ignored, tools are always offered. */
  semToolChoice?: boolean;
  cabecalhos?: Record<string, string>;
};

const textoDe = (c: string | Bloco[] | undefined): string =>
  typeof c === "string"
    ? c
    : (c ?? []).map((b) => (b.type === "text" ? (b.text ?? "") : b.type === "tool_result" ? textoDe(b.content) : "")).join(" ");

/** The prompt's tokens, as the chat template would count them: words of the system and the messages, plus framing. */
function tokensDoPrompt(p: PedidoAnthropic): number {
  const textos = [textoDe(p.system), ...(p.messages ?? []).map((m) => textoDe(m.content))];
  return textos.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0) + 4 * ((p.messages?.length ?? 0) + 1);
}

/** The tool result the last user turn brings back, if it does. */
function resultadoDaFerramenta(p: PedidoAnthropic): string | null {
  const ultima = p.messages?.at(-1);
  if (!Array.isArray(ultima?.content)) return null;
  const resultado = ultima.content.find((b) => b.type === "tool_result");
  return resultado ? textoDe(resultado.content) : null;
}

const evento = (tipo: string, dados: Record<string, unknown>) => `event: ${tipo}\ndata: ${JSON.stringify({ type: tipo, ...dados })}\n\n`;

/**
 * POST /v1/messages and /v1/messages/count_tokens; false for any other route (the server answers it). Not
 * Anthropic's strictness, as llama-server: no `max_tokens` is accepted (the whole answer comes), a bad body is
 * the server's own error. The test model calls the first tool when given tools (argumentosDeTeste), and quotes a
 * tool's result when it comes back.
 */
export async function atenderAnthropic(servidor: ServidorFalso, r: Requisicao, res: ServerResponse, o: OpcoesAnthropic): Promise<boolean> {
  if (r.metodo !== "POST" || (r.caminho !== "/v1/messages" && (r.caminho !== "/v1/messages/count_tokens" || !o.contagem))) return false;
  const lido = lerJson(r.corpoTexto);
  if (!lido.ok) {
    o.jsonInvalido(res, lido.erro);
    return true;
  }
  const pedido = (lido.valor ?? {}) as PedidoAnthropic;
  // As llama-server refuses a chat without messages (the route probe's `{}` gets this too).
  if (pedido.messages === undefined) {
    o.recusar(res, 400, "invalid_request_error", "'messages' is required");
    return true;
  }
  const nPrompt = tokensDoPrompt(pedido);
  if (o.contexto !== undefined && nPrompt > o.contexto) {
    o.recusar(
      res,
      400,
      "exceed_context_size_error",
      `request (${nPrompt} tokens) exceeds the available context size (${o.contexto} tokens), try increasing it`,
    );
    return true;
  }
  const json = (corpo: unknown) => {
    const texto = JSON.stringify(corpo);
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto), ...o.cabecalhos });
    res.end(texto);
  };
  if (r.caminho === "/v1/messages/count_tokens") {
    json({ input_tokens: tokensDoPrompt(pedido) });
    return true;
  }
  const resultado = resultadoDaFerramenta(pedido);
  const ferramenta = pedido.tool_choice?.type === "none" && !o.semToolChoice ? undefined : pedido.tools?.[0];
  const chamada =
    ferramenta?.name && resultado === null ? { nome: ferramenta.name, argumentos: argumentosDeTeste(ferramenta.input_schema) } : null;
  let tokens = resultado === null ? servidor.tokens() : (respostaAoResultado(resultado).match(/\s*\S+/g) ?? []);
  let parada = chamada ? "tool_use" : "end_turn";
  if (!chamada && pedido.max_tokens !== undefined && tokens.length > pedido.max_tokens) {
    tokens = tokens.slice(0, pedido.max_tokens);
    parada = "max_tokens";
  }
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
  const idChamada = `toolu_${Math.random().toString(36).slice(2, 10)}`;
  const entrada = chamada ? JSON.stringify(chamada.argumentos) : "";
  const saida = chamada ? Math.ceil(entrada.length / 6) : tokens.length;
  const usage = { cache_read_input_tokens: 0, input_tokens: tokensDoPrompt(pedido), output_tokens: saida };
  const bloco = chamada
    ? { type: "tool_use", id: idChamada, name: chamada.nome, input: chamada.argumentos }
    : { type: "text", text: tokens.join("") };
  if (!pedido.stream) {
    json({ id, type: "message", role: "assistant", content: [bloco], model: o.modelo, stop_reason: parada, stop_sequence: null, usage });
    return true;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no", ...o.cabecalhos });
  const deltas = chamada
    ? (entrada.match(/.{1,6}/g) ?? []).map((p) =>
        evento("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: p } }),
      )
    : tokens.map((t) => evento("content_block_delta", { index: 0, delta: { type: "text_delta", text: t } }));
  const pedacos = [
    evento("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        content: [],
        model: o.modelo,
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 0 },
      },
    }),
    evento("content_block_start", { index: 0, content_block: chamada ? { ...bloco, input: {} } : { type: "text", text: "" } }),
    ...deltas,
    evento("content_block_stop", { index: 0 }),
    evento("message_delta", { delta: { stop_reason: parada, stop_sequence: null }, usage: { output_tokens: saida } }),
    evento("message_stop", {}),
  ];
  if (servidor.falha === "erro_no_stream") {
    // An error after output started, Anthropic's `error` event, and no message_stop.
    res.end(
      [...pedacos.slice(0, 3), evento("error", { error: { type: "api_error", message: "llama_decode failed: out of memory" } })].join(""),
    );
    return true;
  }
  if (servidor.falha === "sobrecarga_no_stream") {
    // The server overloaded after output started: Anthropic's `error` event with its overloaded_error type.
    res.end(
      [
        ...pedacos.slice(0, 3),
        evento("error", { error: { type: "overloaded_error", message: "Overloaded: too many requests in queue" } }),
      ].join(""),
    );
    return true;
  }
  if (await servidor.escreverPedacos(res, pedacos)) res.end();
  return true;
}
