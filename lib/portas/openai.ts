import type { RotaOpenAI } from "../adapters";
import { cabecalhosDoErro, type ErroApp, erroNoFormatoOpenAI } from "../errors";
import { atenderModelo } from "../gateway/atender";
import type { ProvedorRoteavel } from "../gateway/catalogo";
import { listarModelosOpenAI } from "../gateway/listar-modelos";
import { dialetoOpenAI } from "../gateway/dialetos/openai";
import type { PedidoModelo, PlanoDeChamada } from "../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../protocolo/corpo";
import { CABECALHOS_SSE } from "../protocolo/sse";
import { CorpoChatOpenAI, CorpoCompletionOpenAI, CorpoEmbeddingsOpenAI } from "../schemas/corpos-openai";
import { validar } from "../schemas/validar";
import { paraChamadorOpenAI, quadrosOpenAI } from "./quadros-openai";
import { respostaJson } from "./resposta-json";
import type { Manipulador, Porta, Resposta } from "./troca";

/** The paths of the OpenAI-compatible door, in the order its 404 names them. */
export const ROTAS_OPENAI = ["/v1/models", "/v1/chat/completions", "/v1/completions", "/v1/embeddings"] as const;

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

/** Who served the answer and what the app added, on every answer (names may hold any character: encoded). */
export function cabecalhosDoAtendimento(
  provedor: ProvedorRoteavel,
  overheadMs: number,
  tipo: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...tipo,
    "x-provedor-id": String(provedor.id),
    "x-provedor-nome": encodeURIComponent(provedor.nome),
    "x-provedores-llm-overhead-ms": overheadMs.toFixed(1),
  };
}

const TIPO_JSON = { "content-type": "application/json" } as const;

/** GET /v1/models: every model some active provider serves. */
export const listarModelos: Manipulador = async () => respostaJson(200, await listarModelosOpenAI());

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
      depois: pedido.depois,
    };
    const r = await atenderModelo(pedidoModelo);
    if (r.tipo === "stream") {
      return {
        status: 200,
        cabecalhos: cabecalhosDoAtendimento(r.provedor, r.overheadMs, CABECALHOS_SSE),
        corpo: r.quadros,
        // However the writing ended (even before the stream's first frame), the attempt is settled once.
        aoTerminar: r.descartar,
      };
    }
    const texto = r.tipo === "texto" ? r.texto : JSON.stringify(r.resposta);
    return { status: 200, cabecalhos: cabecalhosDoAtendimento(r.provedor, r.overheadMs, TIPO_JSON), corpo: texto };
  };
}
