import type { ServerResponse } from "node:http";
import type { ServidorFalso } from "./base";

export type PedidoOpenAI = {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
};

/** prompt tokens ≈ words of the messages, as a stand-in for a tokenizer */
export function tokensDoPrompt(p: PedidoOpenAI): number {
  return (p.messages ?? []).reduce((n, m) => n + (String(m.content).match(/\S+/g)?.length ?? 0), 0) + 4;
}

/**
 * `/v1/chat/completions` as llama-server and LM Studio send it: a `chat.completion` object, or SSE frames
 * `data: {chunk}\n\n` (role chunk, content chunks, finish chunk with empty delta, usage chunk when
 * `stream_options.include_usage`, then `data: [DONE]`). `extra` adds server-specific fields (llama.cpp `timings`).
 */
export async function responderChatOpenAI(
  servidor: ServidorFalso,
  res: ServerResponse,
  pedido: PedidoOpenAI,
  modelo: string,
  extra: (tokensResposta: number) => Record<string, unknown> = () => ({}),
  cabecalhos: Record<string, string> = {},
): Promise<void> {
  let tokens = servidor.tokens();
  let finish = "stop";
  if (pedido.max_tokens !== undefined && tokens.length > pedido.max_tokens) {
    tokens = tokens.slice(0, pedido.max_tokens);
    finish = "length";
  }
  const prompt = tokensDoPrompt(pedido);
  const usage = { completion_tokens: tokens.length, prompt_tokens: prompt, total_tokens: prompt + tokens.length };
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, created, model: modelo, system_fingerprint: "b1-teste", object: "chat.completion.chunk" };

  if (!pedido.stream) {
    const texto = JSON.stringify({
      choices: [{ finish_reason: finish, index: 0, message: { role: "assistant", content: tokens.join("") } }],
      created,
      model: modelo,
      system_fingerprint: "b1-teste",
      object: "chat.completion",
      usage,
      id,
      ...extra(tokens.length),
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto), ...cabecalhos });
    if (await servidor.escreverPedacos(res, [texto])) res.end();
    return;
  }

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no", ...cabecalhos });
  const quadro = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const pedacos = [
    quadro({ ...base, choices: [{ finish_reason: null, index: 0, delta: { role: "assistant", content: null } }] }),
    ...tokens.map((t) => quadro({ ...base, choices: [{ finish_reason: null, index: 0, delta: { content: t } }] })),
    quadro({ ...base, choices: [{ finish_reason: finish, index: 0, delta: {} }] }),
    ...(pedido.stream_options?.include_usage ? [quadro({ ...base, choices: [], usage, ...extra(tokens.length) })] : []),
    "data: [DONE]\n\n",
  ];
  if (await servidor.escreverPedacos(res, pedacos)) res.end();
}
