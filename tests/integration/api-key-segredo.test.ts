import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { api, app, banco } from "../support/contexto";

describe("a provider's API key", () => {
  const chave = `sk-segredo-${randomUUID()}`;
  const respostas: string[] = [];
  let id = 0;

  it("is accepted on create and update but never returned", async () => {
    const criado = await api("", {
      method: "POST",
      json: { nome: `Segredo ${randomUUID().slice(0, 6)}`, tipo: "lm_studio", api_key: chave },
    });
    const texto = await criado.text();
    respostas.push(texto);
    id = (JSON.parse(texto) as { id: number }).id;
    expect(JSON.parse(texto)).toMatchObject({ api_key_configurada: true });

    respostas.push(await (await api(`/${id}`, { method: "PUT", json: { api_key: chave, descricao: "troca" } })).text());
    respostas.push(await (await api(`/${id}`)).text());
    respostas.push(await (await api("")).text());
    respostas.push(await (await api("/ativos")).text());
    // A failing request that echoes input must not echo the key either.
    respostas.push(await (await api(`/${id}`, { method: "PUT", json: { api_key: chave, timeout_segundos: "x" } })).text());

    for (const r of respostas) {
      expect(r).not.toContain(chave);
      expect(r).not.toMatch(/"api_key"\s*:/);
    }
  });

  it("is stored encrypted (AES-256-GCM), not in plain text", async () => {
    const linha = (await banco().execute({ sql: "select api_key from provedores_llm where id = ?", args: [id] })).rows[0];
    const cifrado = String(linha?.api_key);
    expect(cifrado.startsWith("v1:")).toBe(true);
    expect(cifrado).not.toContain(chave);
    // iv (12) + tag (16) + ciphertext as long as the key
    expect(Buffer.from(cifrado.slice(3), "base64").length).toBe(28 + Buffer.byteLength(chave));
  });

  it("is absent from the database files on disk", async ({ skip }) => {
    const { databaseUrl, modoBanco } = app();
    if (modoBanco !== "arquivo") skip("the sqld run keeps its files inside the server");
    const arquivo = databaseUrl.slice("file:".length);
    for (const f of [arquivo, `${arquivo}-wal`]) {
      if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(chave))).toBe(false);
    }
  });

  it("never appears in the server's log", async () => {
    const log = readFileSync(app().arquivoLog, "utf8");
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(chave);
  });
});
