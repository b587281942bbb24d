import { afterEach, describe, expect, it, vi } from "vitest";
import { alvoResolvido, problemaNoCaminho } from "@/lib/http/caminho";
import { enderecoDoCliente } from "@/lib/http/endereco";

const cabecalhos = (h: Record<string, string>) => (nome: string) => h[nome] ?? null;

describe("the path checks of the front door", () => {
  it("an undecodable escape is a validacao; ordinary and decodable paths pass", () => {
    expect(problemaNoCaminho("/v1/%E0")?.codigo).toBe("validacao");
    expect(problemaNoCaminho("/api/provedores-llm/%E0/testar")?.codigo).toBe("validacao");
    expect(problemaNoCaminho("/v1/chat/completions")).toBeNull();
    expect(problemaNoCaminho("/api/provedores-llm/%C3%A9")).toBeNull();
  });

  it("dot segments are resolved as a Web URL resolves them; a '//' target stays a path", () => {
    expect(alvoResolvido("/api/provedores-llm/1/testar/..")).toBe("/api/provedores-llm/1/");
    expect(alvoResolvido("/api/provedores-llm/%2e/1?x=1")).toBe("/api/provedores-llm/1?x=1");
    expect(alvoResolvido("/api/provedores-llm/%2E%2E")).toBe("/api/");
    expect(alvoResolvido("//outro/./api")).toBe("//outro/api");
    const comum = "/v1/chat/completions";
    expect(alvoResolvido(comum)).toBe(comum);
  });
});

describe("the client's address for the login throttle (Web side)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("off Vercel a client's X-Forwarded-For is not believed: every client shares one key", () => {
    vi.stubEnv("VERCEL", "");
    expect(enderecoDoCliente(cabecalhos({ "x-forwarded-for": "203.0.113.9" }))).toBe("desconhecido");
    expect(enderecoDoCliente(cabecalhos({}))).toBe("desconhecido");
  });

  it("on Vercel the platform's header is the address", () => {
    vi.stubEnv("VERCEL", "1");
    const h = { "x-forwarded-for": "6.6.6.6", "x-vercel-forwarded-for": "198.51.100.7, 10.0.0.1" };
    expect(enderecoDoCliente(cabecalhos(h))).toBe("198.51.100.7");
    expect(enderecoDoCliente(cabecalhos({ "x-real-ip": "198.51.100.8" }))).toBe("198.51.100.8");
  });
});
