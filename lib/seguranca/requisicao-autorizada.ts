import type { IncomingMessage } from "node:http";
import { autenticacaoLigada, bearerDe, COOKIE_SESSAO, sessaoConfere, tokenConfere } from "./autenticacao";

function cookie(cabecalho: string | undefined, nome: string): string | undefined {
  for (const parte of cabecalho?.split(";") ?? []) {
    const [chave, ...valor] = parte.trim().split("=");
    if (chave === nome) return decodeURIComponent(valor.join("="));
  }
  return undefined;
}

/** The proxy's rule for API calls, on a Node request: Bearer token or the UI's session cookie. */
export function requisicaoAutorizada(req: IncomingMessage): boolean {
  if (!autenticacaoLigada()) return true;
  return sessaoConfere(cookie(req.headers.cookie, COOKIE_SESSAO)) || tokenConfere(bearerDe(req.headers.authorization ?? null));
}
