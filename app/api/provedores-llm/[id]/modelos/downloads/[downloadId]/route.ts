import { rota } from "@/lib/http/rota";
import { cancelarDownload, obterDownload } from "@/lib/provedores";

export const GET = rota<{ id: string; downloadId: string }>(async (_request, { id, downloadId }) =>
  Response.json(await obterDownload(id, downloadId)),
);

export const DELETE = rota<{ id: string; downloadId: string }>(async (_request, { id, downloadId }) =>
  Response.json(await cancelarDownload(id, downloadId)),
);
