import { ErroApp, erroNoFormatoOpenAI, statusDoServidorParaOChamador } from "../errors";
import { bytesSSE, textoSSE } from "../protocolo/sse";
import type { EventoModelo } from "../gateway/pedido";

/**
 * The error as the OpenAI door shows it, in its JSON answers and its stream's error frames alike: a 4xx from the
 * server (a bad parameter) is the caller's to fix, and OpenAI's SDKs expect it as a 400 `validacao`.
 */
export function paraChamadorOpenAI(erro: ErroApp): ErroApp {
  return statusDoServidorParaOChamador(erro) !== null ? new ErroApp("validacao", erro.message) : erro;
}

/**
 * OpenAI's SSE framing of the relayed events: each chunk as the server sent it (`data: {chunk}`), `data: [DONE]`
 * at the end, an error as OpenAI's error object (which the SDKs raise). One write's events in one frame text.
 */
export function quadrosOpenAI(eventos: readonly EventoModelo[]): Uint8Array {
  let texto = "";
  for (const e of eventos) {
    if (e.tipo === "chunk") texto += textoSSE(e.dados);
    else if (e.tipo === "fim") texto += textoSSE("[DONE]");
    else if (e.tipo === "erro") texto += textoSSE(JSON.stringify(erroNoFormatoOpenAI(paraChamadorOpenAI(e.erro))));
    else texto += textoSSE(JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: e.conteudo } }] }));
  }
  return bytesSSE(texto);
}
