import { CABECALHOS_SSE } from "@/lib/http/sse";
import { rota } from "@/lib/http/rota";
import { eventosDoDownload } from "@/lib/provedores";

/** SSE: `progresso` with the download now and on each change, then `fim` with how it ended. */
export const GET = rota<{ id: string; downloadId: string }>(
  async (request, { id, downloadId }) => new Response(await eventosDoDownload(id, downloadId, request.signal), { headers: CABECALHOS_SSE }),
);
