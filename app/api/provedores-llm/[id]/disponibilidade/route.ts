import { rota } from "@/lib/http/rota";
import { obterDisponibilidade } from "@/lib/provedores";

export const GET = rota<{ id: string }>(async (_request, { id }) => Response.json(await obterDisponibilidade(id)));
