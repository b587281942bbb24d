import type { IncomingMessage } from "node:http";

/** The body passed the caller's limit: nothing more is read or kept (the caller drops or cuts the rest). */
export class PassouDoLimite extends Error {}
/** The connection closed before the body's end. */
export class Interrompido extends Error {}

/**
 * Every byte of an HTTP message body (a request the app receives, an answer it reads from a server), read
 * with the stream's events: an async iterator per message costs the hot paths several times more.
 */
export function juntarBytes(mensagem: IncomingMessage, limite: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const partes: Buffer[] = [];
    let total = 0;
    const acabar = (e: unknown) => {
      mensagem.off("data", aoDados).off("end", aoFim).off("error", acabar).off("close", aoFechar);
      if (e === null) resolve(Buffer.concat(partes, total));
      else reject(e);
    };
    const aoDados = (p: Buffer) => {
      total += p.byteLength;
      if (total > limite) acabar(new PassouDoLimite());
      else partes.push(p);
    };
    const aoFim = () => acabar(mensagem.complete ? null : new Interrompido());
    const aoFechar = () => acabar(new Interrompido());
    if (mensagem.readableEnded) return acabar(mensagem.complete ? null : new Interrompido());
    if (mensagem.destroyed) return aoFechar();
    mensagem.on("data", aoDados).on("end", aoFim).on("error", acabar).on("close", aoFechar);
  });
}
