import { erroNoFormatoOpenAI } from "../errors";
import { bytesSSE, textoSSE } from "../protocolo/sse";
import type { EventoModelo } from "../gateway/pedido";

/**
 * OpenAI's SSE framing of the relayed events: each chunk as the server sent it (`data: {chunk}`), `data: [DONE]`
 * at the end, an error as OpenAI's error object (which the SDKs raise). One write's events in one frame text.
 */
export function quadrosOpenAI(eventos: readonly EventoModelo[]): Uint8Array {
  let texto = "";
  for (const e of eventos) {
    if (e.tipo === "chunk") texto += textoSSE(e.dados);
    else if (e.tipo === "fim") texto += textoSSE("[DONE]");
    else if (e.tipo === "erro") texto += textoSSE(JSON.stringify(erroNoFormatoOpenAI(e.erro)));
    else texto += textoSSE(JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: e.conteudo } }] }));
  }
  return bytesSSE(texto);
}
