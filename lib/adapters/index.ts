import "server-only";
import { AdaptadorLlamaCpp } from "./llama-cpp";
import { AdaptadorLmStudio } from "./lm-studio";
import { AdaptadorOllama } from "./ollama";
import { AdaptadorOpenAI } from "./openai-compativel";
import type { AdaptadorLLM, AlvoProvedor } from "./tipos";

/** The adapter for a provider's type. Only the service calls this. */
export function adaptadorPara(alvo: AlvoProvedor): AdaptadorLLM {
  switch (alvo.tipo) {
    case "lm_studio":
      return new AdaptadorLmStudio(alvo);
    case "llama_cpp":
      return new AdaptadorLlamaCpp(alvo);
    case "ollama":
      return new AdaptadorOllama(alvo);
    case "openai_compativel":
      return new AdaptadorOpenAI(alvo);
  }
}

export type { AdaptadorLLM, AlvoProvedor, Capacidade, PedacoChat, PedidoChat, RespostaChat, Verificacao } from "./tipos";
export type { RespostaDoServidor, RotaDoServidor, RotaOpenAI } from "./abrir-rota-do-servidor";
export type { AcoesModelos } from "../schemas/llm";
export type { OpcoesCarregar, ProgressoDownload } from "./acoes-modelos";
