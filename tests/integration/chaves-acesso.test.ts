import { createClient } from "@libsql/client";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { clienteApi } from "../support/cliente-api";
import { app, banco } from "../support/contexto";
import { bancoAntesDe } from "../support/migracoes";
import { iniciarApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

type Chave = Record<string, unknown> & { id: number; nome: string; prefixo: string; chave?: string };
type Erro = { erro: { codigo: string; mensagem: string; detalhes?: { campos?: Record<string, string[]> } } };

const chaves = () => clienteApi(`${app().url}/api/chaves`);
const SEGREDO = /^pllm_[A-Za-z0-9_-]{43,}$/;
const linhaDaChave = async (id: number) =>
  (await banco().execute({ sql: "select * from chaves_acesso where id = ?", args: [id] })).rows[0] as Record<string, unknown> | undefined;

async function criar(corpo: Record<string, unknown>): Promise<Chave & { chave: string }> {
  const r = await chaves().pedir<Chave & { chave: string }>("", { json: corpo });
  expect(r.status, r.texto).toBe(201);
  return r.corpo;
}

describe("access keys over REST (/api/chaves)", () => {
  const nome = `Programa ${randomUUID().slice(0, 8)}`;
  let criada: Chave & { chave: string };
  // Once a key is in use the shared app's model doors ask for one: the keys made here go before the next file.
  afterAll(async () => {
    for (const c of (await chaves().pedir<Chave[]>("")).corpo) {
      if (c.revogada_em === null && c.nome.startsWith(nome)) await chaves().resposta(`/${c.id}`, { method: "DELETE" });
    }
  });

  it("creates a key: 201 with its secret this once, its prefix, its scope and limits, and where it lives", async () => {
    const r = await chaves().pedir<Chave & { chave: string }>("", {
      json: {
        nome,
        descricao: "para o script de resumo",
        provedores: [1, 2, 2],
        modelos: ["llama3*", "*/qwen2.5:*"],
        portas: ["openai", "requisicao"],
        limite_rpm: 10,
        orcamento_tokens_dia: 5000,
        expira_em: "2099-01-31T12:00:00Z",
      },
    });
    expect(r.status, r.texto).toBe(201);
    criada = r.corpo;
    expect(criada.chave).toMatch(SEGREDO);
    expect(criada.prefixo).toBe(criada.chave.slice(5, 13));
    expect(r.headers.get("location")).toBe(`/api/chaves/${criada.id}`);
    expect(criada).toEqual({
      id: criada.id,
      nome,
      descricao: "para o script de resumo",
      prefixo: criada.prefixo,
      chave: criada.chave,
      provedores: [1, 2],
      modelos: ["llama3*", "*/qwen2.5:*"],
      portas: ["openai", "requisicao"],
      limite_rpm: 10,
      limite_tpm: null,
      limite_concorrencia: null,
      orcamento_tokens_dia: 5000,
      orcamento_tokens_mes: null,
      expira_em: "2099-01-31T12:00:00.000Z",
      ativa: true,
      prioridade: 0,
      criada_em: expect.any(String),
      ultimo_uso_em: null,
      revogada_em: null,
    });
    // Two keys never share a secret.
    const outra = await criar({ nome: `${nome} 2` });
    expect(outra.chave).not.toBe(criada.chave);
    expect(outra).toMatchObject({ provedores: null, modelos: null, portas: null, limite_rpm: null, expira_em: null, ativa: true });
  });

  it("keeps no secret in the database: only its SHA-256, in no column and nowhere in the file", async ({ skip }) => {
    const linha = await linhaDaChave(criada.id);
    expect(linha).toBeDefined();
    const { createHash } = await import("node:crypto");
    expect(linha?.hash).toBe(createHash("sha256").update(criada.chave).digest("hex"));
    expect(linha?.prefixo).toBe(criada.prefixo);
    for (const [coluna, valor] of Object.entries(linha ?? {})) {
      expect(String(valor), coluna).not.toContain(criada.chave);
      expect(String(valor), coluna).not.toContain(criada.chave.slice(5));
    }
    if (app().modoBanco !== "arquivo") skip("the sqld run keeps its files inside the server");
    const arquivo = app().databaseUrl.slice("file:".length);
    const disco = Buffer.concat([arquivo, `${arquivo}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(disco.includes(Buffer.from(nome))).toBe(true);
    expect(disco.includes(Buffer.from(criada.chave.slice(5)))).toBe(false);
  });

  it("never shows the secret again: not in the list, not in the key's own answer", async () => {
    const lista = await chaves().pedir<Chave[]>("");
    expect(lista.status).toBe(200);
    const daLista = lista.corpo.find((c) => c.id === criada.id);
    const { chave: _segredo, ...semSegredo } = criada;
    expect(daLista).toEqual(semSegredo);
    const uma = await chaves().pedir<Chave>(`/${criada.id}`);
    expect(uma.status).toBe(200);
    expect(uma.corpo).toEqual(semSegredo);
    for (const texto of [lista.texto, uma.texto]) {
      expect(texto).not.toContain(criada.chave.slice(5));
      expect(texto).not.toMatch(/"(chave|hash)"\s*:/);
    }
    expect((await chaves().pedir<Erro>("/999999")).corpo.erro.codigo).toBe("nao_encontrado");
    expect((await chaves().pedir<Erro>("/abc")).status).toBe(400);
  });

  it("updates scope, limits, name and expiry, never the secret (a hash or chave sent is ignored)", async () => {
    const antes = await linhaDaChave(criada.id);
    const r = await chaves().pedir<Chave>(`/${criada.id}`, {
      method: "PUT",
      json: {
        modelos: ["mistral"],
        portas: null,
        limite_rpm: null,
        limite_tpm: 2000,
        limite_concorrencia: 2,
        expira_em: null,
        hash: "0",
        chave: "pllm_x",
      },
    });
    expect(r.status, r.texto).toBe(200);
    expect(r.corpo).toMatchObject({
      nome,
      modelos: ["mistral"],
      portas: null,
      limite_rpm: null,
      limite_tpm: 2000,
      limite_concorrencia: 2,
      expira_em: null,
    });
    expect(r.corpo.provedores).toEqual([1, 2]);
    expect(r.corpo).not.toHaveProperty("chave");
    const depois = await linhaDaChave(criada.id);
    expect(depois?.hash).toBe(antes?.hash);
    expect(depois?.prefixo).toBe(antes?.prefixo);
    expect(depois?.limite_tpm).toBe(2000);
  });

  it("refuses bad input with 400 in pt-BR naming the field, and changes nothing", async () => {
    const antes = await linhaDaChave(criada.id);
    const ruins: [Record<string, unknown>, string, RegExp][] = [
      [{ portas: ["openai", "telnet"] }, "portas.1", /Porta desconhecida/],
      [{ modelos: ["llama**"] }, "modelos.0", /\*\*/],
      [{ modelos: [""] }, "modelos.0", /não pode ser vazio/],
      [{ modelos: [] }, "modelos", /ao menos um item, ou null/],
      [{ limite_rpm: -1 }, "limite_rpm", /pelo menos 1/],
      [{ orcamento_tokens_mes: 1.5 }, "orcamento_tokens_mes", /inteiro/],
      [{ expira_em: "2001-01-01" }, "expira_em", /já passou/],
      [{ expira_em: "amanhã" }, "expira_em", /ISO 8601/],
      [{ provedores: [0] }, "provedores.0", /inteiro positivo/],
      [{ nome: "  " }, "nome", /Informe o nome/],
      [{}, "_", /ao menos um campo/],
    ];
    for (const [corpo, campo, mensagem] of ruins) {
      const r = await chaves().pedir<Erro>(`/${criada.id}`, { method: "PUT", json: corpo });
      expect(r.status, JSON.stringify(corpo)).toBe(400);
      expect(r.corpo.erro.codigo).toBe("validacao");
      expect(r.corpo.erro.detalhes?.campos?.[campo]?.join(" "), JSON.stringify(r.corpo)).toMatch(mensagem);
    }
    expect(await linhaDaChave(criada.id)).toEqual(antes);

    const quantas = async () => Number((await banco().execute("select count(*) as n from chaves_acesso")).rows[0]?.n);
    const total = await quantas();
    const semNome = await chaves().pedir<Erro>("", { json: { portas: ["ftp"] } });
    expect(semNome.status).toBe(400);
    expect(Object.keys(semNome.corpo.erro.detalhes?.campos ?? {}).sort()).toEqual(["nome", "portas.0"]);
    // a name another key in use has: 409, as for providers
    const repetido = await chaves().pedir<Erro>("", { json: { nome } });
    expect(repetido.status).toBe(409);
    expect(repetido.corpo.erro).toMatchObject({
      codigo: "nome_duplicado",
      mensagem: `Já existe uma chave em uso chamada "${nome}". Escolha outro nome.`,
    });
    expect(await quantas()).toBe(total);
  });

  it("DELETE revokes: 204, the row stays listed with revogada_em and ativa false, and a revoked key never comes back", async () => {
    const r = await chaves().resposta(`/${criada.id}`, { method: "DELETE" });
    expect(r.status).toBe(204);
    const revogada = (await chaves().pedir<Chave>(`/${criada.id}`)).corpo;
    expect(revogada.ativa).toBe(false);
    expect(Date.parse(String(revogada.revogada_em))).toBeGreaterThan(Date.now() - 60_000);
    expect((await chaves().pedir<Chave[]>("")).corpo.map((c) => c.id)).toContain(criada.id);
    const linha = await linhaDaChave(criada.id);
    expect(linha).toMatchObject({ ativa: 0, hash: expect.any(String) });

    // revoking again keeps the first time; turning it back on is refused and changes nothing
    expect((await chaves().resposta(`/${criada.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await chaves().pedir<Chave>(`/${criada.id}`)).corpo.revogada_em).toBe(revogada.revogada_em);
    const volta = await chaves().pedir<Erro>(`/${criada.id}`, { method: "PUT", json: { ativa: true } });
    expect(volta.status).toBe(400);
    expect(volta.corpo.erro.detalhes?.campos?.ativa).toEqual(["Uma chave revogada não volta a valer; crie outra."]);
    expect(await linhaDaChave(criada.id)).toEqual(linha);
    expect((await chaves().resposta("/999999", { method: "DELETE" })).status).toBe(404);

    // its name is free again for the key that replaces it
    const nova = await criar({ nome });
    expect(nova.id).not.toBe(criada.id);
  });
});

describe("upgrading a database at migration 0006 (migration 0007)", () => {
  it("adds the key table empty, and the upgraded app creates and lists keys", { timeout: 120_000 }, async () => {
    const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
    const { pasta, url, cliente: antigo } = await bancoAntesDe("0007", sqld?.url);
    const tabelas = async (c: typeof antigo) =>
      (await c.execute("select name from sqlite_master where type = 'table' and name = 'chaves_acesso'")).rows.length;
    expect(await tabelas(antigo)).toBe(0);
    await antigo.execute(
      "insert into provedores_llm (id, nome, nome_chave, slug, tipo, base_url) values (1, 'antigo', 'antigo', 'antigo', 'lm_studio', 'http://127.0.0.1:1')",
    );
    antigo.close();

    const servidor = await iniciarApp({ DATA_DIR: pasta, DATABASE_URL: sqld ? url : "", APP_SECRET: app().segredoApp });
    const depois = createClient({ url });
    try {
      expect(await tabelas(depois)).toBe(1);
      const rest = clienteApi(`${servidor.url}/api/chaves`);
      expect((await rest.pedir("")).corpo).toEqual([]);
      const r = await rest.pedir<Chave>("", { json: { nome: "depois da migração", provedores: [1] } });
      expect(r.status, r.texto).toBe(201);
      expect((await rest.pedir<Chave[]>("")).corpo.map((c) => c.nome)).toEqual(["depois da migração"]);
      expect((await clienteApi(`${servidor.url}/api/provedores-llm`).pedir<{ nome: string }>("/1")).corpo.nome).toBe("antigo");
    } finally {
      depois.close();
      await servidor.parar();
      await sqld?.parar();
    }
  });
});
