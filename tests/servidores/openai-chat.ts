import type { ServerResponse } from "node:http";
import type { ServidorFalso } from "./base";
import { gerarNoRitmo, type Medicao, TOKENS_PADRAO, tokensDeEnchimento, tokensPedidos, type Velocidade } from "./velocidade";

type ParteOpenAI = { type?: string; text?: string };
type FerramentaOpenAI = { type?: string; function?: { name?: string; parameters?: EsquemaJson } };

export type PedidoOpenAI = {
  model?: string;
  messages?: { role: string; content: string | ParteOpenAI[] | null }[];
  tools?: FerramentaOpenAI[];
  tool_choice?: unknown;
  /** /v1/completions (legacy): a prompt instead of messages. */
  prompt?: string | string[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  /** llama-server's own fields, also read on its OpenAI routes: the tokens to generate, and two that change nothing here. */
  n_predict?: number;
  ignore_eos?: boolean;
  cache_prompt?: boolean;
};

/** A message's text: a string, or the text of its content parts (images carry none). */
const textoDe = (content: string | ParteOpenAI[] | null): string =>
  typeof content === "string" ? content : (content ?? []).map((p) => (p.type === "text" ? (p.text ?? "") : "")).join(" ");

/** prompt tokens ≈ words of the messages, as a stand-in for a tokenizer */
export function tokensDoPrompt(p: PedidoOpenAI): number {
  const textos = p.prompt !== undefined ? [p.prompt].flat() : (p.messages ?? []).map((m) => textoDe(m.content));
  return textos.reduce((n, t) => n + (String(t).match(/\S+/g)?.length ?? 0), 0) + 4;
}

export type EsquemaJson = { properties?: Record<string, { type?: string }> };

/**
 * The test model's tool use: given tools, it calls the first one (arguments made from its schema: "teste" for
 * a string, 1 for a number, true for a boolean) unless the turn is the tool's result coming back. Deterministic,
 * so tests can assert the whole round trip.
 */
export function argumentosDeTeste(esquema: EsquemaJson | undefined): Record<string, unknown> {
  const argumentos: Record<string, unknown> = {};
  for (const [nome, p] of Object.entries(esquema?.properties ?? {})) {
    argumentos[nome] = p.type === "number" || p.type === "integer" ? 1 : p.type === "boolean" ? true : "teste";
  }
  return argumentos;
}

/** The text the test model answers once a tool's result came back: it quotes the result. */
export const respostaAoResultado = (resultado: string): string => `Resultado da ferramenta: ${resultado}`;

/** The tool this chat request makes the test model call, if any (see argumentosDeTeste). */
function chamadaPedida(p: PedidoOpenAI): { nome: string; argumentos: string } | null {
  const ferramenta = p.tools?.[0]?.function;
  const ultima = p.messages?.at(-1);
  if (!ferramenta?.name || p.tool_choice === "none" || ultima?.role === "tool") return null;
  return { nome: ferramenta.name, argumentos: JSON.stringify(argumentosDeTeste(ferramenta.parameters)) };
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

const legadoDe = (p: PedidoOpenAI) => p.prompt !== undefined;

/**
 * A tool call as llama-server, LM Studio and Ollama's /v1 answer it: whole, `message.tool_calls` with
 * `content: null` and `finish_reason: "tool_calls"`; streamed, the role chunk, a first `tool_calls` delta with
 * the call's `id`, `type` and `function.name` (arguments ""), the arguments in pieces, then the finish chunk.
 */
async function responderChamadaOpenAI(
  servidor: ServidorFalso,
  res: ServerResponse,
  pedido: PedidoOpenAI,
  modelo: string,
  chamada: { nome: string; argumentos: string },
  cabecalhos: Record<string, string>,
): Promise<void> {
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
  const idChamada = `call_${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);
  const prompt = tokensDoPrompt(pedido);
  const pedacos = chamada.argumentos.match(/.{1,6}/g) ?? [];
  const usage = { completion_tokens: pedacos.length, prompt_tokens: prompt, total_tokens: prompt + pedacos.length };
  if (!pedido.stream) {
    const texto = JSON.stringify({
      choices: [
        {
          finish_reason: "tool_calls",
          index: 0,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [{ id: idChamada, type: "function", function: { name: chamada.nome, arguments: chamada.argumentos } }],
          },
        },
      ],
      created,
      model: modelo,
      object: "chat.completion",
      usage,
      id,
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto), ...cabecalhos });
    res.end(texto);
    return;
  }
  const base = { id, created, model: modelo, object: "chat.completion.chunk" };
  const quadro = (delta: unknown, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...cabecalhos });
  const quadros = [
    quadro({ role: "assistant", content: null }),
    quadro({ tool_calls: [{ index: 0, id: idChamada, type: "function", function: { name: chamada.nome, arguments: "" } }] }),
    ...pedacos.map((a) => quadro({ tool_calls: [{ index: 0, function: { arguments: a } }] })),
    quadro({}, "tool_calls"),
    ...(pedido.stream_options?.include_usage ? [`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`] : []),
    "data: [DONE]\n\n",
  ];
  if (await servidor.escreverPedacos(res, quadros)) res.end();
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
  extra: (tokensResposta: number, medicao?: Medicao, finish?: string) => Record<string, unknown> = () => ({}),
  cabecalhos: Record<string, string> = {},
  /** An error event to send after the first token instead of the rest of the answer (a proxy relaying one). */
  erroAposPrimeiroToken?: unknown,
): Promise<void> {
  const ultima = pedido.messages?.at(-1);
  let tokens = ultima?.role === "tool" ? (respostaAoResultado(textoDe(ultima.content)).match(/\s*\S+/g) ?? []) : servidor.tokens();
  let finish = "stop";
  const chamada = legadoDe(pedido) ? null : chamadaPedida(pedido);
  if (chamada) return responderChamadaOpenAI(servidor, res, pedido, modelo, chamada, cabecalhos);
  if (servidor.velocidade) return responderNoRitmo(servidor.velocidade, servidor.tokens(), res, pedido, modelo, extra, cabecalhos);
  if (pedido.max_tokens !== undefined && tokens.length > pedido.max_tokens) {
    tokens = tokens.slice(0, pedido.max_tokens);
    finish = "length";
  }
  const prompt = tokensDoPrompt(pedido);
  const usage = { completion_tokens: tokens.length, prompt_tokens: prompt, total_tokens: prompt + tokens.length };
  const legado = legadoDe(pedido);
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

/**
 * A chat or completion at the server's set speed (tests/servidores/velocidade.ts): exactly the asked number of
 * tokens, the head and role chunk sent with the first token (as a real server answers once it has one). `extra`
 * (the server's timings, from what was measured) goes on the whole answer or on the stream's last chunk (the usage
 * chunk when `stream_options.include_usage`, else the finish chunk); with `comTimings: false`, nowhere.
 */
async function responderNoRitmo(
  velocidade: Velocidade,
  resposta: string[],
  res: ServerResponse,
  pedido: PedidoOpenAI,
  modelo: string,
  extra: (tokensResposta: number, medicao?: Medicao, finish?: string) => Record<string, unknown>,
  cabecalhos: Record<string, string>,
): Promise<void> {
  const pedidos = tokensPedidos(pedido.max_tokens, pedido.max_completion_tokens, pedido.n_predict);
  const tokens = tokensDeEnchimento(resposta, pedidos ?? TOKENS_PADRAO);
  const finish = pedidos === undefined ? "stop" : "length";
  const prompt = tokensDoPrompt(pedido);
  const usage = { completion_tokens: tokens.length, prompt_tokens: prompt, total_tokens: prompt + tokens.length };
  const extraDe = (m: Medicao) => (velocidade.comTimings === false ? {} : extra(tokens.length, m, finish));
  const legado = legadoDe(pedido);
  const id = `${legado ? "cmpl" : "chatcmpl"}-${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, created, model: modelo, system_fingerprint: "b1-teste", object: legado ? "text_completion" : "chat.completion.chunk" };

  if (!pedido.stream) {
    const m = await gerarNoRitmo(res, velocidade, prompt, tokens.length, () => {});
    if (!m) return;
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
      ...extraDe(m),
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto), ...cabecalhos });
    res.end(texto);
    return;
  }

  const quadro = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const escolha = (conteudo: string | null, fim: string | null) =>
    legado
      ? { text: conteudo ?? "", index: 0, logprobs: null, finish_reason: fim }
      : {
          finish_reason: fim,
          index: 0,
          delta: conteudo === null ? (fim ? {} : { role: "assistant", content: null }) : { content: conteudo },
        };
  const m = await gerarNoRitmo(res, velocidade, prompt, tokens.length, (de, ate) => {
    const pedacos: string[] = [];
    if (de === 0) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no", ...cabecalhos });
      if (!legado) pedacos.push(quadro({ ...base, choices: [escolha(null, null)] }));
    }
    for (const t of tokens.slice(de, ate)) pedacos.push(quadro({ ...base, choices: [escolha(t, null)] }));
    res.write(pedacos.join(""));
  });
  if (!m) return;
  if (!res.headersSent) res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...cabecalhos });
  const comUso = Boolean(pedido.stream_options?.include_usage);
  res.end(
    [
      quadro({ ...base, choices: [escolha(null, finish)], ...(comUso ? {} : extraDe(m)) }),
      ...(comUso ? [quadro({ ...base, choices: [], usage, ...extraDe(m) })] : []),
      "data: [DONE]\n\n",
    ].join(""),
  );
}
