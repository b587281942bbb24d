/**
 * The path prefixes the route table (lib/http/rotas.ts) owns whole: every path under them is answered by
 * the table, a 404 included, never by a page. Kept apart from the table so that Next's proxy can ask
 * without loading every handler.
 */
export function servidoPelaTabela(caminho: string): boolean {
  return daPorta(caminho, "/api") || daPorta(caminho, "/v1");
}

/** `/api`, `/api/…`, `/api?…`, but not `/apis`. */
function daPorta(caminho: string, prefixo: string): boolean {
  if (!caminho.startsWith(prefixo)) return false;
  const seguinte = caminho.charCodeAt(prefixo.length);
  // NaN (end), "/" or "?".
  return Number.isNaN(seguinte) || seguinte === 47 || seguinte === 63;
}

/** Where the App Router serves Ollama's root probe (proxy.ts rewrites `/` there; it answers as `/`, through the table). */
export const ROTA_DA_SONDA = "/sonda-ollama";

/**
 * `GET /` or `HEAD /` from a client that is not a browser (no `text/html` in Accept): Ollama's "is it running"
 * probe, answered by the route table's Ollama door. A browser gets the app's home page.
 */
export function sondaDaRaiz(caminho: string, aceita: string | null | undefined): boolean {
  return (caminho === "/" || caminho.startsWith("/?")) && !(aceita ?? "").includes("text/html");
}
