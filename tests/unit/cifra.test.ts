import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { cifrar, decifrar } from "@/lib/seguranca/cifra";

const chave = randomBytes(32);

describe("API key encryption (AES-256-GCM)", () => {
  it("round-trips and never shows the plain text", () => {
    const c = cifrar("sk-abc-123", chave);
    expect(c.startsWith("v1:")).toBe(true);
    expect(c).not.toContain("sk-abc-123");
    expect(decifrar(c, chave)).toBe("sk-abc-123");
  });

  it("uses a fresh IV each time", () => {
    expect(cifrar("mesma", chave)).not.toBe(cifrar("mesma", chave));
  });

  it("refuses a tampered value or another key with a pt-BR reason", () => {
    const c = cifrar("sk-abc-123", chave);
    const bruto = Buffer.from(c.slice(3), "base64");
    bruto[bruto.length - 1]! ^= 1;
    expect(() => decifrar(`v1:${bruto.toString("base64")}`, chave)).toThrow(/APP_SECRET/);
    expect(() => decifrar(c, randomBytes(32))).toThrow(/decifrar/);
    expect(() => decifrar("texto-puro", chave)).toThrow(/decifrar/);
  });

  it("without APP_SECRET, generates a 0600 key file under DATA_DIR once and reuses it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cifra-"));
    vi.stubEnv("DATA_DIR", dir);
    vi.stubEnv("APP_SECRET", "");
    vi.resetModules();
    const m = await import("@/lib/seguranca/cifra");
    const c = m.cifrar("sk-xyz");
    const arquivo = path.join(dir, "segredo.key");
    expect(statSync(arquivo).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(arquivo, "utf8"), "base64")).toHaveLength(32);
    vi.resetModules();
    const outraInstancia = await import("@/lib/seguranca/cifra");
    expect(outraInstancia.decifrar(c)).toBe("sk-xyz");
    vi.unstubAllEnvs();
  });

  it("with APP_SECRET, derives the key from it", async () => {
    vi.stubEnv("APP_SECRET", "segredo-um");
    vi.resetModules();
    const c = (await import("@/lib/seguranca/cifra")).cifrar("sk-1");
    vi.resetModules();
    expect((await import("@/lib/seguranca/cifra")).decifrar(c)).toBe("sk-1");
    vi.stubEnv("APP_SECRET", "segredo-dois");
    vi.resetModules();
    const outra = await import("@/lib/seguranca/cifra");
    expect(() => outra.decifrar(c)).toThrow(/APP_SECRET/);
    vi.unstubAllEnvs();
  });
});
