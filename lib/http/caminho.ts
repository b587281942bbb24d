import { ErroApp } from "../errors";

/**
 * A path of the route table whose escapes cannot be decoded (`%E0`): the door's 400, under every server
 * (Next cannot route it and would answer its own page). Paths without "%" (every ordinary call) cost one scan.
 */
export function problemaNoCaminho(caminho: string): ErroApp | null {
  if (!caminho.includes("%")) return null;
  try {
    decodeURIComponent(caminho);
    return null;
  } catch {
    return new ErroApp("validacao", "A URL tem um escape inválido (%): confira o caminho.");
  }
}

/**
 * The request target with its `.` and `..` segments (also `%2e`) resolved, as a Web Request resolves them: Next
 * builds its URL objects that way before the proxy or a route handler sees the path, so Node's own server
 * (servidor.ts), which gets the path as sent, resolves them the same way and both read one path. Targets with
 * neither "/." nor "%2" (every ordinary call) are returned as they are, after two scans.
 */
export function alvoResolvido(alvo: string): string {
  if (!alvo.includes("/.") && !alvo.includes("%2")) return alvo;
  // Only an origin-form target ("/…"); appended to a base so that "//x" stays a path, not a host.
  if (alvo.charCodeAt(0) !== 47) return alvo;
  const url = new URL(`http://h${alvo}`);
  return url.pathname + url.search;
}
