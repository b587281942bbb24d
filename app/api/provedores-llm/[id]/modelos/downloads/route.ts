import { lerCorpoJson } from "@/lib/http/corpo";
import { rota } from "@/lib/http/rota";
import { iniciarDownload, listarDownloads } from "@/lib/provedores";

export const GET = rota<{ id: string }>(async (_request, { id }) => Response.json({ downloads: await listarDownloads(id) }));

/** 202: the download runs in the app's process; the same model already downloading answers with that one. */
export const POST = rota<{ id: string }>(async (request, { id }) => {
  const download = await iniciarDownload(id, await lerCorpoJson(request));
  return Response.json(download, {
    status: 202,
    headers: { Location: `/api/provedores-llm/${download.provedor_id}/modelos/downloads/${download.id}` },
  });
});
