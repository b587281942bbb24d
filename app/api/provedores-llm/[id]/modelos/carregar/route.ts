import { lerCorpoJson } from "@/lib/http/corpo";
import { rota } from "@/lib/http/rota";
import { carregarModelo } from "@/lib/provedores";

export const POST = rota<{ id: string }>(async (request, { id }) =>
  Response.json(await carregarModelo(id, await lerCorpoJson(request), request.signal)),
);
