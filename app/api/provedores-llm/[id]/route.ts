import { lerCorpoJson } from "@/lib/http/corpo";
import { rota } from "@/lib/http/rota";
import { atualizarProvedor, excluirProvedor, obterProvedor } from "@/lib/provedores";

type Params = { id: string };

export const GET = rota<Params>(async (_request, { id }) => Response.json(await obterProvedor(id)));

export const PUT = rota<Params>(async (request, { id }) => Response.json(await atualizarProvedor(id, await lerCorpoJson(request))));

export const DELETE = rota<Params>(async (_request, { id }) => {
  await excluirProvedor(id);
  return new Response(null, { status: 204 });
});
