import { after } from "next/server";
import { atenderWeb } from "@/lib/http/adaptador-web";

// Every /api path (the REST contract, `…/{id}/requisicao`, metrics, OpenAPI, cron) through the one route table
// (lib/http/rotas.ts); under `npm start` servidor.ts answers them before Next, with the same table.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const atender = (request: Request) => atenderWeb(request, after);

export { atender as DELETE, atender as GET, atender as HEAD, atender as OPTIONS, atender as PATCH, atender as POST, atender as PUT };
