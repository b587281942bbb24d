import { atenderModelo } from "../gateway/atender";
import type { EventoModelo } from "../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../protocolo/corpo";
import { CABECALHOS_SSE, quadroSSE } from "../protocolo/sse";
import { lerId } from "../provedores/linha-do-provedor";
import { RequisicaoLLM } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { cabecalhoDaFila } from "./resposta-do-atendimento";
import { respostaJson } from "./resposta-json";
import type { Manipulador } from "./troca";

/** The contract's own SSE events, one per write: `event: delta|fim|erro`. */
export function quadrosRequisicao(eventos: readonly EventoModelo[]): Uint8Array {
  const e = eventos[0]!;
  if (e.tipo === "delta") return quadroSSE(JSON.stringify({ conteudo: e.conteudo }), "delta");
  if (e.tipo === "fim") return quadroSSE(JSON.stringify(e.resposta), "fim");
  if (e.tipo === "erro") return quadroSSE(JSON.stringify({ codigo: e.erro.codigo, mensagem: e.erro.message }), "erro");
  return quadroSSE(e.dados);
}

/**
 * POST /api/provedores-llm/{id}/requisicao: the hot path programs call for every prompt. The body (RequisicaoLLM)
 * is parsed into the pipeline's request with the path's provider pinned, and answered whole (RespostaLLM) or as
 * the contract's SSE events (`delta`, `fim`, `erro`); a stream starts only once the server sent its first piece,
 * so a server that is down is still a plain error. Errors go out in the contract's shape.
 */
export const enviarAoProvedor: Manipulador = async (pedido) => {
  const corpo = await pedido.json(LIMITE_REQUISICAO_LLM_BYTES);
  const id = lerId(pedido.params.id!);
  const req = validar(RequisicaoLLM, corpo);
  const r = await atenderModelo({
    porta: "requisicao",
    modelo: req.modelo ?? null,
    provedorId: id,
    stream: req.stream,
    entrada: { formato: "mensagens", mensagens: req.mensagens, configuracao: req.configuracao, enquadrar: quadrosRequisicao },
    sinal: pedido.sinal,
    recebidoEm: pedido.recebidoEm,
    chamador: pedido.chamador,
    depois: pedido.depois,
  });
  if (r.tipo === "stream") {
    // However the writing ended (even before the first frame), the stream is settled and recorded once.
    return {
      status: 200,
      cabecalhos: { ...CABECALHOS_SSE, ...cabecalhoDaFila(r), ...r.cabecalhos },
      corpo: r.quadros,
      aoTerminar: r.descartar,
    };
  }
  // A chat in messages is answered normalised: a RespostaLLM.
  return respostaJson(200, r.tipo === "resposta" ? r.resposta : null, { ...cabecalhoDaFila(r), ...r.cabecalhos });
};
