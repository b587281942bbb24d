import "server-only";
import { hostname, networkInterfaces } from "node:os";

// Kept free of next/* and the database so servidor.ts, proxy.ts and tests can all use it.

const NOMES_LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];
const CURINGAS = ["0.0.0.0", "::", "[::]"];

/** Who may talk to this app from a browser, read once from the environment (see README, "Segurança"). */
export type PoliticaWeb = {
  /** Any Host is accepted: `ALLOWED_HOSTS=*`. */
  qualquerHost: boolean;
  /** Host names accepted on any port (lower case, IPv6 in brackets). */
  nomes: ReadonlySet<string>;
  /** `name:port` entries of ALLOWED_HOSTS, accepted on that port only. */
  hostsComPorta: ReadonlySet<string>;
  /** Origins (`scheme://host[:port]`) of ALLOWED_ORIGINS, answered with CORS. */
  origens: ReadonlySet<string>;
};

function lista(valor: string | undefined): string[] {
  return (valor ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
}

/** `host[:port]` as a browser sends it, split by the URL parser (which also lower-cases it); null if malformed. */
export function separarHost(host: string): { nome: string; porta: string } | null {
  if (!host || /[\s/\\?#@]/.test(host)) return null;
  try {
    const u = new URL(`http://${host}`);
    return { nome: u.hostname, porta: u.port };
  } catch {
    return null;
  }
}

function ehLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return NOMES_LOOPBACK.includes(h) || h === "::1" || h.startsWith("127.");
}

/** The addresses a wildcard listener (0.0.0.0, ::) really answers on. */
function enderecosDaMaquina(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined)
    .map((i) => (i.family === "IPv6" ? `[${i.address.split("%")[0]}]` : i.address));
}

export function politicaDe(env: NodeJS.ProcessEnv): PoliticaWeb {
  const host = (env.HOST || "127.0.0.1").toLowerCase();
  const nomes = new Set(NOMES_LOOPBACK);
  const hostsComPorta = new Set<string>();
  if (!ehLoopback(host)) {
    // Off loopback the app answers to its own name and address, and to the names the user lists.
    nomes.add(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
    nomes.add(hostname().toLowerCase());
    if (CURINGAS.includes(host)) for (const e of enderecosDaMaquina()) nomes.add(e.toLowerCase());
  }
  // On Vercel the deployment's own addresses.
  for (const v of [env.VERCEL_URL, env.VERCEL_BRANCH_URL, env.VERCEL_PROJECT_PRODUCTION_URL]) if (v) nomes.add(v.toLowerCase());
  let qualquerHost = false;
  for (const entrada of lista(env.ALLOWED_HOSTS)) {
    if (entrada === "*") qualquerHost = true;
    const h = separarHost(entrada);
    if (!h) continue;
    if (h.porta || /:\d+$/.test(entrada)) hostsComPorta.add(`${h.nome}:${h.porta || "80"}`);
    else nomes.add(h.nome);
  }
  const origens = new Set<string>();
  for (const entrada of lista(env.ALLOWED_ORIGINS)) {
    try {
      const u = new URL(entrada);
      if (u.protocol === "http:" || u.protocol === "https:") origens.add(u.origin);
    } catch {
      // A malformed entry allows nothing.
    }
  }
  return { qualquerHost, nomes, hostsComPorta, origens };
}

export function hostPermitido(politica: PoliticaWeb, host: string | null): boolean {
  if (politica.qualquerHost) return true;
  const h = host ? separarHost(host) : null;
  if (!h) return false;
  return politica.nomes.has(h.nome) || politica.hostsComPorta.has(`${h.nome}:${h.porta || "80"}`);
}

/** The app's own origin is the one whose host is the request's Host; the rest must be listed. */
export function origemPropria(origem: string, host: string | null): boolean {
  if (!host) return false;
  try {
    const u = new URL(origem);
    const h = separarHost(host);
    return (u.protocol === "http:" || u.protocol === "https:") && h !== null && u.hostname === h.nome && u.port === h.porta;
  } catch {
    return false;
  }
}

export function origemListada(politica: PoliticaWeb, origem: string): boolean {
  try {
    return politica.origens.has(new URL(origem).origin);
  } catch {
    return false;
  }
}
