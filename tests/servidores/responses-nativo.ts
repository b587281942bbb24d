import type { ServerResponse } from "node:http";
import type { ServidorFalso } from "./base";

/** The part of a Responses request the test servers read. */
export type PedidoResponses = {
  model?: string;
  input?: unknown;
  instructions?: string;
  stream?: boolean;
  max_output_tokens?: number;
};

/** Words of the input (a string, or the text of its items) and instructions, plus a few for the template. */
function tokensDaEntrada(p: PedidoResponses): number {
  const textos: string[] = [p.instructions ?? ""];
  const juntar = (c: unknown) => {
    if (typeof c === "string") textos.push(c);
    else if (Array.isArray(c)) for (const parte of c) juntar((parte as { text?: unknown; content?: unknown; output?: unknown })?.text);
  };
  if (typeof p.input === "string") textos.push(p.input);
  else if (Array.isArray(p.input))
    for (const item of p.input as { content?: unknown; output?: unknown; arguments?: unknown }[]) {
      juntar(item?.content);
      juntar(item?.output);
      juntar(item?.arguments);
    }
  return textos.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0) + 4;
}

/** Why a server refuses a body before answering (each server words it in its own error shape). */
export function recusaDoResponses(p: PedidoResponses): string | null {
  if (p.input === undefined) return "'input' is required";
  if (typeof p.input !== "string" && !Array.isArray(p.input)) return "'input' must be a string or an array of items";
  return null;
}

/**
 * `POST /v1/responses` as llama-server (and LM Studio since 0.3.29) serve it, per shared/provider-apis.md:
 * a `response` object (one message item of `output_text`, usage in input/output tokens), or its stream, each
 * event an `event: <type>` + `data:` pair in this order: `response.created`, `response.in_progress`,
 * `response.output_item.added`, `response.content_part.added`, one `response.output_text.delta` per token,
 * `response.output_text.done`, `response.content_part.done`, `response.output_item.done`, `response.completed`
 * (the whole response; `extra` adds what a server puts beside it, llama.cpp's `timings`). No `[DONE]`. The
 * faults of base.ts that cut or hold a stream apply; `erro_no_stream` sends, after two tokens, the error as
 * llama-server sends one in any stream: OpenAI's `data: {"error":{…}}`, no `event:` line, no `type`.
 * Only the fields of the capture are sent, plus what OpenAI's shape needs where the capture is silent: the
 * response's `id`, `created_at` and `model` (the app rewrites the model), the message item's `id`, and each
 * event's `sequence_number`, `output_index` and `content_index` (the SDK's stream helper places deltas by them).
 */
export async function responderResponsesNativo(
  servidor: ServidorFalso,
  res: ServerResponse,
  pedido: PedidoResponses,
  modelo: string,
  extra: Record<string, unknown> = {},
  cabecalhos: Record<string, string> = {},
): Promise<void> {
  let tokens = servidor.tokens();
  if (pedido.max_output_tokens !== undefined && tokens.length > pedido.max_output_tokens)
    tokens = tokens.slice(0, pedido.max_output_tokens);
  const entrada = tokensDaEntrada(pedido);
  const usage = {
    input_tokens: entrada,
    output_tokens: tokens.length,
    total_tokens: entrada + tokens.length,
    input_tokens_details: { cached_tokens: Math.max(0, entrada - 1) },
  };
  const sufixo = Math.random().toString(36).slice(2, 10);
  const id = `resp_${sufixo}`;
  const itemId = `msg_${sufixo}`;
  const created_at = Math.floor(Date.now() / 1000);
  const texto = tokens.join("");
  const parte = (text: string) => ({ type: "output_text", annotations: [], logprobs: [], text });
  const item = { type: "message", role: "assistant", status: "completed", id: itemId, content: [parte(texto)] };
  const resposta = (status: string, output: unknown[], uso: unknown) => ({
    id,
    object: "response",
    created_at,
    model: modelo,
    status,
    output,
    ...(uso ? { usage: uso } : {}),
  });

  if (!pedido.stream) {
    const corpo = JSON.stringify(resposta("completed", [item], usage));
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(corpo), ...cabecalhos });
    if (await servidor.escreverPedacos(res, [corpo])) res.end();
    return;
  }

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...cabecalhos });
  let seq = 0;
  const evento = (type: string, campos: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...campos })}\n\n`;
  const posicao = { item_id: itemId, output_index: 0, content_index: 0 };
  const pedacos = [
    evento("response.created", { response: resposta("in_progress", [], null) }),
    evento("response.in_progress", { response: resposta("in_progress", [], null) }),
    evento("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }),
    evento("response.content_part.added", { ...posicao, part: parte("") }),
    ...tokens.map((delta) => evento("response.output_text.delta", { ...posicao, delta })),
    evento("response.output_text.done", { ...posicao, text: texto }),
    evento("response.content_part.done", { ...posicao, part: parte(texto) }),
    evento("response.output_item.done", { output_index: 0, item }),
    evento("response.completed", { response: resposta("completed", [item], usage), ...extra }),
  ];
  if (servidor.falha === "erro_no_stream") {
    // Two tokens, then the server's error in OpenAI's shape (as llama-server sends a failed decode in any
    // stream: a bare `data:` line, no event name, no type), in one write, and nothing after it.
    const erro = { error: { code: 500, message: "llama_decode failed: out of memory", type: "server_error" } };
    res.end([...pedacos.slice(0, 6), `data: ${JSON.stringify(erro)}\n\n`].join(""));
    return;
  }
  if (await servidor.escreverPedacos(res, pedacos)) res.end();
}
