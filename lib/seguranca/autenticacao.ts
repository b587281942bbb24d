import { createHmac, createHash, timingSafeEqual } from "node:crypto";

// Kept free of "server-only" and next/* so proxy.ts can use it too.

export const COOKIE_SESSAO = "provedores_llm_sessao";
export const SESSAO_DURACAO_S = 30 * 24 * 3600;

export const MENSAGEM_NAO_AUTORIZADO = "Autenticação necessária: envie o cabeçalho Authorization: Bearer <AUTH_TOKEN>.";

export function tokenDeAcesso(): string | null {
  return process.env.AUTH_TOKEN || null;
}

export function autenticacaoLigada(): boolean {
  return tokenDeAcesso() !== null;
}

function iguais(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function tokenConfere(candidato: string | null | undefined): boolean {
  const token = tokenDeAcesso();
  return token !== null && typeof candidato === "string" && iguais(candidato, token);
}

/** The cookie holds an HMAC of the token, never the token itself. */
export function valorDaSessao(): string | null {
  const token = tokenDeAcesso();
  return token ? createHmac("sha256", token).update("provedores-llm/sessao").digest("base64url") : null;
}

export function sessaoConfere(valor: string | null | undefined): boolean {
  const esperado = valorDaSessao();
  return esperado !== null && typeof valor === "string" && iguais(valor, esperado);
}

export function bearerDe(cabecalho: string | null): string | null {
  const m = cabecalho?.match(/^Bearer\s+(.+)$/i);
  return m?.[1]?.trim() ?? null;
}

/** Only same-site paths may follow a login, so /login cannot bounce anyone elsewhere. */
export function destinoSeguro(destino: unknown): string {
  return typeof destino === "string" && destino.startsWith("/") && !destino.startsWith("//") && !destino.startsWith("/\\")
    ? destino
    : "/provedores-llm";
}
