import { lerConsulta } from "@/lib/http/consulta";
import { rota } from "@/lib/http/rota";
import { descobrirServidores } from "@/lib/provedores";

// `portas` and `hosts` may repeat: every value counts, not only the last.
export const GET = rota(async (request) => Response.json(await descobrirServidores(lerConsulta(request.url))));
