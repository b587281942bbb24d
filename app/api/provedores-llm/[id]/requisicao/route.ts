import { after } from "next/server";
import { lerCorpoJson, LIMITE_REQUISICAO_LLM_BYTES } from "@/lib/http/corpo";
import { rota } from "@/lib/http/rota";
import { abrirStreamRequisicao, enviarRequisicao } from "@/lib/provedores";

export const POST = rota<{ id: string }>(async (request, { id }) => {
  const corpo = await lerCorpoJson(request, LIMITE_REQUISICAO_LLM_BYTES);
  // Statistics are written after the answer is sent: they never add latency.
  const opcoes = { signal: request.signal, depois: after };
  if ((corpo as { stream?: unknown } | null)?.stream === true) {
    const stream = await abrirStreamRequisicao(id, corpo, opcoes);
    return new Response(stream, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
    });
  }
  return Response.json(await enviarRequisicao(id, corpo, opcoes));
});
