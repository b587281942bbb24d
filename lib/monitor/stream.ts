import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { quadroSSE, streamDeEventos } from "../protocolo/sse";
import { ouvir } from "./eventos";

/**
 * The monitor, live: `estado` at once (every provider's status), then `status` on each change and
 * `modelos` when the loaded models change. Until the client leaves.
 */
export async function eventosDoMonitor(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const linhas = await db()
    .select({ provedor_id: provedoresLlm.id, status: provedoresLlm.status, falhas_seguidas: provedoresLlm.falhas_seguidas })
    .from(provedoresLlm);
  return streamDeEventos(signal, (enviar) => {
    enviar(quadroSSE(JSON.stringify({ provedores: linhas }), "estado"));
    return ouvir((e) => enviar(quadroSSE(JSON.stringify(e), e.tipo)));
  });
}
