import { rota } from "@/lib/http/rota";
import { listarModelosProvedor } from "@/lib/provedores";

export const GET = rota<{ id: string }>(async (request, { id }) => {
  const atualizar = new URL(request.url).searchParams.get("atualizar") === "true";
  return Response.json(await listarModelosProvedor(id, atualizar, request.signal));
});
