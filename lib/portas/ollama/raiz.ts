/**
 * The home page and Ollama's probe share `/`: which one answers depends on these request headers
 * (lib/http/prefixos.ts `sondaDaRaiz`), so both answers name them for caches.
 */
export const VARIA_NA_RAIZ = "Accept, RSC, Next-Router-State-Tree, Next-Router-Prefetch, Sec-Fetch-Dest, Sec-Fetch-Mode";
