import { randomUUID } from "node:crypto";
import { ErroApp } from "../../errors";
import type { CorpoResponses } from "../../schemas/corpos-responses";

export type ParteDeSaida = { type: "output_text"; text: string; annotations: never[]; logprobs: never[] };
export type ParteDeRaciocinio = { type: "reasoning_text"; text: string };
export type ItemMensagem = {
  type: "message";
  id: string;
  status: "in_progress" | "completed";
  role: "assistant";
  content: ParteDeSaida[];
};
export type ItemChamada = {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: "in_progress" | "completed";
};
/** The model's reasoning (a thinking model's `reasoning_content`), as OpenAI's open-weight models show it. */
export type ItemRaciocinio = {
  type: "reasoning";
  id: string;
  status: "in_progress" | "completed";
  summary: never[];
  content: ParteDeRaciocinio[];
};
export type ItemDeSaida = ItemMensagem | ItemChamada | ItemRaciocinio;

export type UsoResponses = {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
};

export type StatusResponse = "in_progress" | "completed" | "incomplete";

/** What a translated answer says of itself: its ids and time, and the request's settings echoed as OpenAI does. */
export type Identidade = { id: string; criadoEm: number; corpo: CorpoResponses };

/** A fresh answer's identity (`resp_…`, its items' ids derived from it). */
export function novaIdentidade(corpo: CorpoResponses): Identidade {
  return { id: `resp_${randomUUID().replaceAll("-", "")}`, criadoEm: Math.floor(Date.now() / 1000), corpo };
}

export const parteDeTexto = (text: string): ParteDeSaida => ({ type: "output_text", text, annotations: [], logprobs: [] });
export const parteDeRaciocinio = (text: string): ParteDeRaciocinio => ({ type: "reasoning_text", text });

/** A thinking model's reasoning in a chat message or delta: llama-server's `reasoning_content`, Ollama's and LM Studio's `reasoning`. */
export function raciocinioDe(m: { reasoning_content?: unknown; reasoning?: unknown } | null | undefined): string {
  const r = m?.reasoning_content ?? m?.reasoning;
  return typeof r === "string" ? r : "";
}

/** OpenAI's usage from chat's (null when the server sent none). */
export function usoDeChat(uso: unknown): UsoResponses | null {
  const u = uso as { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } } | null;
  if (!u || typeof u !== "object") return null;
  const entrada = u.prompt_tokens ?? 0;
  const saida = u.completion_tokens ?? 0;
  return {
    input_tokens: entrada,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: saida,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: entrada + saida,
  };
}

/** The `response` object, as OpenAI sends it (whole, or in the stream's lifecycle events). */
export function objetoResponse(
  ident: Identidade,
  status: StatusResponse,
  output: readonly ItemDeSaida[],
  usage: UsoResponses | null,
): Record<string, unknown> {
  const c = ident.corpo;
  return {
    id: ident.id,
    object: "response",
    created_at: ident.criadoEm,
    status,
    background: false,
    error: null,
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: c.instructions ?? null,
    max_output_tokens: c.max_output_tokens ?? null,
    model: c.model,
    output,
    parallel_tool_calls: c.parallel_tool_calls ?? true,
    previous_response_id: null,
    store: false,
    temperature: c.temperature ?? null,
    text: { format: c.text?.format ?? { type: "text" } },
    tool_choice: c.tool_choice ?? "auto",
    tools: c.tools ?? [],
    top_p: c.top_p ?? null,
    usage,
    metadata: {},
  };
}

type ChamadaDeChat = { id?: string; function?: { name?: string; arguments?: string } };
type RespostaDeChat = {
  choices?: {
    message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: ChamadaDeChat[] | null } | null;
    finish_reason?: unknown;
  }[];
  usage?: unknown;
};

/**
 * A whole chat answer as a `response`: its reasoning (if any) as a `reasoning` item, its text as one message item, each tool call as a `function_call` item,
 * cut by the output limit as `incomplete`. An answer without a choice is the server's failure, not an empty reply.
 */
export function respostaDeChat(dados: unknown, ident: Identidade): Record<string, unknown> {
  const escolha = (dados as RespostaDeChat | null)?.choices?.[0];
  if (!escolha) throw new ErroApp("provedor_erro", "O servidor respondeu sem nenhuma escolha (choices vazio).");
  const output: ItemDeSaida[] = [];
  const raciocinio = raciocinioDe(escolha.message);
  if (raciocinio) {
    output.push({
      type: "reasoning",
      id: `rs_${ident.id.slice(5)}`,
      status: "completed",
      summary: [],
      content: [parteDeRaciocinio(raciocinio)],
    });
  }
  const texto = escolha.message?.content;
  if (typeof texto === "string" && texto) {
    output.push({
      type: "message",
      id: `msg_${ident.id.slice(5)}`,
      status: "completed",
      role: "assistant",
      content: [parteDeTexto(texto)],
    });
  }
  for (const [i, t] of (escolha.message?.tool_calls ?? []).entries()) {
    output.push({
      type: "function_call",
      id: `fc_${ident.id.slice(5)}_${i}`,
      call_id: t.id || `call_${ident.id.slice(5)}_${i}`,
      name: t.function?.name ?? "",
      arguments: t.function?.arguments ?? "",
      status: "completed",
    });
  }
  const status = escolha.finish_reason === "length" ? "incomplete" : "completed";
  return objetoResponse(ident, status, output, usoDeChat((dados as RespostaDeChat).usage));
}
