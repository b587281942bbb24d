import { type ErroApp, erroNoFormatoOpenAI } from "../../errors";
import { textoSSE } from "../../protocolo/sse";
import { paraChamadorOpenAI } from "../quadros-openai";

/** One Responses event as OpenAI frames it: `event: <type>` and its JSON, which carries the type too. */
export function textoDoEvento(tipo: string, sequencia: number, campos: Record<string, unknown>): string {
  return textoSSE(JSON.stringify({ type: tipo, sequence_number: sequencia, ...campos }), tipo);
}

/**
 * A failure after the first byte, as OpenAI's `error` event: the fields at the top level (as its reference
 * documents them) and nested in `error` (as its API sends them, and as the SDKs read them to raise).
 */
export function textoDoErro(erro: ErroApp, sequencia: number): string {
  const e = erroNoFormatoOpenAI(paraChamadorOpenAI(erro)).error;
  return textoDoEvento("error", sequencia, { code: e.code, message: e.message, param: e.param, error: e });
}
