import type { ProvedorRoteavel } from "../gateway/catalogo";
import type { ResultadoModelo } from "../gateway/pedido";
import { CABECALHOS_SSE } from "../protocolo/sse";
import type { Resposta } from "./troca";

/** Who served the answer and what the app added, on every answer (names may hold any character: encoded). */
function cabecalhosDoAtendimento(
  provedor: ProvedorRoteavel,
  overheadMs: number,
  tipo: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...tipo,
    "x-provedor-id": String(provedor.id),
    "x-provedor-nome": encodeURIComponent(provedor.nome),
    "x-provedores-llm-overhead-ms": overheadMs.toFixed(1),
  };
}

const TIPO_JSON = { "content-type": "application/json" } as const;

/**
 * A relayed door's answer: the stream (SSE, or the door's own framing: Ollama's NDJSON) settled once however its
 * writing ends, or the whole JSON text.
 */
export function respostaDoAtendimento(r: ResultadoModelo, tipoDoStream: Readonly<Record<string, string>> = CABECALHOS_SSE): Resposta {
  if (r.tipo === "stream") {
    return {
      status: 200,
      cabecalhos: cabecalhosDoAtendimento(r.provedor, r.overheadMs, tipoDoStream),
      corpo: r.quadros,
      // However the writing ended (even before the stream's first frame), the attempt is settled once.
      aoTerminar: r.descartar,
    };
  }
  const texto = r.tipo === "texto" ? r.texto : JSON.stringify(r.resposta);
  return { status: 200, cabecalhos: cabecalhosDoAtendimento(r.provedor, r.overheadMs, TIPO_JSON), corpo: texto };
}
