/** On every answer of the app: no MIME sniffing, no Referer leaving it, no framing (clickjacking). */
export const CABECALHOS_SEGURANCA: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/**
 * The pages' Content-Security-Policy: scripts only with this response's nonce (Next adds it to its own
 * scripts), no eval outside `next dev`, nothing loaded from elsewhere, never inside a frame.
 */
export function politicaDeConteudo(nonce: string, desenvolvimento: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${desenvolvimento ? " 'unsafe-eval'" : ""}`,
    // React and recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${desenvolvimento ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
