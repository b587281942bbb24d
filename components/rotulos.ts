import type { NomePorta } from "@/lib/schemas/llm";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";

export const ROTULO_TIPO: Record<TipoProvedor, string> = {
  lm_studio: "LM Studio",
  llama_cpp: "llama.cpp",
  ollama: "Ollama",
  openai_compativel: "OpenAI-compatível",
};

export const ROTULO_PORTA: Record<NomePorta, string> = {
  requisicao: "REST (requisicao)",
  openai: "OpenAI (/v1)",
  anthropic: "Anthropic (/v1/messages)",
  ollama: "Ollama (/api)",
  responses: "Responses (/v1/responses)",
};

/** A door's label; null is a request counted before the door was recorded. */
export const rotuloPorta = (porta: NomePorta | null): string => (porta ? ROTULO_PORTA[porta] : "anterior");

const formatoData = new Intl.DateTimeFormat("pt-BR", { dateStyle: "short", timeStyle: "medium" });

export function dataHora(d: Date | null): string {
  return d ? formatoData.format(d) : "—";
}
