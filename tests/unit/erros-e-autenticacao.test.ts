import { describe, expect, it, vi } from "vitest";
import { ErroApp, STATUS_HTTP, type CodigoErro } from "@/lib/errors";
import { respostaDeErro } from "@/lib/http/respostas";
import { bearerDe, destinoSeguro, sessaoConfere, tokenConfere, valorDaSessao } from "@/lib/seguranca/autenticacao";

describe("errors → HTTP", () => {
  it.each(Object.entries(STATUS_HTTP))("%s answers %i with the contract's shape", async (codigo, status) => {
    const r = respostaDeErro(new ErroApp(codigo as CodigoErro, "Mensagem de teste."));
    expect(r.status).toBe(status);
    expect(await r.json()).toEqual({ erro: { codigo, mensagem: "Mensagem de teste." } });
  });

  it("hides unknown errors behind a generic 500 and logs the cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const r = respostaDeErro(new TypeError("detalhe interno"));
    expect(r.status).toBe(500);
    const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string } };
    expect(corpo.erro.codigo).toBe("interno");
    expect(corpo.erro.mensagem).not.toContain("detalhe interno");
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});

describe("AUTH_TOKEN checks", () => {
  it("compares tokens and session values", () => {
    vi.stubEnv("AUTH_TOKEN", "abc123");
    expect(tokenConfere("abc123")).toBe(true);
    expect(tokenConfere("abc1234")).toBe(false);
    expect(tokenConfere(null)).toBe(false);
    const sessao = valorDaSessao();
    expect(sessao).not.toContain("abc123");
    expect(sessaoConfere(sessao)).toBe(true);
    expect(sessaoConfere("outra")).toBe(false);
    vi.stubEnv("AUTH_TOKEN", "");
    expect(tokenConfere("")).toBe(false);
    vi.unstubAllEnvs();
  });

  it("reads Bearer headers", () => {
    expect(bearerDe("Bearer x-y")).toBe("x-y");
    expect(bearerDe("bearer   x")).toBe("x");
    expect(bearerDe("Basic x")).toBeNull();
    expect(bearerDe(null)).toBeNull();
  });

  it("only follows a login to same-site paths", () => {
    expect(destinoSeguro("/provedores-llm/1/editar")).toBe("/provedores-llm/1/editar");
    expect(destinoSeguro("//evil.example")).toBe("/provedores-llm");
    expect(destinoSeguro("https://evil.example")).toBe("/provedores-llm");
    expect(destinoSeguro("/\\evil.example")).toBe("/provedores-llm");
    expect(destinoSeguro(undefined)).toBe("/provedores-llm");
  });
});
