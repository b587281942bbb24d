import { ErroApp } from "../../errors";

type ChamadaOpenAI = { id?: string; function?: { name?: string; arguments?: string } };
type RespostaOpenAI = {
  id?: string;
  choices?: {
    finish_reason?: string | null;
    message?: { content?: string | null; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: ChamadaOpenAI[] | null };
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
};

export type MotivoDeParada = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use";

export type BlocoDeResposta =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export type MensagemAnthropic = {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: BlocoDeResposta[];
  stop_reason: MotivoDeParada;
  stop_sequence: string | null;
  usage: { input_tokens: number; output_tokens: number };
};

/**
 * OpenAI's finish_reason as Anthropic's stop_reason. A stop sequence cannot be told from the end of the turn:
 * OpenAI's chat says `stop` for both, so it is `end_turn` (only a native server reports `stop_sequence`).
 */
export function motivoDeParada(finish: string | null | undefined, comFerramenta: boolean): MotivoDeParada {
  if (finish === "length") return "max_tokens";
  if (finish === "tool_calls" || finish === "function_call" || comFerramenta) return "tool_use";
  return "end_turn";
}

/** A tool call's arguments as the object Anthropic's `input` is; text that is not a JSON object is kept under `_texto`. */
export function entradaDaFerramenta(argumentos: string | undefined): Record<string, unknown> {
  if (!argumentos?.trim()) return {};
  try {
    const v: unknown = JSON.parse(argumentos);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : { _texto: argumentos };
  } catch {
    return { _texto: argumentos };
  }
}

/** Ids as Anthropic's: `msg_…` for a message, `toolu_…` for a tool call the server left without one. */
export const idDaMensagem = (id: string | undefined): string => `msg_${id || Math.random().toString(36).slice(2, 14)}`;
export const idDaFerramenta = (id: string | undefined, indice: number): string =>
  id || `toolu_${indice}_${Math.random().toString(36).slice(2, 10)}`;

/**
 * A whole OpenAI chat answer as Anthropic's message, with the model the caller asked for; the server's reasoning
 * as a `thinking` block first (unsigned) when the request asked to think (`pensar`), else dropped.
 */
export function mensagemDaResposta(dados: unknown, modelo: string, pensar = false): MensagemAnthropic {
  const r = dados as RespostaOpenAI | null;
  const escolha = Array.isArray(r?.choices) ? r.choices[0] : undefined;
  if (!escolha) throw new ErroApp("provedor_erro", "O servidor respondeu sem nenhuma escolha (choices) em /v1/chat/completions.");
  const content: BlocoDeResposta[] = [];
  const raciocinio = pensar ? (escolha.message?.reasoning_content ?? escolha.message?.reasoning) : undefined;
  if (typeof raciocinio === "string" && raciocinio) content.push({ type: "thinking", thinking: raciocinio, signature: "" });
  const texto = escolha.message?.content;
  if (typeof texto === "string" && texto) content.push({ type: "text", text: texto });
  const chamadas = escolha.message?.tool_calls ?? [];
  chamadas.forEach((c, i) => {
    content.push({
      type: "tool_use",
      id: idDaFerramenta(c.id, i),
      name: c.function?.name ?? "",
      input: entradaDaFerramenta(c.function?.arguments),
    });
  });
  return {
    id: idDaMensagem(r?.id),
    type: "message",
    role: "assistant",
    model: modelo,
    content,
    stop_reason: motivoDeParada(escolha.finish_reason, chamadas.length > 0),
    stop_sequence: null,
    usage: { input_tokens: r?.usage?.prompt_tokens ?? 0, output_tokens: r?.usage?.completion_tokens ?? 0 },
  };
}
