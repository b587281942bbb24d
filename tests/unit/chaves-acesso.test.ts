import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { casaComGlob, problemaDoGlob } from "@/lib/schemas/glob-de-modelo";

// The lookup by secret against a real libSQL file, in this process.
const pasta = mkdtempSync(path.join(tmpdir(), "chaves-"));
process.env.DATABASE_URL = `file:${path.join(pasta, "provedores-llm.db")}`;

const { migrarEsquema } = await import("@/db/migrar");
const { criarChave, revogarChave, chaveDoSegredo } = await import("@/lib/chaves");
const { hashDoSegredo, mesmoHash } = await import("@/lib/chaves/segredo");

describe("chaveDoSegredo", () => {
  beforeAll(() => migrarEsquema());
  afterAll(() => rmSync(pasta, { recursive: true, force: true }));

  it("answers the key's row for its secret, and null for any other secret", async () => {
    const criada = await criarChave({ nome: "Programa", modelos: ["llama3*"] });
    const outra = await criarChave({ nome: "Outra" });
    const linha = await chaveDoSegredo(criada.chave);
    expect(linha).toMatchObject({ id: criada.id, nome: "Programa", modelos: ["llama3*"], ativa: true, revogada_em: null });
    expect(linha?.hash).toBe(hashDoSegredo(criada.chave));
    expect((await chaveDoSegredo(outra.chave))?.id).toBe(outra.id);

    // one character off, cut short, longer, without the prefix, the hash itself, empty: no key
    const ultimo = criada.chave.at(-1) === "A" ? "B" : "A";
    for (const errado of [
      `${criada.chave.slice(0, -1)}${ultimo}`,
      criada.chave.slice(0, -1),
      `${criada.chave}x`,
      criada.chave.slice("pllm_".length),
      hashDoSegredo(criada.chave),
      "",
      "pllm_",
    ]) {
      expect(await chaveDoSegredo(errado), errado).toBeNull();
    }
  });

  it("answers a revoked key's row with its state: the caller decides what revoked means", async () => {
    const criada = await criarChave({ nome: "Revogada" });
    await revogarChave(criada.id);
    const linha = await chaveDoSegredo(criada.chave);
    expect(linha?.id).toBe(criada.id);
    expect(linha?.ativa).toBe(false);
    expect(linha?.revogada_em).toBeInstanceOf(Date);
  });

  it("compares digests of equal length only", () => {
    const h = hashDoSegredo("pllm_a");
    expect(mesmoHash(h, h)).toBe(true);
    expect(mesmoHash(h, hashDoSegredo("pllm_b"))).toBe(false);
    expect(mesmoHash(h, h.slice(0, 62))).toBe(false);
    expect(mesmoHash("", "")).toBe(false);
  });
});

describe("model patterns of a key's scope", () => {
  it("refuses empty patterns, spaces, control characters and a doubled star, in pt-BR", () => {
    expect(problemaDoGlob("")).toBe("Um padrão de modelo não pode ser vazio.");
    expect(problemaDoGlob("llama 3")).toMatch(/espaço ou caractere de controle/);
    expect(problemaDoGlob("llama\u00003")).toMatch(/espaço ou caractere de controle/);
    expect(problemaDoGlob("llama**")).toMatch(/tem "\*\*"/);
    expect(problemaDoGlob("x".repeat(201))).toMatch(/até 200 caracteres/);
    for (const bom of ["llama3", "llama3*", "*/qwen2.5:*", "*", "a*b*c", "modelo?[1]"]) expect(problemaDoGlob(bom), bom).toBeNull();
  });

  it("matches ids exactly, with * as any run of characters and nothing else as a wildcard", () => {
    expect(casaComGlob("llama3", "llama3")).toBe(true);
    expect(casaComGlob("llama3", "llama3:8b")).toBe(false);
    expect(casaComGlob("llama3*", "llama3:8b")).toBe(true);
    expect(casaComGlob("llama3*", "llama3")).toBe(true);
    expect(casaComGlob("llama3*", "xllama3")).toBe(false);
    expect(casaComGlob("*/qwen2.5:*", "ollama-casa/qwen2.5:7b")).toBe(true);
    expect(casaComGlob("*/qwen2.5:*", "qwen2.5:7b")).toBe(false);
    expect(casaComGlob("*", "qualquer/coisa")).toBe(true);
    expect(casaComGlob("a*b*c", "abc")).toBe(true);
    expect(casaComGlob("a*b*c", "aXbYc")).toBe(true);
    expect(casaComGlob("a*b*c", "acb")).toBe(false);
    // the middle part may not eat the suffix: "ab" + "*b*" needs a b of its own before the last "b"
    expect(casaComGlob("a*b*b", "ab")).toBe(false);
    expect(casaComGlob("a*b*b", "abb")).toBe(true);
    expect(casaComGlob("modelo?", "modelos")).toBe(false);
    expect(casaComGlob("modelo?", "modelo?")).toBe(true);
    expect(casaComGlob("Llama3*", "llama3")).toBe(false);
  });
});
