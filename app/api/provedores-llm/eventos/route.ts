import { CABECALHOS_SSE } from "@/lib/http/sse";
import { rota } from "@/lib/http/rota";
import { eventosDoMonitor } from "@/lib/monitor/stream";

/** SSE: `estado` (every provider's status) at once, then `status` and `modelos` as the monitor sees changes. */
export const GET = rota(async (request) => new Response(await eventosDoMonitor(request.signal), { headers: CABECALHOS_SSE }));
