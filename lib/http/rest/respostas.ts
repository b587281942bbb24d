import type { Resposta } from "../../portas/troca";
import { CABECALHOS_SSE } from "../../protocolo/sse";

export { respostaJson } from "../../portas/resposta-json";

/** 204, no body (a deletion). */
export const SEM_CONTEUDO: Resposta = Object.freeze({ status: 204, corpo: null });

/**
 * An SSE answer from a stream of events (lib/protocolo/sse.ts `streamDeEventos`): the front door writes its frames
 * with backpressure. The client leaving (`sinal`) or the end of the writing, however it came, cancels the
 * stream: its subscription and heartbeat stop, and a read still waiting for the next event ends, so the
 * writer is not left waiting for an event nobody will read.
 */
export function respostaSSE(stream: ReadableStream<Uint8Array>, sinal: AbortSignal): Resposta {
  const leitor = stream.getReader();
  let terminado = false;
  const terminar = () => {
    if (terminado) return;
    terminado = true;
    sinal.removeEventListener("abort", terminar);
    leitor.cancel().catch(() => {});
  };
  sinal.addEventListener("abort", terminar, { once: true });
  if (sinal.aborted) terminar();
  async function* quadros(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const { done, value } = await leitor.read();
        if (done) return;
        yield value;
      }
    } finally {
      terminar();
    }
  }
  return { status: 200, cabecalhos: CABECALHOS_SSE, corpo: quadros(), aoTerminar: terminar };
}
