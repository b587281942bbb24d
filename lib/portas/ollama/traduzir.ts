import type { TipoProvedor } from "@/db/schema";
import { ErroApp } from "../../errors";
import type { CorpoChatOllama, CorpoGenerateOllama, MensagemOllama, OpcoesOllama } from "../../schemas/corpos-ollama";

// Ollama's native API in OpenAI's terms and back, for the servers that speak only OpenAI (llama.cpp, LM Studio,
// OpenAI-compatible): pure functions, no I/O, so each mapping is checked on its own (tests/unit/traducao-ollama.test.ts).

type Objeto = Record<string, unknown>;

/** The fields of a generation both chat and generate carry. */
type Geracao = { options?: OpcoesOllama; format?: CorpoChatOllama["format"]; think?: CorpoChatOllama["think"] };

/** A base64 image's media type from its first bytes (PNG, JPEG, GIF, WebP); PNG when unknown. */
export function tipoDaImagem(base64: string): string {
  if (base64.startsWith("/9j/")) return "image/jpeg";
  if (base64.startsWith("R0lGOD")) return "image/gif";
  if (base64.startsWith("UklGR")) return "image/webp";
  return "image/png";
}

/** A message's text and images as OpenAI content: the text alone, or parts with each image as a data URL. */
function conteudo(texto: string, imagens: readonly string[] | null | undefined): string | Objeto[] {
  if (!imagens?.length) return texto;
  const partes: Objeto[] = texto ? [{ type: "text", text: texto }] : [];
  for (const img of imagens) {
    const url = img.startsWith("data:") ? img : `data:${tipoDaImagem(img)};base64,${img}`;
    partes.push({ type: "image_url", image_url: { url } });
  }
  return partes;
}

/**
 * Ollama's messages as OpenAI's: images as image parts; an assistant's `tool_calls` with their `arguments`
 * object as the JSON text OpenAI carries, each given an id; a `tool` message (Ollama names the tool, OpenAI
 * points at the call) answers the pending call of the same name, else the oldest pending one.
 */
export function mensagensParaOpenAI(mensagens: readonly MensagemOllama[]): Objeto[] {
  const pendentes: { id: string; nome: string }[] = [];
  let chamadas = 0;
  return mensagens.map((m) => {
    if (m.role === "assistant" && m.tool_calls?.length) {
      const tool_calls = m.tool_calls.map((c) => {
        const id = `call_${chamadas++}`;
        pendentes.push({ id, nome: c.function.name });
        return { id, type: "function", function: { name: c.function.name, arguments: JSON.stringify(c.function.arguments ?? {}) } };
      });
      return { role: "assistant", content: m.content || null, tool_calls };
    }
    if (m.role === "tool") {
      const i = Math.max(
        0,
        pendentes.findIndex((p) => p.nome === m.tool_name),
      );
      const chamada = pendentes.splice(i, 1)[0];
      return { role: "tool", content: m.content, tool_call_id: chamada?.id ?? `call_${chamadas++}` };
    }
    return { role: m.role, content: conteudo(m.content, m.images) };
  });
}

/**
 * `options`, `format` and `think` as OpenAI request fields: temperature, top_p, seed, stop, num_predict →
 * max_tokens (-1, "until the end", is no limit); top_k where the server takes it (llama.cpp, LM Studio);
 * `format` "json" → json_object, a schema → json_schema. `num_ctx` is a load setting these servers take only
 * when a model is loaded: ignored here. `think` reaches llama-server's chat template (enable_thinking).
 */
