import type { ServerResponse } from "node:http";
import type { ServidorFalso } from "./base";

export type PedidoOpenAI = {
  model?: string;
  messages?: { role: string; content: unknown }[];
  /** Function tools: a chat whose last message is the user's calls the first one (see chamadaDeFerramenta). */
  tools?: { type?: string; function?: { name?: string; parameters?: { properties?: Record<string, { type?: string }> } } }[];
  /** /v1/completions (legacy): a prompt instead of messages. */
  prompt?: string | string[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
};

/** prompt tokens ≈ words of the messages, as a stand-in for a tokenizer */
export function tokensDoPrompt(p: PedidoOpenAI): number {
  const textos = p.prompt !== undefined ? [p.prompt].flat() : (p.messages ?? []).map((m) => textoDe(m.content));
  return textos.reduce((n, t) => n + (String(t).match(/\S+/g)?.length ?? 0), 0) + 4;
}

/** A message's text: a string, or the text parts of a content list (images count for nothing). */
export function textoDe(conteudo: unknown): string {
  if (typeof conteudo === "string") return conteudo;
  if (!Array.isArray(conteudo)) return "";
  return conteudo.map((p) => (p && typeof p === "object" && "text" in p ? String((p as { text: unknown }).text) : "")).join(" ");
}

/**
 * The tool call a model makes when it is given tools and the user spoke last (a tool's result, spoken last,
 * gets a text answer): the first tool, each of its parameters filled from the user's words (a string), 1 (a
 * number) or true (a boolean). Null when no call is due.
 */
export function chamadaDeFerramenta(p: PedidoOpenAI): { name: string; arguments: string } | null {
  const ferramenta = p.tools?.[0]?.function;
  const ultima = p.messages?.at(-1);
  if (!ferramenta?.name || ultima?.role !== "user") return null;
  const texto = textoDe(ultima.content);
  const argumentos: Record<string, unknown> = {};
  for (const [nome, s] of Object.entries(ferramenta.parameters?.properties ?? {}))
    argumentos[nome] = s.type === "number" || s.type === "integer" ? 1 : s.type === "boolean" ? true : texto;
  return { name: ferramenta.name, arguments: JSON.stringify(argumentos) };
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

  const chamada = legado ? null : chamadaDeFerramenta(pedido);
  if (chamada) return responderChamadaDeFerramenta(servidor, res, pedido, chamada, base, usage, extra, cabecalhos);

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

/**
 * A tool call as llama-server and LM Studio send it: whole, `message.tool_calls` (arguments as JSON text) with
 * `finish_reason: "tool_calls"`; streamed, the role chunk, a chunk opening the call (id, name, empty
 * arguments), the arguments in two pieces, the finish chunk, the usage chunk when asked, `[DONE]`.
 */
async function responderChamadaDeFerramenta(
  servidor: ServidorFalso,
  res: ServerResponse,
  pedido: PedidoOpenAI,
  chamada: { name: string; arguments: string },
  base: Record<string, unknown>,
  usage: Record<string, number>,
  extra: (tokensResposta: number) => Record<string, unknown>,
  cabecalhos: Record<string, string>,
): Promise<void> {
  const id = `call_${Math.random().toString(36).slice(2, 10)}`;
  if (!pedido.stream) {
    const texto = JSON.stringify({
      ...base,
      object: "chat.completion",
      choices: [
        {
          finish_reason: "tool_calls",
          index: 0,
          message: { role: "assistant", content: null, tool_calls: [{ id, type: "function", function: chamada }] },
        },
      ],
      usage,
      ...extra(usage.completion_tokens ?? 0),
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto), ...cabecalhos });
    return void res.end(texto);
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no", ...cabecalhos });
  const quadro = (choices: unknown[], mais: Record<string, unknown> = {}) => `data: ${JSON.stringify({ ...base, choices, ...mais })}\n\n`;
  const meio = Math.ceil(chamada.arguments.length / 2);
  const pedaco = (args: string) => ({
    index: 0,
    finish_reason: null,
    delta: { tool_calls: [{ index: 0, function: { arguments: args } }] },
  });
  const pedacos = [
    quadro([{ index: 0, finish_reason: null, delta: { role: "assistant", content: null } }]),
    quadro([
      {
        index: 0,
        finish_reason: null,
        delta: { tool_calls: [{ index: 0, id, type: "function", function: { name: chamada.name, arguments: "" } }] },
      },
    ]),
    quadro([pedaco(chamada.arguments.slice(0, meio))]),
    quadro([pedaco(chamada.arguments.slice(meio))]),
    quadro([{ index: 0, finish_reason: "tool_calls", delta: {} }]),
    ...(pedido.stream_options?.include_usage ? [quadro([], { usage, ...extra(usage.completion_tokens ?? 0) })] : []),
    "data: [DONE]\n\n",
  ];
  if (await servidor.escreverPedacos(res, pedacos)) res.end();
}
