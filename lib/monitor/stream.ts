import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { quadroSSE } from "../http/sse";
import { ouvir } from "./eventos";

const BATIMENTO_MS = 15_000;
const BATIMENTO = new TextEncoder().encode(": ainda aqui\n\n");

/**
 * The monitor, live: `estado` at once (every provider's status), then `status` on each change and
 * `modelos` when the loaded models change. Until the client leaves.
 */
export async function eventosDoMonitor(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const linhas = await db()
    .select({ provedor_id: provedoresLlm.id, status: provedoresLlm.status, falhas_seguidas: provedoresLlm.falhas_seguidas })
    .from(provedoresLlm);
  let parar = () => {};
  return new ReadableStream<Uint8Array>({
    start(controle) {
      // A client that left between an event and its abort signal must not break the announcement for the others.
      const enviar = (quadro: Uint8Array) => {
        try {
          controle.enqueue(quadro);
        } catch {
          parar();
        }
      };
      enviar(quadroSSE(JSON.stringify({ provedores: linhas }), "estado"));
      const deixar = ouvir((e) => enviar(quadroSSE(JSON.stringify(e), e.tipo)));
      const batimento = setInterval(() => enviar(BATIMENTO), BATIMENTO_MS);
      parar = () => {
        deixar();
        clearInterval(batimento);
      };
      signal.addEventListener("abort", parar, { once: true });
    },
    cancel: () => parar(),
  });
}
