import "server-only";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { type EstadoDaFila, estadoDasFilas, ouvirFilas } from "../fila";
import { quadroSSE, streamDeEventos } from "../protocolo/sse";
import { acompanhamentoDe } from "../saude/estado";
import { type EventoFila, ouvir } from "../saude/eventos";

/** What the live pages hear of a queue: its counts, not the models it believes loaded. */
const eventoFila = (e: EstadoDaFila): EventoFila => ({
  tipo: "fila",
  provedor_id: e.provedor_id,
  em_voo: e.em_voo,
  na_fila: e.na_fila,
  limite: e.limite,
  fila_max: e.fila_max,
  por_modelo: e.por_modelo,
});

/**
 * The monitor, live: `estado` at once (every provider's status) and `fila` for each queue of this instance,
 * then `status` on each change, `modelos` when the loaded models change and `fila` when a queue's counts do.
 * Until the client leaves.
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
    const deixarMonitor = ouvir((e) => enviar(quadroSSE(JSON.stringify(e), e.tipo)));
    // Listening first, then the snapshot: a change in between is sent after it, never lost before it.
    const deixarFilas = ouvirFilas((e) => enviar(quadroSSE(JSON.stringify(eventoFila(e)), "fila")));
    for (const e of estadoDasFilas()) enviar(quadroSSE(JSON.stringify(eventoFila(e)), "fila"));
    return () => {
      deixarMonitor();
      deixarFilas();
    };
  });
}
