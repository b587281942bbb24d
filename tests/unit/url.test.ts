import { describe, expect, it } from "vitest";
import { normalizarBaseUrl, URL_PADRAO } from "@/lib/schemas/base-url";

describe("normalizarBaseUrl", () => {
  it.each([
    ["http://localhost:1234", "http://localhost:1234"],
    ["http://localhost:1234/", "http://localhost:1234"],
    ["http://localhost:1234/v1", "http://localhost:1234"],
    ["http://localhost:1234/v1/", "http://localhost:1234"],
    ["http://localhost:1234/V1", "http://localhost:1234"],
    ["  http://localhost:8080  ", "http://localhost:8080"],
    ["localhost:11434", "http://localhost:11434"],
    ["https://proxy.local/ollama/", "https://proxy.local/ollama"],
    ["https://proxy.local/ollama/v1", "https://proxy.local/ollama"],
    ["http://[::1]:8080/", "http://[::1]:8080"],
    ["http://servidor.local:80/", "http://servidor.local"],
  ])("%s → %s", (entrada, saida) => {
    expect(normalizarBaseUrl(entrada)).toEqual({ ok: true, url: saida });
  });

  it.each([
    ["", "Informe"],
    ["ftp://localhost", "http:// ou https://"],
    ["file:///etc/passwd", "http:// ou https://"],
    ["http://", "URL inválida"],
    ["http://user:senha@localhost", "API key"],
    ["http://localhost:1234/?x=1", "parâmetros"],
    ["http://localhost:1234/#a", "âncora"],
  ])("refuses %j with a pt-BR reason", (entrada, trecho) => {
    const r = normalizarBaseUrl(entrada);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.mensagem).toContain(trecho);
  });

  it("knows each server's default port and none for generic OpenAI servers", () => {
    expect(URL_PADRAO).toEqual({
      lm_studio: "http://localhost:1234",
      llama_cpp: "http://localhost:8080",
      ollama: "http://localhost:11434",
      openai_compativel: null,
    });
  });
});
