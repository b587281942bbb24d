import { describe, expect, it, vi } from "vitest";
import { comoErroApp, ErroApp, STATUS_HTTP, type CodigoErro } from "@/lib/errors";
import { PORTA_CONTRATO } from "@/lib/portas/contrato";
import { bearerDe, cookieDe, destinoSeguro, tokenConfere } from "@/lib/seguranca/autenticacao";

// The contract's statuses, written out rather than read from lib/errors.ts: DESIGN.md's "Error codes and
// statuses", then the codes the README documents since (413, 409 `acao_nao_suportada`, the web gate's 403/415/429,
// the 503s), the caller-gone 499 and the generic 500. Changing the table in the code must break this list.
const CONTRATO: Record<CodigoErro, number> = {
  validacao: 400,
  json_invalido: 400,
  corpo_muito_grande: 413,
  nao_encontrado: 404,
  nome_duplicado: 409,
  provedor_inativo: 409,
  acao_nao_suportada: 409,
  modelo_nao_encontrado: 404,
  provedor_indisponivel: 502,
  provedor_erro: 502,
  provedor_autenticacao: 502,
  provedor_timeout: 504,
  nao_autorizado: 401,
  acesso_negado: 403,
  fora_do_escopo: 403,
  limite_excedido: 429,
  orcamento_esgotado: 429,
  muitas_tentativas: 429,
  fila_cheia: 429,
  fila_espera_esgotada: 429,
  host_nao_permitido: 403,
  origem_nao_permitida: 403,
  tipo_de_conteudo: 415,
  cancelado: 499,
  metodo_nao_permitido: 405,
  banco_indisponivel: 503,
  servidor_encerrando: 503,
  nao_implementado: 501,
  benchmark_em_andamento: 409,
  provedor_offline: 409,
  interno: 500,
};

/** What the REST door answers for an error thrown by a handler: the status and the parsed body. */
function respostaDeErro(erro: unknown): { status: number; json: () => unknown } {
  const r = PORTA_CONTRATO.formatoDeErro(comoErroApp(erro));
  return { status: r.status, json: () => JSON.parse(String(r.corpo)) };
}

describe("errors → HTTP", () => {
  it("the code knows exactly the contract's codes", () => {
    expect(Object.keys(STATUS_HTTP).sort()).toEqual(Object.keys(CONTRATO).sort());
  });

  it.each(Object.entries(CONTRATO))("%s answers %i with the contract's shape", async (codigo, status) => {
    const r = respostaDeErro(new ErroApp(codigo as CodigoErro, "Mensagem de teste."));
    expect(r.status).toBe(status);
    expect(r.json()).toEqual({ erro: { codigo, mensagem: "Mensagem de teste." } });
  });

  it("hides unknown errors behind a generic 500 and logs the cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const r = respostaDeErro(new TypeError("detalhe interno"));
    expect(r.status).toBe(500);
    const corpo = r.json() as { erro: { codigo: string; mensagem: string } };
    expect(corpo.erro.codigo).toBe("interno");
    expect(corpo.erro.mensagem).not.toContain("detalhe interno");
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});

describe("AUTH_TOKEN checks", () => {
  it("compares tokens", () => {
    vi.stubEnv("AUTH_TOKEN", "abc123");
    expect(tokenConfere("abc123")).toBe(true);
    expect(tokenConfere("abc1234")).toBe(false);
    expect(tokenConfere(null)).toBe(false);
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

  it("reads a cookie, and a malformed escape is no cookie rather than an exception", () => {
    expect(cookieDe("a=1; provedores_llm_sessao=abc%2Fd", "provedores_llm_sessao")).toBe("abc/d");
    expect(cookieDe("provedores_llm_sessao=%", "provedores_llm_sessao")).toBeNull();
    expect(cookieDe("provedores_llm_sessao=%E0%A4%A", "provedores_llm_sessao")).toBeNull();
    expect(cookieDe("outro=1", "provedores_llm_sessao")).toBeNull();
    expect(cookieDe(undefined, "provedores_llm_sessao")).toBeNull();
  });

  it("only follows a login to same-site paths", () => {
    expect(destinoSeguro("/provedores-llm/1/editar")).toBe("/provedores-llm/1/editar");
    expect(destinoSeguro("//evil.example")).toBe("/painel");
    expect(destinoSeguro("https://evil.example")).toBe("/painel");
    expect(destinoSeguro("/\\evil.example")).toBe("/painel");
    expect(destinoSeguro(undefined)).toBe("/painel");
    expect(destinoSeguro(["/a", "/b"])).toBe("/painel");
  });

  // Browsers drop tabs and newlines from URLs and read "\\" as "/": each of these would leave the app.
  it.each([
    "/\t/127.0.0.1:3556/pwned",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\t\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "//evil.example/%2F..",
    "/%5C/evil.example".replace("%5C", "\\"),
    "///evil.example",
    "/\u0009/evil.example",
  ])("refuses %j as a login target", (destino) => {
    expect(destinoSeguro(destino)).toBe("/painel");
  });

  it("keeps same-origin targets with their query, even encoded look-alikes", () => {
    expect(destinoSeguro("/provedores-llm/2/testar?x=1#fim")).toBe("/provedores-llm/2/testar?x=1#fim");
    expect(destinoSeguro("/%09/127.0.0.1")).toBe("/%09/127.0.0.1");
    expect(destinoSeguro("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });
});
