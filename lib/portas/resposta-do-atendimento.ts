import type { ResultadoModelo } from "../gateway/pedido";
import { CABECALHOS_SSE } from "../protocolo/sse";
import type { Resposta } from "./troca";

/** Who served the answer and what the app added, on every answer (names may hold any character: encoded). */
function cabecalhosDoAtendimento(r: ResultadoModelo, tipo: Readonly<Record<string, string>>): Record<string, string> {
  // Object.assign, not spreads: a spread followed by more dashed names costs microseconds per answer (more with a
  // limited key's six rate-limit headers); the keys and their order are the same.
  return Object.assign(
    {},
    tipo,
    {
      "x-provedor-id": String(r.provedor.id),
      "x-provedor-nome": encodeURIComponent(r.provedor.nome),
      "x-provedores-llm-overhead-ms": r.overheadMs.toFixed(1),
      "x-provedores-llm-fila-ms": r.filaMs.toFixed(1),
    },
    // A limited key's OpenAI rate-limit headers (none for the admin or a key without limits).
    r.cabecalhos,
  );
}

/** The wait in the provider's queue, for a door that writes its own headers (the contract's `…/requisicao`). */
export const cabecalhoDaFila = (r: ResultadoModelo): Record<string, string> => ({ "x-provedores-llm-fila-ms": r.filaMs.toFixed(1) });

const TIPO_JSON = { "content-type": "application/json" } as const;

/**
 * A relayed door's answer: the stream (SSE, or the door's own framing: Ollama's NDJSON) settled once however its
 * writing ends, or the whole JSON text.
 */
export function respostaDoAtendimento(r: ResultadoModelo, tipoDoStream: Readonly<Record<string, string>> = CABECALHOS_SSE): Resposta {
  if (r.tipo === "stream") {
    return {
      status: 200,
      cabecalhos: cabecalhosDoAtendimento(r, tipoDoStream),
      corpo: r.quadros,
      // However the writing ended (even before the stream's first frame), the attempt is settled once.
      aoTerminar: r.descartar,
    };
  }
  const texto = r.tipo === "texto" ? r.texto : JSON.stringify(r.resposta);
  return { status: 200, cabecalhos: cabecalhosDoAtendimento(r, TIPO_JSON), corpo: texto };
}
