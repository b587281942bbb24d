import { aoEncerrar } from "../encerramento";

const codificador = new TextEncoder();

const QUEBRA = /\r\n|\r|\n/g;

/**
 * One Server-Sent Events frame's text; with `evento`, a named event (`event: …`), else plain `data:`. Data
 * holding line breaks goes as one `data:` line per line, which a reader joins back with "\n".
 */
export function textoSSE(dados: string, evento?: string): string {
  const linhas = dados.includes("\n") || dados.includes("\r") ? dados.replace(QUEBRA, "\ndata: ") : dados;
  return `${evento ? `event: ${evento}\n` : ""}data: ${linhas}\n\n`;
}

/** One Server-Sent Events frame, or several joined by `textoSSE` into one write. */
export function quadroSSE(dados: string, evento?: string): Uint8Array {
  return bytesSSE(textoSSE(dados, evento));
}

export function bytesSSE(texto: string): Uint8Array {
  return codificador.encode(texto);
}

/** What every stream this app sends carries: no caching, no buffering by a proxy in front. */
export const CABECALHOS_SSE = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

/** Proxies close a silent connection: a comment line every so often keeps it open. */
const BATIMENTO_MS = 15_000;
const BATIMENTO = codificador.encode(": ainda aqui\n\n");

/**
 * An SSE stream fed by a subscription. `assinar(enviar, fechar)` sends what it has and returns how to stop
 * listening; it may call `fechar` to end the stream (even before it returns). A heartbeat keeps a quiet stream
 * open; the client leaving (`signal` or a cancel) stops listening, and a send to a stream already gone does too.
 * The process's shutdown ends it at once (a live page reconnects elsewhere; it must not hold the shutdown).
 */
export function streamDeEventos(
  signal: AbortSignal,
  assinar: (enviar: (quadro: Uint8Array) => void, fechar: () => void) => () => void,
): ReadableStream<Uint8Array> {
  let parar = () => {};
  return new ReadableStream<Uint8Array>({
    start(controle) {
      let parado = false;
      let deixar: (() => void) | null = null;
      let batimento: ReturnType<typeof setInterval> | undefined;
      let naoEncerrar = () => {};
      parar = () => {
        if (parado) return;
        parado = true;
        clearInterval(batimento);
        naoEncerrar();
        signal.removeEventListener("abort", parar);
        deixar?.();
      };
      const enviar = (quadro: Uint8Array) => {
        if (parado) return;
        try {
          controle.enqueue(quadro);
        } catch {
          parar();
        }
      };
      const fechar = () => {
        if (parado) return;
        parar();
        controle.close();
      };
      deixar = assinar(enviar, fechar);
      // Ended while subscribing (a download already over): stop listening at once.
      if (parado) return deixar();
      naoEncerrar = aoEncerrar(fechar);
      if (parado) return;
      batimento = setInterval(() => enviar(BATIMENTO), BATIMENTO_MS);
      signal.addEventListener("abort", parar, { once: true });
    },
    cancel: () => parar(),
  });
}
