import { rota } from "@/lib/http/rota";
import { listarProvedoresAtivos } from "@/lib/provedores";

export const GET = rota(async () => Response.json(await listarProvedoresAtivos()));
