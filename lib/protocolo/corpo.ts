import type { IncomingMessage } from "node:http";
import { ErroApp } from "../errors";
import { Interrompido, juntarBytes, PassouDoLimite } from "./bytes";

const LIMITE_CORPO_BYTES = 256 * 1024;
/** Chat requests carry whole conversations. */
export const LIMITE_REQUISICAO_LLM_BYTES = 8 * 1024 * 1024;

/** Reads a JSON body, refusing oversize or malformed input with the contract's errors. */
export async function lerCorpoJson(request: Request, limite = LIMITE_CORPO_BYTES): Promise<unknown> {
  if (Number(request.headers.get("content-length") ?? "0") > limite) throw erroGrande(limite);
  const partes: Uint8Array[] = [];
  let total = 0;
  // Node's web streams are async iterable; the DOM typings do not say so.
  for await (const parte of (request.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
    total += parte.byteLength;
    if (total > limite) throw erroGrande(limite);
    partes.push(parte);
  }
  return jsonDoCorpo(Buffer.concat(partes));
}

/**
 * The same, from a Node request (the hot paths), read with its events: an async iterator per request
 * costs several times more. Past the limit nothing more is kept; the rest is read and dropped, so the
 * client, which is usually still sending, gets the 413 instead of a broken connection.
 */
export async function lerJsonDeNode(req: IncomingMessage, limite = LIMITE_CORPO_BYTES): Promise<unknown> {
  try {
    if (Number(req.headers["content-length"] ?? "0") > limite) throw new PassouDoLimite();
    return jsonDoCorpo(await juntarBytes(req, limite));
  } catch (e) {
    if (e instanceof PassouDoLimite) {
      req.resume();
      throw erroGrande(limite);
    }
    if (e instanceof Interrompido) throw new ErroApp("cancelado", "A requisição foi cancelada por quem a fez.");
    throw e;
  }
}

function jsonDoCorpo(bytes: Buffer): unknown {
  const texto = bytes.toString("utf8");
  if (!texto.trim()) throw new ErroApp("json_invalido", "O corpo da requisição está vazio: envie um objeto JSON.");
  try {
    return JSON.parse(texto);
  } catch {
    throw new ErroApp("json_invalido", "O corpo não é um JSON válido: confira aspas, vírgulas e chaves.");
  }
}

function erroGrande(limite: number): ErroApp {
  return new ErroApp("corpo_muito_grande", `O corpo da requisição passa do limite de ${Math.round(limite / 1024)} KiB.`);
}
