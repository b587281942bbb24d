import { rota } from "@/lib/http/rota";
import { documentoOpenAPI } from "@/lib/openapi/documento";

export const GET = rota(async () => Response.json(documentoOpenAPI()));
