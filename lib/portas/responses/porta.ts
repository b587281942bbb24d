import { atenderModelo } from "../../gateway/atender";
import { dialetoOpenAI } from "../../gateway/dialetos/openai";
import { dialetoResponses } from "../../gateway/dialetos/responses";
import type { PedidoModelo, PlanoDeChamada, ServidorDoPlano } from "../../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CorpoResponses } from "../../schemas/corpos-responses";
import { validar } from "../../schemas/validar";
import { PORTA_OPENAI } from "../openai";
import { respostaDoAtendimento } from "../resposta-do-atendimento";
import type { Manipulador, Porta } from "../troca";
import { eventosDeChat } from "./eventos-de-chat";
import { eventosNativos, respostaNativa } from "./eventos-nativos";
import { novaIdentidade, respostaDeChat } from "./objeto-response";
import { corpoDeChat } from "./pedido-de-chat";

/** OpenAI's Responses API: OpenAI's error shape, as its SDKs read it; counted as its own door. */
export const PORTA_RESPONSES: Porta = {
  nome: "responses",
  formatoDeErro: PORTA_OPENAI.formatoDeErro,
  rotaInexistente: PORTA_OPENAI.rotaInexistente,
};

const ROTA_NATIVA = "/v1/responses";

/** The request passed through to a server that serves Responses itself; only the model is the caller's again. */
function planoNativo(corpo: CorpoResponses): PlanoDeChamada {
  return {
    rota: ROTA_NATIVA,
    corpo,
    dialeto: dialetoResponses,
    enquadrar: eventosNativos(corpo.model),
    converter: (dados, texto) => respostaNativa(dados, texto, corpo.model),
  };
}

/** The request translated to OpenAI chat (which every server type speaks), the answer back as Responses. */
function planoTraduzido(corpo: CorpoResponses): PlanoDeChamada {
  return {
    rota: "/v1/chat/completions",
    corpo: corpoDeChat(corpo),
    // The usage chunk is the translation's: response.completed carries the usage.
    dialeto: dialetoOpenAI(true),
    enquadrar: eventosDeChat(corpo),
    converter: (dados) => JSON.stringify(respostaDeChat(dados, novaIdentidade(corpo))),
  };
}

/**
 * POST /v1/responses: the body checked (stored state refused: nothing is kept between calls), then each attempt
 * planned for its server: natively where it serves `/v1/responses` (learned once per provider), else translated
 * to chat. Routing, failover and statistics are the pipeline's, as for every door.
 */
export const chamarResponses: Manipulador = async (pedido) => {
  const corpo = validar(CorpoResponses, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const planejar = async (servidor: ServidorDoPlano): Promise<PlanoDeChamada> =>
    (await servidor.temRota(ROTA_NATIVA)) ? planoNativo(corpo) : planoTraduzido(corpo);
  const pedidoModelo: PedidoModelo = {
    porta: "responses",
    modelo: corpo.model,
    provedorId: null,
    stream: corpo.stream === true,
    entrada: { formato: "passagem", planejar },
    sinal: pedido.sinal,
    recebidoEm: pedido.recebidoEm,
    chamador: pedido.chamador,
    depois: pedido.depois,
  };
  return respostaDoAtendimento(await atenderModelo(pedidoModelo));
};
