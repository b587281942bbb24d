import { cabecalhosDoErro, type ErroApp, ehOcupado, statusDoServidorParaOChamador } from "../../errors";
import { respostaJson } from "../resposta-json";
import type { Porta } from "../troca";

/**
 * The status an Ollama client gets for an error: the one table's, except a server's own 4xx (a model it does
 * not have, a parameter it refuses), which is the caller's to fix and keeps its status, as Ollama's own API
 * would have answered it; and a provider's full queue, which Ollama's own answers 503 ("server busy").
 */
export function statusParaOllama(erro: ErroApp): number {
  if (ehOcupado(erro)) return 503;
  return statusDoServidorParaOChamador(erro) ?? erro.status;
}

/** Ollama's error shape, `{"error": "…"}` (what its clients raise as ResponseError with the message). */
export const PORTA_OLLAMA: Porta = {
  nome: "ollama",
  formatoDeErro: (erro: ErroApp) => respostaJson(statusParaOllama(erro), { error: erro.message }, cabecalhosDoErro(erro)),
  rotaInexistente: (caminho) => `Rota ${caminho} não existe na API do Ollama deste app.`,
};
