import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";

export const ROTULO_TIPO: Record<TipoProvedor, string> = {
  lm_studio: "LM Studio",
  llama_cpp: "llama.cpp",
  ollama: "Ollama",
  openai_compativel: "OpenAI-compatível",
};

const formatoData = new Intl.DateTimeFormat("pt-BR", { dateStyle: "short", timeStyle: "medium" });

export function dataHora(d: Date | null): string {
  return d ? formatoData.format(d) : "—";
}
