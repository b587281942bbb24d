import { cabecalhosDoErro, type ErroApp, erroNoFormatoAnthropic } from "../../errors";
import { respostaJson } from "../resposta-json";
import type { Porta } from "../troca";

/** The paths of Anthropic's Messages door. */
export const ROTAS_ANTHROPIC = ["/v1/messages", "/v1/messages/count_tokens"] as const;

/**
 * Anthropic's error shape (`{type:"error", error:{type, message}}`) and statuses (lib/errors.ts
 * erroNoFormatoAnthropic), which its SDKs and Claude Code turn into their own error classes.
 */
export const PORTA_ANTHROPIC: Porta = {
  nome: "anthropic",
  formatoDeErro: (erro: ErroApp) => {
    const { status, corpo } = erroNoFormatoAnthropic(erro);
    return respostaJson(status, corpo, cabecalhosDoErro(erro));
  },
  rotaInexistente: (caminho) => `Rota ${caminho} não existe. Use ${ROTAS_ANTHROPIC.join(" ou ")}.`,
};
