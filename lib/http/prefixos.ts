import { VARIA_NA_RAIZ } from "../portas/ollama/raiz";

export { VARIA_NA_RAIZ };

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

/** The methods of Ollama's probe (OPTIONS: a cross-origin client's preflight, answered by the table's gate). */
const METODOS_DA_SONDA = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request is a browser's or Next's own: a page load (`sec-fetch-dest: document`, `sec-fetch-mode:
 * navigate`, `text/html` in Accept), or the client router's navigations, prefetches and server actions (an `rsc`
 * or `next-router-*` header, `text/x-component` in Accept).
 */
function doNavegador(cabecalho: (nome: string) => string | null | undefined): boolean {
  const aceita = cabecalho("accept") ?? "";
  if (aceita.includes("text/html") || aceita.includes("text/x-component")) return true;
  if (cabecalho("sec-fetch-dest") === "document" || cabecalho("sec-fetch-mode") === "navigate") return true;
  return ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-action"].some(
    (nome) => cabecalho(nome) != null,
  );
}

/**
 * `GET /`, `HEAD /` (or its preflight) from a client that is neither a browser nor Next's own client router:
 * Ollama's "is it running" probe, answered by the route table's Ollama door. Every other request to `/` (a
 * browser, a navigation, a `POST`) gets the app's home page, under `npm start` and `next start` alike.
 */
export function sondaDaRaiz(caminho: string, metodo: string | undefined, cabecalho: (nome: string) => string | null | undefined): boolean {
  return (caminho === "/" || caminho.startsWith("/?")) && METODOS_DA_SONDA.has(metodo ?? "GET") && !doNavegador(cabecalho);
}
