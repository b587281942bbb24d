import { rota } from "@/lib/http/rota";
import { obterEstatisticas } from "@/lib/provedores";

export const GET = rota<{ id: string }>(async (request, { id }) => {
  const periodo = new URL(request.url).searchParams.get("periodo") ?? undefined;
  return Response.json(await obterEstatisticas(id, periodo));
});
