import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";

// Kept free of next/* and the database so every front door (proxy.ts, servidor.ts) can use it.

export const COOKIE_SESSAO = "provedores_llm_sessao";

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

export function bearerDe(cabecalho: string | null): string | null {
  const m = cabecalho?.match(/^Bearer\s+(.+)$/i);
  return m?.[1]?.trim() ?? null;
}

/** One cookie's value from a Cookie header; a malformed escape counts as no cookie, never as an exception. */
export function cookieDe(cabecalho: string | null | undefined, nome: string): string | null {
  for (const parte of cabecalho?.split(";") ?? []) {
    const i = parte.indexOf("=");
    if (i < 0 || parte.slice(0, i).trim() !== nome) continue;
    try {
      return decodeURIComponent(parte.slice(i + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

const DESTINO_PADRAO = "/painel";

/**
 * Where to go after login: only a path of this app. The target is resolved the way a browser would (which
 * drops tabs and newlines and reads `\` as `/`), and kept only if it stays on the app's own origin.
 */
export function destinoSeguro(destino: unknown): string {
  if (typeof destino !== "string" || !destino.startsWith("/")) return DESTINO_PADRAO;
  const base = "http://app.invalid";
  try {
    const u = new URL(destino, base);
    if (u.origin !== base) return DESTINO_PADRAO;
    const caminho = u.pathname + u.search + u.hash;
    // A path that begins "//" would be read as another host when used as a Location.
    return caminho.startsWith("//") ? DESTINO_PADRAO : caminho;
  } catch {
    return DESTINO_PADRAO;
  }
}
