import { createClient, type Client } from "@libsql/client";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clienteApi } from "../support/cliente-api";
import { app } from "../support/contexto";
import { bancoAntesDe } from "../support/migracoes";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

type Provedor = { id: number; nome: string; slug: string };

/**
 * Providers as an older version stored them (id, name, active), and the slug its catalogue gave each active
 * one (lib/gateway/catalogo.ts before 0005: active rows by id, base = slugDe(nome) || provedor-<id>, a taken
 * base gets -<id>; its map kept the last of two equal slugs, so pinned ids went to the later one).
 */
const ANTIGOS: [number, string, boolean, string][] = [
  [1, "Servidor Ação".normalize("NFD"), true, "servidor-acao"],
  [2, "SERVIDOR AÇÃO", true, "servidor-acao-2"], // the same name now: both kept, 2's key suffixed
  [3, "dup", true, "dup"],
  [4, "dup 5", true, "dup-5--2"], // was dup-5, which "DUP!" took over: the catalogue routed dup-5 to 5
  [5, "DUP!", true, "dup-5"], // dup taken → dup-5
  [6, "a", true, "a"],
  [7, "a!", true, "a-7"],
  [8, "a 7", true, "a-7-8"], // its base a-7 was 7's slug already
  [9, "ola", false, "ola--2"], // inactive: the catalogue never named it; the active "OLA!" had "ola"
  [10, "OLA!", true, "ola"],
  [11, "\u212aelvin", true, "kelvin"], // Kelvin sign: NFD makes it K
  [12, "kelvin", true, "kelvin-12"],
  [13, "ﬁ", true, "provedor-13"], // no ASCII letter under NFD
  [14, "!!!", false, "provedor"],
];

async function contar(banco: Client, tabela: string, provedor: number): Promise<number> {
  return Number((await banco.execute({ sql: `select count(*) as n from ${tabela} where provedor_id = ?`, args: [provedor] })).rows[0]!.n);
}

