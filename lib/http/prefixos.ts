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
