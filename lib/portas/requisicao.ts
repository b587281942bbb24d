import { LIMITE_REQUISICAO_LLM_BYTES } from "../protocolo/corpo";
import { CABECALHOS_SSE } from "../protocolo/sse";
import { abrirStreamRequisicao, enviarRequisicao } from "../provedores";
import { respostaJson } from "./resposta-json";
import type { Manipulador } from "./troca";

/**
 * POST /api/provedores-llm/{id}/requisicao: the hot path programs call for every prompt, answered whole or
 * as the contract's own SSE events (`delta`, `fim`, `erro`). Errors go out in the contract's shape.
 */
export const enviarAoProvedor: Manipulador = async (pedido) => {
  const opcoes = {
    signal: pedido.sinal,
    // Statistics are written once the answer is sent; the front door waits for them only after that.
    depois: (tarefa: () => Promise<void>) => pedido.depois(Promise.resolve().then(tarefa)),
  };
  const corpo = await pedido.json(LIMITE_REQUISICAO_LLM_BYTES);
  const id = pedido.params.id!;
  if ((corpo as { stream?: unknown } | null)?.stream !== true) return respostaJson(200, await enviarRequisicao(id, corpo, opcoes));
  const stream = await abrirStreamRequisicao(id, corpo, opcoes);
  // However the writing ended (even before the first frame), the stream is settled and recorded once.
  return { status: 200, cabecalhos: CABECALHOS_SSE, corpo: stream.quadros, aoTerminar: stream.descartar };
};
