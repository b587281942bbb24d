import type { RotaOpenAI } from "../adapters";
import { cabecalhosDoErro, type ErroApp, erroNoFormatoOpenAI } from "../errors";
import { atenderModelo } from "../gateway/atender";
import { listarModelosOpenAI } from "../gateway/listar-modelos";
import { dialetoOpenAI } from "../gateway/dialetos/openai";
import type { PedidoModelo, PlanoDeChamada } from "../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../protocolo/corpo";
import { CorpoChatOpenAI, CorpoCompletionOpenAI, CorpoEmbeddingsOpenAI } from "../schemas/corpos-openai";
import { validar } from "../schemas/validar";
import { paraChamadorOpenAI, quadrosOpenAI } from "./quadros-openai";
import { respostaDoAtendimento } from "./resposta-do-atendimento";
import { respostaJson } from "./resposta-json";
import type { Manipulador, Porta, Resposta } from "./troca";

/** The paths under /v1 (this door's, then Responses' and Anthropic's), in the order its 404 names them. */
export const ROTAS_OPENAI = [
  "/v1/models",
  "/v1/chat/completions",
  "/v1/completions",
  "/v1/embeddings",
  "/v1/responses",
  "/v1/messages",
] as const;

/** OpenAI's error shape (`{error:{message,type,param,code}}`), which its SDKs turn into their own error classes. */
export const PORTA_OPENAI: Porta = {
  nome: "openai",
  formatoDeErro: (erro: ErroApp) => {
    const e = paraChamadorOpenAI(erro);
    return respostaJson(e.status, erroNoFormatoOpenAI(e), cabecalhosDoErro(e));
  },
  rotaInexistente: (caminho) => {
    const nomes = ROTAS_OPENAI.join(", ").replace(/, ([^,]+)$/, " ou $1");
    return `Rota ${caminho} não existe. Use ${nomes}.`;
  },
};

const SCHEMAS = {
  "/v1/chat/completions": CorpoChatOpenAI,
  "/v1/completions": CorpoCompletionOpenAI,
  "/v1/embeddings": CorpoEmbeddingsOpenAI,
} as const;

/** GET /v1/models: every model some active provider serves. */
export const listarModelos: Manipulador = async (pedido) => respostaJson(200, await listarModelosOpenAI(pedido.chamador));

/**
 * POST /v1/chat/completions, /v1/completions, /v1/embeddings: the OpenAI body parsed into the pipeline's request,
 * routed to the providers that have the model, and the answer passed on as the server sent it. The statistics
 * writes are handed to the front door, which waits for them once the answer is out.
 */
export function chamarOpenAI(rota: RotaOpenAI): Manipulador {
  const schema = SCHEMAS[rota];
  return async (pedido): Promise<Resposta> => {
    const corpo = validar(schema, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
    const stream = "stream" in corpo && corpo.stream === true;
    const opcoesStream = ("stream_options" in corpo ? corpo.stream_options : null) as { include_usage?: boolean } | null | undefined;
    // The OpenAI dialect is every server's: the same plan for every candidate, the answer passed on as sent.
    const plano: PlanoDeChamada = {
      rota,
      corpo,
      dialeto: dialetoOpenAI(stream && opcoesStream?.include_usage === true),
      enquadrar: quadrosOpenAI,
    };
    const pedidoModelo: PedidoModelo = {
      porta: "openai",
      modelo: corpo.model,
      provedorId: null,
      stream,
      entrada: { formato: "passagem", planejar: () => plano },
      sinal: pedido.sinal,
      recebidoEm: pedido.recebidoEm,
      chamador: pedido.chamador,
      depois: pedido.depois,
    };
    return respostaDoAtendimento(await atenderModelo(pedidoModelo));
  };
}