describe("upgrading a database that has providers (migration 0005)", () => {
  it("keeps every row and the pinned ids the catalogue gave out, compares names as the app does, and leaves no default behind", {
    timeout: 120_000,
  }, async () => {
    // The same database mode as this project's app: a libSQL file, or a sqld server of its own.
    const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
    const { pasta, url, cliente: antigo } = await bancoAntesDe("0005", sqld?.url);
    for (const [id, nome, ativo] of ANTIGOS) {
      await antigo.execute({
        sql: "insert into provedores_llm (id, nome, tipo, base_url, ativo) values (?, ?, 'ollama', 'http://127.0.0.1:9', ?)",
        args: [id, nome, ativo ? 1 : 0],
      });
    }
    // a deleted provider: its id is never given again
    await antigo.execute("insert into provedores_llm (id, nome, tipo, base_url) values (40, 'apagado', 'ollama', 'http://127.0.0.1:9')");
    await antigo.execute("delete from provedores_llm where id = 40");
    await antigo.executeMultiple(`
      insert into modelos_provedores (provedor_id, modelo, nome) values (4, 'm1', 'm1'), (4, 'm2', 'm2');
      insert into estatisticas_provedores (provedor_id, inicio, requisicoes, requisicoes_sucesso) values (5, 60000, 3, 3);
      insert into eventos_status (provedor_id, criado_em, de, para) values (4, 1, 'desconhecido', 'online');
      insert into requisicoes_provedores (provedor_id, criado_em, sucesso, tempo_resposta_ms) values (4, 1, 1, 10);
    `);
    antigo.close();

    const iniciar = () => iniciarApp({ DATA_DIR: pasta, DATABASE_URL: sqld ? url : "", APP_SECRET: app().segredoApp });
    let servidor: ServidorApp | null = await iniciar();
    const banco = createClient({ url });
    try {
      const rest = (s: ServidorApp) => clienteApi(`${s.url}/api/provedores-llm`);
      const listar = async (s: ServidorApp) =>
        (await rest(s).pedir<Provedor[]>("")).corpo.sort((a, b) => a.id - b.id).map((p) => [p.id, p.nome, p.slug]);
      const esperado = ANTIGOS.map(([id, nome, , slug]) => [id, nome.normalize("NFC"), slug]);
      expect(await listar(servidor)).toEqual(esperado);

      // child rows stayed, and still point to their provider with ON DELETE CASCADE
      expect(await contar(banco, "modelos_provedores", 4)).toBe(2);
      expect(await contar(banco, "eventos_status", 4)).toBe(1);
      expect(await contar(banco, "requisicoes_provedores", 4)).toBe(1);
      expect(await contar(banco, "estatisticas_provedores", 5)).toBe(1);
      expect((await banco.execute("pragma foreign_key_check")).rows).toEqual([]);

      // names are compared by the keys written at start-up
      const postar = (nome: string) =>
        rest(servidor!).pedir<Provedor>("", { json: { nome, tipo: "ollama", base_url: "http://127.0.0.1:9" } });
      for (const nome of ["servidor ação", "Servidor Ação".normalize("NFD"), "KELVIN", "FI", "Ola"])
        expect((await postar(nome)).status, nome).toBe(409);
      const novo = await postar("Dup?");
      expect(novo.status).toBe(201);
      expect(novo.corpo).toMatchObject({ id: 41, slug: "dup--2" });

      // the newer of two names that are now one keeps being editable, name sent back as the form does
      const editar = (id: number, json: unknown) =>
        rest(servidor!).pedir<Provedor & { descricao: string }>(`/${id}`, { method: "PUT", json });
      const editado = await editar(2, { nome: "SERVIDOR AÇÃO", descricao: "editado" });
      expect(editado.status).toBe(200);
      expect(editado.corpo).toMatchObject({ nome: "SERVIDOR AÇÃO", descricao: "editado" });
      expect((await editar(12, { nome: "Kelvin", ativo: false })).status).toBe(200);
      expect((await editar(2, { nome: "dup" })).status).toBe(409);

      // a second start changes nothing
      await servidor.parar();
      servidor = await iniciar();
      const depois = await listar(servidor);
      expect(depois.filter(([id]) => Number(id) < 41).map(([id, , slug]) => [id, slug])).toEqual(
        esperado.map(([id, , slug]) => [id, slug]),
      );

      // no default is left: a write that leaves slug or the key out (an older instance) fails
      await expect(
        banco.execute("insert into provedores_llm (nome, nome_chave, tipo, base_url) values ('x', 'x', 'ollama', 'http://127.0.0.1:9')"),
      ).rejects.toThrow(/NOT NULL/);
      await expect(
        banco.execute("insert into provedores_llm (nome, slug, tipo, base_url) values ('y', 'y', 'ollama', 'http://127.0.0.1:9')"),
      ).rejects.toThrow(/NOT NULL/);

      // deleting a provider with foreign keys on still takes its rows along
      await banco.executeMultiple("pragma foreign_keys = on; delete from provedores_llm where id = 4;");
      expect(await contar(banco, "modelos_provedores", 4)).toBe(0);
      expect(await contar(banco, "eventos_status", 4)).toBe(0);
    } finally {
      banco.close();
      await servidor?.parar();
      await sqld?.parar();
    }
  });
});

describe("several instances upgrading one database at once", () => {
  // In this process, three start-ups at once on one client: each reads the journal before any has applied
  // 0005, which is the race of instances starting together, without depending on how processes are scheduled.
  it("apply migration 0005 once, and agree on every slug and key", { timeout: 60_000 }, async () => {
    const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
    const { url, cliente: antigo } = await bancoAntesDe("0005", sqld?.url);
    for (let i = 1; i <= 30; i++) {
      await antigo.execute({
        sql: "insert into provedores_llm (nome, tipo, base_url) values (?, 'ollama', 'http://127.0.0.1:9')",
        args: [`p ${i % 7} ${i}`],
      });
    }
    antigo.close();
    process.env.DATABASE_URL = url;
    const { aplicarMigracoes } = await import("@/lib/provedores/completar-migracao");
    const banco = createClient({ url });
    try {
      await Promise.all([aplicarMigracoes(), aplicarMigracoes(), aplicarMigracoes()]);
      // one journal row per migration: none was applied twice
      const [diario] = (await banco.execute("select count(*) as n, count(distinct hash) as distintas from __drizzle_migrations")).rows;
      const migracoes = (JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] }).entries.length;
      expect(diario).toMatchObject({ n: migracoes, distintas: migracoes });
      const [linhas] = (
        await banco.execute(
          "select count(*) as n, count(distinct slug) as slugs, sum(substr(slug, 1, 1) = char(1) or substr(nome_chave, 1, 1) = char(1)) as marcadas from provedores_llm",
        )
      ).rows;
      expect(linhas).toMatchObject({ n: 30, slugs: 30, marcadas: 0 });
    } finally {
      banco.close();
      await sqld?.parar();
    }
  });
});
