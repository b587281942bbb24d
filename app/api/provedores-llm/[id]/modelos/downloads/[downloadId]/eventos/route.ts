import { rota } from "@/lib/http/rota";
import { acompanharDownload, obterDownload } from "@/lib/provedores";
import type { DownloadModelo } from "@/lib/schemas/llm";

/** Proxies close a silent connection: a comment line every so often keeps it open. */
const BATIMENTO_MS = 15_000;

/** SSE: `progresso` with the download now and on each change, then `fim` with how it ended. */
export const GET = rota<{ id: string; downloadId: string }>(async (request, { id, downloadId }) => {
  // An unknown id is a 404 in the usual shape, before any event.
  await obterDownload(id, downloadId);
  const codificar = new TextEncoder();
  let fechado = false;
  let parar = () => {};
  let batimento: ReturnType<typeof setInterval> | undefined;
  const fechar = () => {
    fechado = true;
    parar();
    clearInterval(batimento);
  };
  const corpo = new ReadableStream<Uint8Array>({
    async start(controle) {
      const enviar = (d: DownloadModelo) => {
        if (fechado) return;
        const evento = d.estado === "baixando" ? "progresso" : "fim";
        controle.enqueue(codificar.encode(`event: ${evento}\ndata: ${JSON.stringify(d)}\n\n`));
        if (evento === "fim") {
          fechar();
          controle.close();
        }
      };
      parar = await acompanharDownload(id, downloadId, enviar);
      if (fechado) return parar();
      batimento = setInterval(() => fechado || controle.enqueue(codificar.encode(": ainda baixando\n\n")), BATIMENTO_MS);
      request.signal.addEventListener("abort", fechar, { once: true });
    },
    cancel: fechar,
  });
  return new Response(corpo, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});