export function geracaoParaOpenAI(g: Geracao, tipo: TipoProvedor): Objeto {
  const o = g.options ?? {};
  const corpo: Objeto = {};
  if (o.temperature !== undefined) corpo.temperature = o.temperature;
  if (o.top_p !== undefined) corpo.top_p = o.top_p;
  if (o.top_k !== undefined && (tipo === "llama_cpp" || tipo === "lm_studio")) corpo.top_k = o.top_k;
  if (o.seed !== undefined) corpo.seed = o.seed;
  if (o.stop?.length) corpo.stop = o.stop;
  if (o.num_predict !== undefined && o.num_predict >= 0) corpo.max_tokens = o.num_predict;
  if (g.format === "json") corpo.response_format = { type: "json_object" };
  else if (g.format) corpo.response_format = { type: "json_schema", json_schema: { name: "resposta", schema: g.format, strict: true } };
  if (g.think !== undefined && tipo === "llama_cpp") {
    corpo.chat_template_kwargs = { enable_thinking: g.think !== false };
    if (typeof g.think === "string") corpo.reasoning_effort = g.think;
  }
  return corpo;
}

/** `/api/chat` as an OpenAI chat body (the pipeline sets `model`). */
export function chatParaOpenAI(c: CorpoChatOllama, tipo: TipoProvedor, stream: boolean): Objeto {
  const corpo: Objeto = { messages: mensagensParaOpenAI(c.messages), stream, ...geracaoParaOpenAI(c, tipo) };
  if (c.tools?.length) corpo.tools = c.tools;
  return corpo;
}

/**
 * `/api/generate` in OpenAI's terms: with `raw` (no template) or `suffix` (fill in the middle) the legacy
 * completions route, which takes the prompt as is; otherwise a chat of the system text and the prompt.
 */
export function generateParaOpenAI(
  c: CorpoGenerateOllama,
  tipo: TipoProvedor,
  stream: boolean,
): { rota: "/v1/completions" | "/v1/chat/completions"; corpo: Objeto } {
  const geracao = geracaoParaOpenAI(c, tipo);
  if (c.raw || c.suffix !== undefined) {
    const corpo: Objeto = { prompt: c.prompt, stream, ...geracao };
    if (c.suffix !== undefined) corpo.suffix = c.suffix;
    return { rota: "/v1/completions", corpo };
  }
  const mensagens: Objeto[] = [];
  if (c.system) mensagens.push({ role: "system", content: c.system });
  mensagens.push({ role: "user", content: conteudo(c.prompt, c.images) });
  return { rota: "/v1/chat/completions", corpo: { messages: mensagens, stream, ...geracao } };
}

/** OpenAI's finish reason in Ollama's words (a tool call ends a turn with "stop" there). */
export function motivoOllama(finish: unknown): string {
  return finish === "length" ? "length" : "stop";
}

type ChamadaOpenAI = { id?: string; function?: { name?: string; arguments?: string } };

/** OpenAI's tool calls (arguments as JSON text) as Ollama's (arguments as an object). */
export function chamadasParaOllama(chamadas: readonly ChamadaOpenAI[]): { function: { name: string; arguments: Objeto } }[] {
  return chamadas.map((c) => {
    let argumentos: unknown = {};
    try {
      argumentos = c.function?.arguments ? JSON.parse(c.function.arguments) : {};
    } catch {
      throw new ErroApp("provedor_erro", `O servidor pediu a ferramenta "${c.function?.name ?? ""}" com argumentos que não são JSON.`);
    }
    const objeto = argumentos && typeof argumentos === "object" && !Array.isArray(argumentos) ? (argumentos as Objeto) : {};
    return { function: { name: c.function?.name ?? "", arguments: objeto } };
  });
}

/** llama-server's `timings` (ms), the one source of a server's own durations among the translated types. */
export type Tempos = { prompt_ms?: number; predicted_ms?: number; prompt_n?: number; predicted_n?: number };

/** When the attempt was sent, its first token came and it ended (performance.now(), ms). */
export type Medidas = { inicio: number; primeiro: number | null; fim: number };

const ns = (ms: number) => Math.max(0, Math.round(ms * 1e6));

/**
 * The final line's counts and durations (integers, nanoseconds, as Ollama sends them): the server's own
 * timings where it sent them (llama-server), else measured here (prompt = until the first token, eval = the rest).
 */
