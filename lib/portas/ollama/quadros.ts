import type { Enquadrador, EventoModelo } from "../../gateway/pedido";
import { chamadasParaOllama, metricasOllama, motivoOllama, type Tempos } from "./traduzir";

// Ollama's NDJSON framing of the relayed events: one JSON object per line, the line with `done: true` last,
// an error after the first byte as a final `{"error": "…"}` line (the status is already out).

const codificador = new TextEncoder();

/** What an Ollama stream answers with: like the SSE streams, never buffered or transformed by a proxy on the way. */
export const CABECALHOS_NDJSON = {
  "content-type": "application/x-ndjson",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

export const linhaDeErro = (mensagem: string): string => `${JSON.stringify({ error: mensagem })}\n`;

/**
 * The client's model name in place of the server's id, where they differ (a `:latest` added, a `<slug>/` pin).
 * Ollama writes `"model"` first: that prefix is swapped as text; only another shape of line is parsed.
 */
export function comNome(texto: string, nome: string, id: string): string {
  if (nome === id) return texto;
  const prefixo = `{"model":${JSON.stringify(id)}`;
  if (texto.startsWith(prefixo)) return `{"model":${JSON.stringify(nome)}${texto.slice(prefixo.length)}`;
  const o = JSON.parse(texto) as Record<string, unknown> | null;
  if (!o || typeof o !== "object") return texto;
  o.model = nome;
  return JSON.stringify(o);
}

/** A real Ollama's own lines, passed on as it sent them but for the model's name. */
export function quadrosNativos(nome: string, id: string): Enquadrador {
  return (eventos) => {
    let texto = "";
    for (const e of eventos) {
      if (e.tipo === "chunk") texto += `${comNome(e.dados, nome, id)}\n`;
      else if (e.tipo === "erro") texto += linhaDeErro(e.erro.message);
    }
    return codificador.encode(texto);
  };
}

type ChunkOpenAI = {
  choices?: {
    index?: number;
    finish_reason?: unknown;
    text?: unknown;
    delta?: {
      content?: unknown;
      reasoning_content?: unknown;
      tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
    } | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  timings?: Tempos;
};

/**
 * An OpenAI stream (chat or completions, with its usage chunk) as Ollama's `/api/chat` or `/api/generate`
 * lines: each delta's text as a `done: false` line; tool calls gathered (OpenAI streams their arguments in
 * pieces; Ollama sends each call whole, arguments as an object) and sent in one line before the last; the last
 * line with the finish reason, the counts and the durations (the server's timings, else measured from `inicio`).
 * One framer per attempt: it keeps the stream's state.
 */
export function quadrosTraduzidos(modo: "chat" | "generate", nome: string, inicio: number, pensar: boolean): Enquadrador {
  let primeiro: number | null = null;
  let motivo: unknown = null;
  let uso: ChunkOpenAI["usage"] = null;
  let tempos: Tempos | null = null;
  const chamadas = new Map<number, { name: string; arguments: string }>();

  const linha = (texto: string, pensamento: string | null, extra?: Record<string, unknown>): string => {
    const base = { model: nome, created_at: new Date().toISOString() };
    if (modo === "generate") {
      return `${JSON.stringify({ ...base, response: texto, ...(pensamento ? { thinking: pensamento } : {}), done: false, ...extra })}\n`;
    }
    const message: Record<string, unknown> = { role: "assistant", content: texto };
    if (pensamento) message.thinking = pensamento;
    if (extra?.tool_calls) message.tool_calls = extra.tool_calls;
    return `${JSON.stringify({ ...base, message, done: false })}\n`;
  };

  const doChunk = (chunk: ChunkOpenAI): string => {
    if (chunk.usage) uso = chunk.usage;
    if (chunk.timings) tempos = chunk.timings;
    const escolha = chunk.choices?.[0];
    if (!escolha) return "";
    if (escolha.finish_reason != null) motivo = escolha.finish_reason;
    for (const c of escolha.delta?.tool_calls ?? []) {
      const i = c.index ?? 0;
      const atual = chamadas.get(i) ?? { name: "", arguments: "" };
      if (c.function?.name) atual.name += c.function.name;
      if (c.function?.arguments) atual.arguments += c.function.arguments;
      chamadas.set(i, atual);
    }
    const texto = typeof escolha.text === "string" ? escolha.text : typeof escolha.delta?.content === "string" ? escolha.delta.content : "";
    const raciocinio = escolha.delta?.reasoning_content;
    const pensamento = pensar && typeof raciocinio === "string" && raciocinio ? raciocinio : null;
    if (!texto && !pensamento) return "";
    primeiro ??= performance.now();
    return linha(texto, pensamento);
  };

  const final = (): string => {
    let texto = "";
    if (chamadas.size && modo === "chat") {
      const tool_calls = chamadasParaOllama([...chamadas.values()].map((f) => ({ function: f })));
      texto += linha("", null, { tool_calls });
    }
    const metricas = metricasOllama(uso ?? null, tempos, { inicio, primeiro, fim: performance.now() });
    const base = { model: nome, created_at: new Date().toISOString() };
    const corpo = modo === "generate" ? { ...base, response: "" } : { ...base, message: { role: "assistant", content: "" } };
    return `${texto}${JSON.stringify({ ...corpo, done: true, done_reason: motivoOllama(motivo), ...metricas })}\n`;
  };

  return (eventos: readonly EventoModelo[]) => {
    let texto = "";
    for (const e of eventos) {
      try {
        if (e.tipo === "chunk") texto += doChunk((e.json ?? JSON.parse(e.dados)) as ChunkOpenAI);
        else if (e.tipo === "fim") texto += final();
        else if (e.tipo === "erro") texto += linhaDeErro(e.erro.message);
      } catch (erro) {
        texto += linhaDeErro(erro instanceof Error ? erro.message : "O servidor enviou um evento que não pôde ser lido.");
      }
    }
    return codificador.encode(texto);
  };
}
