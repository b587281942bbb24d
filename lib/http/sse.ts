const codificador = new TextEncoder();

/** One Server-Sent Events frame; with `evento`, a named event (`event: …`), else a plain `data:` line. */
export function quadroSSE(dados: string, evento?: string): Uint8Array {
  return codificador.encode(`${evento ? `event: ${evento}\n` : ""}data: ${dados}\n\n`);
}

/** What every stream this app sends carries: no caching, no buffering by a proxy in front. */
export const CABECALHOS_SSE = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;
