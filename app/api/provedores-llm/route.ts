import { lerConsulta } from "@/lib/http/consulta";
import { lerCorpoJson } from "@/lib/http/corpo";
import { rota } from "@/lib/http/rota";
import { criarProvedor, listarProvedores } from "@/lib/provedores";

export const GET = rota(async (request) => {
  return Response.json(await listarProvedores(lerConsulta(request.url)));
});

export const POST = rota(async (request) => {
  const provedor = await criarProvedor(await lerCorpoJson(request));
  return Response.json(provedor, {
    status: 201,
    headers: { Location: `/api/provedores-llm/${provedor.id}` },
  });
});