export function metricasOllama(
  uso: { prompt_tokens?: number; completion_tokens?: number } | null,
  tempos: Tempos | null,
  m: Medidas,
): Objeto {
  const primeiro = m.primeiro ?? m.fim;
  return {
    total_duration: ns(m.fim - m.inicio),
    load_duration: 0,
    prompt_eval_count: uso?.prompt_tokens ?? tempos?.prompt_n ?? 0,
    prompt_eval_duration: ns(typeof tempos?.prompt_ms === "number" ? tempos.prompt_ms : primeiro - m.inicio),
    eval_count: uso?.completion_tokens ?? tempos?.predicted_n ?? 0,
    eval_duration: ns(typeof tempos?.predicted_ms === "number" ? tempos.predicted_ms : m.fim - primeiro),
  };
}

type RespostaOpenAI = {
  choices?: {
    finish_reason?: unknown;
    text?: unknown;
    message?: { content?: unknown; reasoning_content?: unknown; tool_calls?: ChamadaOpenAI[] | null } | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  timings?: Tempos;
};

function escolhaDe(dados: unknown): NonNullable<RespostaOpenAI["choices"]>[number] & { resposta: RespostaOpenAI } {
  const r = dados as RespostaOpenAI | null;
  const escolha = Array.isArray(r?.choices) ? r.choices[0] : undefined;
  if (!r || !escolha) throw new ErroApp("provedor_erro", "O servidor respondeu sem nenhuma escolha (choices vazio).");
  return { ...escolha, resposta: r };
}

/** A whole OpenAI chat (or completion) answer as Ollama's whole `/api/chat` or `/api/generate` answer. */
export function respostaParaOllama(dados: unknown, modo: "chat" | "generate", nome: string, m: Medidas, pensar: boolean): Objeto {
  const e = escolhaDe(dados);
  const texto = typeof e.text === "string" ? e.text : typeof e.message?.content === "string" ? e.message.content : "";
  const pensamento = pensar && typeof e.message?.reasoning_content === "string" ? e.message.reasoning_content : undefined;
  const chamadas = e.message?.tool_calls?.length ? chamadasParaOllama(e.message.tool_calls) : undefined;
  const metricas = metricasOllama(e.resposta.usage ?? null, e.resposta.timings ?? null, m);
  const base = { model: nome, created_at: new Date().toISOString() };
  const fim = { done: true, done_reason: motivoOllama(e.finish_reason), ...metricas };
  if (modo === "generate") return { ...base, response: texto, ...(pensamento ? { thinking: pensamento } : {}), ...fim };
  const mensagem: Objeto = { role: "assistant", content: texto };
  if (pensamento) mensagem.thinking = pensamento;
  if (chamadas) mensagem.tool_calls = chamadas;
  return { ...base, message: mensagem, ...fim };
}

/** A whole `/v1/embeddings` answer as `/api/embed`'s (`embeddings`) or the legacy `/api/embeddings`'s (`embedding`). */
export function embeddingsParaOllama(dados: unknown, legado: boolean, nome: string, m: Medidas): Objeto {
  const r = dados as { data?: { embedding?: unknown }[]; usage?: { prompt_tokens?: number } } | null;
  if (!Array.isArray(r?.data)) throw new ErroApp("provedor_erro", "O servidor respondeu aos embeddings sem a lista data.");
  const vetores = r.data.map((d) => d.embedding);
  if (legado) return { embedding: vetores[0] ?? [] };
  return {
    model: nome,
    embeddings: vetores,
    total_duration: ns(m.fim - m.inicio),
    load_duration: 0,
    prompt_eval_count: r.usage?.prompt_tokens ?? 0,
  };
}

/** `keep_alive` 0 (a number, or a duration of zero) unloads; anything else keeps the model loaded. */
export function ehDescarregar(manter: string | number | undefined): boolean {
  if (manter === undefined) return false;
  return typeof manter === "number" ? manter === 0 : /^0+(\.0+)?(ns|us|µs|ms|s|m|h)?$/.test(manter.trim());
}
