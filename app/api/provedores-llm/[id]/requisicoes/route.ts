import { rota } from "@/lib/http/rota";
import { listarRequisicoesRecentes } from "@/lib/provedores";

export const GET = rota<{ id: string }>(async (request, { id }) => {
  const busca = new URL(request.url).searchParams;
  return Response.json(await listarRequisicoesRecentes(id, Object.fromEntries(busca)));
});
