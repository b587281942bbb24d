import { atenderModelo } from "../../gateway/atender";
import type { PedidoModelo } from "../../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CABECALHOS_SSE } from "../../protocolo/sse";
import { CorpoMensagensAnthropic } from "../../schemas/corpos-anthropic";
import { validar } from "../../schemas/validar";
import { cabecalhosDoAtendimento } from "../openai";
import type { Manipulador, Resposta } from "../troca";
import { planejarMensagens } from "./planos";

const TIPO_JSON = { "content-type": "application/json" } as const;

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
    depois: pedido.depois,
  };
  const r = await atenderModelo(pedidoModelo);
  if (r.tipo === "stream") {
    return {
      status: 200,
      cabecalhos: cabecalhosDoAtendimento(r.provedor, r.overheadMs, CABECALHOS_SSE),
      corpo: r.quadros,
      aoTerminar: r.descartar,
    };
  }
  const texto = r.tipo === "texto" ? r.texto : JSON.stringify(r.resposta);
  return { status: 200, cabecalhos: cabecalhosDoAtendimento(r.provedor, r.overheadMs, TIPO_JSON), corpo: texto };
};
