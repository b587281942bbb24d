import { rota } from "@/lib/http/rota";
import { descobrirServidores } from "@/lib/provedores";

export const GET = rota(async (request) => Response.json(await descobrirServidores(Object.fromEntries(new URL(request.url).searchParams))));
