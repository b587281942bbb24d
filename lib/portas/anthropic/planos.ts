import { dialetoOpenAI } from "../../gateway/dialetos/openai";
import { DIALETO_ANTHROPIC } from "../../gateway/dialetos/anthropic";
import type { PlanoDeChamada, ServidorDoPlano } from "../../gateway/pedido";
import type { CorpoMensagensAnthropic } from "../../schemas/corpos-anthropic";
import { quadrosAnthropicNativos, TradutorDoStream } from "./quadros-anthropic";
import { pedidoOpenAI } from "./traduzir-pedido";
import { mensagemDaResposta } from "./traduzir-resposta";

/** The route a server serves Anthropic's Messages on, where it does (llama-server, Ollama ≥ 0.14, LM Studio ≥ 0.4.1). */
export const ROTA_MENSAGENS = "/v1/messages";

/** A whole native answer as the server sent it, but for `model`: the id the caller asked for (bare or `<slug>/<model>`). */
export function comModeloPedido(dados: unknown, texto: string, modelo: string): string {
  if (dados === null || typeof dados !== "object" || Array.isArray(dados) || !("model" in dados)) return texto;
  return JSON.stringify({ ...dados, model: modelo });
}

/** The request passed through as validated (the pipeline sets `model`), the answer in the server's own Anthropic dialect. */
export function planoNativo(corpo: CorpoMensagensAnthropic, modelo: string): PlanoDeChamada {
  return {
    rota: ROTA_MENSAGENS,
    corpo,
    dialeto: DIALETO_ANTHROPIC,
    enquadrar: quadrosAnthropicNativos(modelo),
    converter: (dados, texto) => comModeloPedido(dados, texto, modelo),
  };
}

/**
 * Translated to OpenAI chat, which every server type speaks: the usage chunk is asked for and reaches the
 * framer (dialetoOpenAI(true)), which turns it into the final `message_delta`'s usage. The server's reasoning
 * is shown as thinking blocks only when the request asked for thinking.
 */
export function planoTraduzido(corpo: CorpoMensagensAnthropic, modelo: string): PlanoDeChamada {
  const pensar = pediuRaciocinio(corpo);
  return {
    rota: "/v1/chat/completions",
    corpo: pedidoOpenAI(corpo),
    dialeto: dialetoOpenAI(true),
    enquadrar: new TradutorDoStream(modelo, pensar).enquadrar,
    converter: (dados) => JSON.stringify(mensagemDaResposta(dados, modelo, pensar)),
  };
}

/** The request asked to see the model think (`thinking: {type: "enabled"}`, or "adaptive"): its reasoning is shown. */
export function pediuRaciocinio(corpo: CorpoMensagensAnthropic): boolean {
  const tipo = corpo.thinking?.type;
  return tipo === "enabled" || tipo === "adaptive";
}

/** Per attempt: natively where this server has `/v1/messages` (learned once per provider), else translated. */
export async function planejarMensagens(servidor: ServidorDoPlano, corpo: CorpoMensagensAnthropic): Promise<PlanoDeChamada> {
  return (await servidor.temRota(ROTA_MENSAGENS)) ? planoNativo(corpo, corpo.model) : planoTraduzido(corpo, corpo.model);
}
