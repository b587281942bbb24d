import type { NextApiRequest, NextApiResponse } from "next";
import { lerJsonDe, LIMITE_REQUISICAO_LLM_BYTES } from "@/lib/http/corpo";
import { enviarErro, enviarJson, enviarStream } from "@/lib/http/node";
import { abrirStreamRequisicao, enviarRequisicao } from "@/lib/provedores";

// POST /api/provedores-llm/{id}/requisicao — the hot path that programs call for every prompt.
// It lives in a Pages API route, which works on Node's request and response directly: `npm run bench`
// measured it at about half the added latency and 1.5× the throughput of an App Router handler.
// Same contract, same service, same error mapping as the route handlers in app/api.

export const config = { api: { bodyParser: false, responseLimit: false } };

export default async function requisicao(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    return enviarJson(res, 405, { erro: { codigo: "validacao", mensagem: "Use POST para enviar uma requisição ao provedor." } });
  }
  // The caller leaving (closed page, stop button, dropped connection) cancels the upstream request.
  const cancelar = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) cancelar.abort();
  });
  // Statistics are written once the answer is sent; the function waits for them only after that.
  const depois: Promise<void>[] = [];
  const opcoes = { signal: cancelar.signal, depois: (tarefa: () => Promise<void>) => void depois.push(Promise.resolve().then(tarefa)) };
  try {
    const corpo = await lerJsonDe(req, req.headers["content-length"], LIMITE_REQUISICAO_LLM_BYTES);
    const id = String(req.query.id);
    if ((corpo as { stream?: unknown } | null)?.stream === true) {
      const stream = await abrirStreamRequisicao(id, corpo, opcoes);
      await enviarStream(res, stream, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      });
    } else {
      enviarJson(res, 200, await enviarRequisicao(id, corpo, opcoes));
    }
  } catch (erro) {
    enviarErro(res, erro);
  }
  await Promise.all(depois);
}
