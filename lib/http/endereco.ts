import { doProcesso } from "../unico-por-processo";

/** Set by servidor.ts (`npm start`), which overwrites X-Forwarded-For with the socket's address before Next sees a page. */
const soquete = doProcesso("enderecoDoSoquete", () => ({ informado: false }));

/** servidor.ts says that X-Forwarded-For is its own (the socket's address), never the client's. */
export function informarEnderecoDoSoquete(): void {
  soquete.informado = true;
}

/**
 * The client's address, for the login throttle, as the Web side (Next's proxy, the App Router shells) can
 * know it. Under `npm start` servidor.ts has put the socket's address in X-Forwarded-For. On Vercel the
 * platform sets x-vercel-forwarded-for (and x-real-ip) from the connection, over whatever the client sent.
 * Next's own server (`next start`, `next dev`) fills X-Forwarded-For only when the client sent none, so there
 * it is the client's claim: every client shares one key instead, and the throttle still trips.
 */
export function enderecoDoCliente(cabecalho: (nome: string) => string | null): string {
  const confiavel = soquete.informado
    ? cabecalho("x-forwarded-for")
    : process.env.VERCEL
      ? (cabecalho("x-vercel-forwarded-for") ?? cabecalho("x-real-ip"))
      : null;
  return confiavel?.split(",")[0]?.trim() || "desconhecido";
}
