import { atenderModelo } from "../../gateway/atender";
import type { PedidoModelo } from "../../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CorpoMensagensAnthropic } from "../../schemas/corpos-anthropic";
import { validar } from "../../schemas/validar";
import { respostaDoAtendimento } from "../resposta-do-atendimento";
import type { Manipulador, Resposta } from "../troca";
import { planejarMensagens } from "./planos";

/**
 * POST /v1/messages: Anthropic's body validated as Anthropic validates it (so nothing a laxer server would take
 * goes upstream), routed like every door's request, and answered in Anthropic's message or event stream:
 * passed through where the server speaks the dialect, translated from OpenAI chat where it does not.
 * `anthropic-version` and `anthropic-beta` are accepted and not read.
 */
export const criarMensagem: Manipulador = async (pedido): Promise<Resposta> => {
  const corpo = validar(CorpoMensagensAnthropic, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const stream = corpo.stream === true;
  const pedidoModelo: PedidoModelo = {
    porta: "anthropic",
    modelo: corpo.model,
    provedorId: null,
    stream,
    entrada: { formato: "passagem", planejar: (servidor) => planejarMensagens(servidor, corpo) },
    sinal: pedido.sinal,
    recebidoEm: pedido.recebidoEm,
    chamador: pedido.chamador,
    depois: pedido.depois,
  };
  return respostaDoAtendimento(await atenderModelo(pedidoModelo));
};
