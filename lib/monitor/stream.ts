import "server-only";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { quadroSSE, streamDeEventos } from "../protocolo/sse";
import { acompanhamentoDe } from "../saude/estado";
import { ouvir } from "../saude/eventos";

/**
 * The monitor, live: `estado` at once (every provider's status), then `status` on each change and
 * `modelos` when the loaded models change. Until the client leaves.
 */
export async function eventosDoMonitor(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const linhas = await db()
    .select({ provedor_id: provedoresLlm.id, status: provedoresLlm.status, falhas_seguidas: provedoresLlm.falhas_seguidas })
    .from(provedoresLlm);
  // The health store's status where it follows the provider: newer than a row whose write still waits.
  const provedores = linhas.map((l) => {
    const s = acompanhamentoDe(l.provedor_id);
    return s ? { ...l, status: s.status, falhas_seguidas: s.falhas_seguidas } : l;
  });
  return streamDeEventos(signal, (enviar) => {
    enviar(quadroSSE(JSON.stringify({ provedores }), "estado"));
    return ouvir((e) => enviar(quadroSSE(JSON.stringify(e), e.tipo)));
  });
}
