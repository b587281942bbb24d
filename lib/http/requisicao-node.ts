import type { IncomingMessage, ServerResponse } from "node:http";
import { abrirStreamRequisicao, enviarRequisicao } from "../provedores";
import { lerJsonDeNode, LIMITE_REQUISICAO_LLM_BYTES } from "./corpo";
import { enviarErro, enviarJson, enviarStream } from "./node";
import { CABECALHOS_SSE } from "./sse";

/**
 * POST /api/provedores-llm/{id}/requisicao on Node's own request and response: the hot path programs call for
 * every prompt. Mounted by the Pages API route (every deployment) and, under `npm start`, straight on the
 * HTTP server (servidor.ts), ahead of Next's router.
 */
export async function atenderRequisicaoLLM(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    return enviarJson(res, 405, { erro: { codigo: "validacao", mensagem: "Use POST para enviar uma requisição ao provedor." } });
  }
  // The caller leaving (closed page, stop button, dropped connection) cancels the upstream request.
  const cancelar = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) cancelar.abort();
  });
  // Statistics are written once the answer is sent; the handler waits for them only after that.
  const depois: Promise<void>[] = [];
  const opcoes = { signal: cancelar.signal, depois: (tarefa: () => Promise<void>) => void depois.push(Promise.resolve().then(tarefa)) };
  try {
    const corpo = await lerJsonDeNode(req, LIMITE_REQUISICAO_LLM_BYTES);
    if ((corpo as { stream?: unknown } | null)?.stream === true) {
      const stream = await abrirStreamRequisicao(id, corpo, opcoes);
      // However the writing ended (even before the first frame), the stream is settled and recorded once.
      await enviarStream(res, stream.quadros, CABECALHOS_SSE).finally(stream.descartar);
    } else {
      enviarJson(res, 200, await enviarRequisicao(id, corpo, opcoes));
    }
  } catch (erro) {
    enviarErro(res, erro);
  }
  await Promise.all(depois);
}
