import { rota } from "@/lib/http/rota";
import { testarConexao } from "@/lib/provedores";

export const POST = rota<{ id: string }>(async (request, { id }) => Response.json(await testarConexao(id, request.signal)));
