import type { TipoProvedor } from "./tipo-e-status";

/** Where each server listens out of the box. */
export const URL_PADRAO: Record<TipoProvedor, string | null> = {
  lm_studio: "http://localhost:1234",
  llama_cpp: "http://localhost:8080",
  ollama: "http://localhost:11434",
  openai_compativel: null,
};

export type UrlNormalizada = { ok: true; url: string } | { ok: false; mensagem: string };

/**
 * Turns what a user pastes into the base the adapters append paths to:
 * scheme and host kept, a trailing `/` or `/v1` dropped (adapters add `/v1` themselves).
 */
export function normalizarBaseUrl(entrada: string): UrlNormalizada {
  let texto = entrada.trim();
  if (!texto) return { ok: false, mensagem: "Informe a URL do servidor." };
  // "localhost:1234" has no scheme; a person means http.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(texto)) texto = `http://${texto}`;
  let url: URL;
  try {
    url = new URL(texto);
  } catch {
    return { ok: false, mensagem: `URL inválida: "${entrada.trim()}". Exemplo: http://localhost:1234` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, mensagem: "A URL deve começar com http:// ou https://." };
  }
  if (url.username || url.password) {
    return { ok: false, mensagem: "Não coloque usuário e senha na URL; use o campo API key." };
  }
  if (url.search || url.hash) {
    return { ok: false, mensagem: "A URL não deve ter parâmetros (?…) nem âncora (#…)." };
  }
  let caminho = url.pathname.replace(/\/+$/, "");
  caminho = caminho.replace(/\/v1$/i, "").replace(/\/+$/, "");
  return { ok: true, url: `${url.protocol}//${url.host}${caminho}` };
}
