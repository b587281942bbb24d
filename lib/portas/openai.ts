import type { RotaOpenAI } from "../adapters";
import { cabecalhosDoErro, type ErroApp, erroNoFormatoOpenAI } from "../errors";
import { encaminharOpenAI, listarModelosOpenAI } from "../gateway";
import type { ResultadoGateway } from "../gateway/encaminhar";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../protocolo/corpo";
import { CABECALHOS_SSE } from "../protocolo/sse";
import { respostaJson } from "./resposta-json";
import type { Manipulador, Porta, Resposta } from "./troca";

/** The paths of the OpenAI-compatible door, in the order its 404 names them. */
export const ROTAS_OPENAI = ["/v1/models", "/v1/chat/completions", "/v1/completions", "/v1/embeddings"] as const;

/** OpenAI's error shape (`{error:{message,type,param,code}}`), which its SDKs turn into their own error classes. */
export const PORTA_OPENAI: Porta = {
  nome: "openai",
  formatoDeErro: (erro: ErroApp) => respostaJson(erro.status, erroNoFormatoOpenAI(erro), cabecalhosDoErro(erro)),
  rotaInexistente: (caminho) => {
    const nomes = ROTAS_OPENAI.join(", ").replace(/, ([^,]+)$/, " ou $1");
    return `Rota ${caminho} não existe. Use ${nomes}.`;
  },
};

/** Who served the answer and what the app added, on every answer (names may hold any character: encoded). */
function cabecalhosDoAtendimento(r: ResultadoGateway, tipo: Readonly<Record<string, string>>): Record<string, string> {
  return {
    ...tipo,
    "x-provedor-id": String(r.provedor.id),
    "x-provedor-nome": encodeURIComponent(r.provedor.nome),
    "x-provedores-llm-overhead-ms": r.overheadMs.toFixed(1),
  };
}

const TIPO_JSON = { "content-type": "application/json" } as const;

/** GET /v1/models: every model some active provider serves. */
export const listarModelos: Manipulador = async () => respostaJson(200, await listarModelosOpenAI());

/**
 * POST /v1/chat/completions, /v1/completions, /v1/embeddings: routed to the providers that have the model.
 * The statistics writes are handed to the front door, which waits for them once the answer is out.
 */
export function chamarOpenAI(rota: RotaOpenAI): Manipulador {
  return async (pedido): Promise<Resposta> => {
    const gravacoes: Promise<void>[] = [];
    // Read when the answer is over: a stream's last record is written as it ends, after this returns.
    const esperarGravacoes = () => pedido.depois(Promise.all(gravacoes).then(() => undefined));
    let r: ResultadoGateway;
    try {
      const corpo = await pedido.json(LIMITE_REQUISICAO_LLM_BYTES);
      r = await encaminharOpenAI({ rota, corpo, signal: pedido.sinal, recebidoEm: pedido.recebidoEm, gravacoes });
    } catch (e) {
      esperarGravacoes();
      throw e;
    }
    if (r.tipo === "json") {
      return { status: 200, cabecalhos: cabecalhosDoAtendimento(r, TIPO_JSON), corpo: r.texto, aoTerminar: esperarGravacoes };
    }
    const stream = r;
    return {
      status: 200,
      cabecalhos: cabecalhosDoAtendimento(stream, CABECALHOS_SSE),
      corpo: stream.stream,
      // However the writing ended (even before the stream's first frame), the attempt is settled once.
      aoTerminar: () => {
        stream.descartar();
        esperarGravacoes();
      },
    };
  };
}
