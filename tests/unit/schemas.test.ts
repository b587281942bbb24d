import { describe, expect, it } from "vitest";
import { ErroApp } from "@/lib/errors";
import { FiltrosProvedores, IdProvedor, ProvedorLLMAtualizar, ProvedorLLMCriar } from "@/lib/schemas/provedor";
import { validar } from "@/lib/schemas/validar";
import { PedidoDescoberta } from "@/lib/schemas/llm";
import { CorpoChatOpenAI, CorpoCompletionOpenAI } from "@/lib/schemas/corpos-openai";

describe("ProvedorLLMCriar", () => {
  it("fills the defaults and normalises", () => {
    const r = ProvedorLLMCriar.parse({
      nome: "  Meu Ollama ",
      tipo: "ollama",
      base_url: "localhost:11434/v1/",
      descricao: "",
      api_key: "",
    });
    expect(r).toEqual({
      nome: "Meu Ollama",
      tipo: "ollama",
      base_url: "http://localhost:11434",
      descricao: null,
      api_key: null,
      ativo: true,
      timeout_segundos: 60,
      intervalo_verificacao_segundos: 30,
      configuracao: {},
      max_concorrencia: null,
      fila_max: 64,
      fila_espera_segundos: 60,
    });
  });

  it("checks every 5 s to 1 h, in whole seconds, with a pt-BR reason otherwise", () => {
    const base = { nome: "a", tipo: "ollama" } as const;
    expect(ProvedorLLMCriar.parse({ ...base, intervalo_verificacao_segundos: 5 }).intervalo_verificacao_segundos).toBe(5);
    for (const [valor, mensagem] of [
      [4, "O intervalo de verificação mínimo é 5 segundos."],
      [3601, "O intervalo de verificação máximo é 3600 segundos (1 hora)."],
      [7.5, "O intervalo de verificação deve ser um número inteiro de segundos."],
      ["30", "O intervalo de verificação deve ser um número inteiro de segundos."],
    ] as const) {
      const r = ProvedorLLMCriar.safeParse({ ...base, intervalo_verificacao_segundos: valor });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toBe(mensagem);
    }
  });

  it("treats an empty URL as 'use the default' except for openai_compativel", () => {
    expect(ProvedorLLMCriar.parse({ nome: "a", tipo: "lm_studio", base_url: "" }).base_url).toBeUndefined();
    const r = ProvedorLLMCriar.safeParse({ nome: "a", tipo: "openai_compativel", base_url: "" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["base_url"]);
  });

  it("speaks Portuguese for errors zod writes itself", () => {
    const r = ProvedorLLMCriar.safeParse({ nome: "a", tipo: "ollama", configuracao: { stop: "x" } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/inválid|esperado/i);
  });

  it("is idempotent: its output parses to itself (forms send parsed values to actions)", () => {
    const uma = ProvedorLLMCriar.parse({
      nome: "a",
      tipo: "llama_cpp",
      base_url: "http://h:8080/v1",
      api_key: "k",
      configuracao: { temperatura: 0.2 },
    });
    expect(ProvedorLLMCriar.parse(uma)).toEqual(uma);
  });
});

describe("ProvedorLLMAtualizar", () => {
  it("keeps the key when omitted, clears it on null or empty", () => {
    expect(ProvedorLLMAtualizar.parse({ descricao: "x" }).api_key).toBeUndefined();
    expect(ProvedorLLMAtualizar.parse({ api_key: null }).api_key).toBeNull();
    expect(ProvedorLLMAtualizar.parse({ api_key: "" }).api_key).toBeNull();
    expect(ProvedorLLMAtualizar.parse({ api_key: " k " }).api_key).toBe("k");
  });

  it("refuses an empty update", () => {
    expect(ProvedorLLMAtualizar.safeParse({}).success).toBe(false);
  });
});

describe("validar", () => {
  it("throws validacao with every field's messages", () => {
    try {
      validar(ProvedorLLMCriar, { nome: "", tipo: "x", configuracao: { temperatura: 9 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ErroApp);
      const erro = e as ErroApp;
      expect(erro.codigo).toBe("validacao");
      expect(Object.keys((erro.detalhes as { campos: object }).campos).sort()).toEqual(["configuracao.temperatura", "nome", "tipo"]);
    }
  });
});

describe("path id and filters", () => {
  it.each([
    ["1", 1],
    ["42", 42],
  ])("accepts %s", (t, n) => expect(IdProvedor.parse(t)).toBe(n));
  it.each(["abc", "0", "-1", "1.5", "", "1e400"])("refuses %j", (t) => expect(IdProvedor.safeParse(t).success).toBe(false));
  it("reads ativo as a boolean", () => {
    expect(FiltrosProvedores.parse({ ativo: "false" })).toEqual({ ativo: false });
    expect(FiltrosProvedores.safeParse({ ativo: "0" }).success).toBe(false);
  });
});

describe("stop sequences and discovery lists", () => {
  it('refuses stop: [""] in a configuration and in the /v1 bodies', () => {
    expect(ProvedorLLMCriar.safeParse({ nome: "a", tipo: "ollama", configuracao: { stop: [""] } }).success).toBe(false);
    expect(ProvedorLLMCriar.safeParse({ nome: "a", tipo: "ollama", configuracao: { stop: ["\n"] } }).success).toBe(true);
    const chat = { model: "m", messages: [{ role: "user", content: "oi" }] };
    for (const stop of ["", [""], ["fim", ""]]) expect(CorpoChatOpenAI.safeParse({ ...chat, stop }).success).toBe(false);
    for (const stop of ["fim", ["fim"], null, undefined]) expect(CorpoChatOpenAI.safeParse({ ...chat, stop }).success).toBe(true);
    expect(CorpoCompletionOpenAI.safeParse({ model: "m", prompt: "oi", stop: [""] }).success).toBe(false);
    // one rule, one message, in both places
    const mensagem = (r: { error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message;
    expect(mensagem(CorpoChatOpenAI.safeParse({ ...chat, stop: [""] }))).toBe(
      mensagem(ProvedorLLMCriar.safeParse({ nome: "a", tipo: "ollama", configuracao: { stop: [""] } })),
    );
  });

  it("reads portas and hosts repeated or comma-separated, hosts with or without a port", () => {
    expect(PedidoDescoberta.parse({ portas: ["1", "2,3"], hosts: "Maquina,[::1]:8080" })).toEqual({
      portas: [1, 2, 3],
      hosts: [{ host: "maquina" }, { host: "::1", porta: 8080 }],
    });
    expect(PedidoDescoberta.parse({ hosts: ["0:0:0:0:0:0:0:1", "10.0.0.2:11434"] }).hosts).toEqual([
      { host: "::1" },
      { host: "10.0.0.2", porta: 11434 },
    ]);
    for (const host of ["[::1", "a:99999", "a:b", "a b", "[::1]:0"])
      expect(PedidoDescoberta.safeParse({ hosts: host }).success, host).toBe(false);
  });
});
