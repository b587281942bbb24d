import type { ServerResponse } from "node:http";
import type { ServidorFalso } from "./base";
import { pedeFerramenta, responderChamadaDeFerramenta } from "./chamada-de-ferramenta";

export type PedidoOpenAI = {
  model?: string;
  messages?: { role: string; content: string }[];
  /** /v1/completions (legacy): a prompt instead of messages. */
  prompt?: string | string[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
};

/** prompt tokens ≈ words of the messages, as a stand-in for a tokenizer */
export function tokensDoPrompt(p: PedidoOpenAI): number {
  const textos = p.prompt !== undefined ? [p.prompt].flat() : (p.messages ?? []).map((m) => m.content);
  return textos.reduce((n, t) => n + (String(t).match(/\S+/g)?.length ?? 0), 0) + 4;
}

/** A deterministic vector per text, as an embedding model would give (same text, same vector). */
function vetorDe(texto: string, dimensoes = 8): number[] {
  const v = Array.from({ length: dimensoes }, (_, i) => Math.sin(i + texto.length) / 2);
  for (let i = 0; i < texto.length; i++) v[i % dimensoes]! += texto.charCodeAt(i) / 1000;
  return v.map((x) => Math.round(x * 1e6) / 1e6);
}

export function vetoresDe(input: unknown): { vetores: number[][]; tokens: number } | null {
  const textos =
    typeof input === "string" ? [input] : Array.isArray(input) && input.every((x) => typeof x === "string") ? (input as string[]) : null;
  if (!textos?.length) return null;
  return { vetores: textos.map((t) => vetorDe(t)), tokens: textos.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0) };
}

/**
 * `/v1/embeddings` as OpenAI (and llama-server, LM Studio, Ollama's /v1) answer it: floats, or with
 * `encoding_format: "base64"` (what the openai SDK asks by default) the little-endian float32 bytes.
 */
export function responderEmbeddingsOpenAI(
  res: ServerResponse,
  pedido: { input?: unknown; encoding_format?: unknown },
  modelo: string,
  erro: (mensagem: string) => void,
): void {
  const r = vetoresDe(pedido.input);
  if (!r) return erro("'input' must be a string or an array of strings");
  const codificar = (v: number[]) => (pedido.encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v);
  const texto = JSON.stringify({
    object: "list",
    data: r.vetores.map((v, index) => ({ object: "embedding", index, embedding: codificar(v) })),
    model: modelo,
    usage: { prompt_tokens: r.tokens, total_tokens: r.tokens },
  });
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto) });
  res.end(texto);
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
  /** An error event to send after the first token instead of the rest of the answer (a proxy relaying one). */
  erroAposPrimeiroToken?: unknown,
): Promise<void> {
  // A chat that offers tools gets a tool call first (tests/servidores/chamada-de-ferramenta.ts).
  if (pedeFerramenta(pedido)) return responderChamadaDeFerramenta(servidor, res, pedido, modelo);
  let tokens = servidor.tokens();
  let finish = "stop";
  if (pedido.max_tokens !== undefined && tokens.length > pedido.max_tokens) {
    tokens = tokens.slice(0, pedido.max_tokens);
    finish = "length";
  }
  const prompt = tokensDoPrompt(pedido);
  const usage = { completion_tokens: tokens.length, prompt_tokens: prompt, total_tokens: prompt + tokens.length };
  const legado = pedido.prompt !== undefined;
  const id = `${legado ? "cmpl" : "chatcmpl"}-${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, created, model: modelo, system_fingerprint: "b1-teste", object: legado ? "text_completion" : "chat.completion.chunk" };
  // Legacy completions carry `text`; chat carries `message` (whole) or `delta` (streamed).
  const pedaco = (conteudo: string | null, fim: string | null) =>
    legado
      ? { text: conteudo ?? "", index: 0, logprobs: null, finish_reason: fim }
      : {
          finish_reason: fim,
          index: 0,
          delta: conteudo === null ? (fim ? {} : { role: "assistant", content: null }) : { content: conteudo },
        };

  if (!pedido.stream) {
    const texto = JSON.stringify({
      choices: [
        legado
          ? { text: tokens.join(""), index: 0, logprobs: null, finish_reason: finish }
          : { finish_reason: finish, index: 0, message: { role: "assistant", content: tokens.join("") } },
      ],
      created,
      model: modelo,
      system_fingerprint: "b1-teste",
      object: legado ? "text_completion" : "chat.completion",
      usage,
      id,
      ...extra(tokens.length),
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto), ...cabecalhos });
    if (await servidor.escreverPedacos(res, [texto])) res.end();
    return;
  }

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no", ...cabecalhos });
  const quadro = (o: unknown) => {
    const json = JSON.stringify(o);
    if (servidor.falha !== "dados_multilinha") return `data: ${json}\n\n`;
    // One event, two data lines: split after the first comma (the joined text, with its "\n", is the same JSON).
    const corte = json.indexOf(",") + 1;
    return `data: ${json.slice(0, corte)}\ndata: ${json.slice(corte)}\n\n`;
  };
  const pedacos = [
    ...(legado ? [] : [quadro({ ...base, choices: [pedaco(null, null)] })]),
    ...tokens.map((t) => quadro({ ...base, choices: [pedaco(t, null)] })),
    quadro({ ...base, choices: [pedaco(null, finish)] }),
    ...(pedido.stream_options?.include_usage ? [quadro({ ...base, choices: [], usage, ...extra(tokens.length) })] : []),
    "data: [DONE]\n\n",
  ];
  if (servidor.falha === "erro_no_stream") {
    // An error after output started, all in one write: the role chunk, two tokens, then an error event in
    // OpenAI's shape (as llama-server sends a failed decode), and no [DONE].
    const erro = { error: { code: 500, message: "llama_decode failed: out of memory", type: "server_error" } };
    res.end([...pedacos.slice(0, legado ? 2 : 3), quadro(erro)].join(""));
    return;
  }
  if (erroAposPrimeiroToken !== undefined) {
    res.end([...pedacos.slice(0, legado ? 1 : 2), quadro(erroAposPrimeiroToken)].join(""));
    return;
  }
  if (servidor.falha === "corte_limpo" || servidor.falha === "sem_done") {
    res.end(pedacos.slice(0, servidor.falha === "sem_done" ? -1 : legado ? 1 : 2).join(""));
    return;
  }
  if (await servidor.escreverPedacos(res, pedacos)) res.end();
}
