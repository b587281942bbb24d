import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegistroRequisicao } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { clienteApi } from "../support/cliente-api";
import { app } from "../support/contexto";
import { MENSAGENS } from "../support/llm";
import { bancoAntesDe } from "../support/migracoes";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

const MINUTO = 60_000;
const HORA = 60 * MINUTO;
const DIA = 24 * HORA;
const PERIODOS = ["1h", "24h", "7d", "30d"];

const TABELAS: [string, string][] = [
  ["estatisticas_modelos", "provedor_id, largura_ms, inicio, modelo"],
  ["histogramas_latencia", "provedor_id, largura_ms, inicio, modelo, metrica, balde"],
  ["estatisticas_portas", "provedor_id, largura_ms, inicio, porta"],
  ["histogramas_latencia_portas", "provedor_id, largura_ms, inicio, porta, balde"],
  ["estatisticas_chaves", "chave_id, largura_ms, inicio, provedor_id, modelo"],
  ["histogramas_latencia_chaves", "chave_id, largura_ms, inicio, provedor_id, modelo, metrica, balde"],
];

/**
 * A statistics answer without what moves with the clock: the series keeps only its points that hold requests (a
 * minute passing between two reads shifts the period's first and last empty points).
 */
function semRelogio(e: Record<string, unknown>): Record<string, unknown> {
  return { ...e, serie: (e.serie as { requisicoes: number }[]).filter((p) => p.requisicoes > 0) };
}

let llama: LlamaCppFalso;
beforeAll(async () => {
  llama = await new LlamaCppFalso({ modelos: [{ id: "tiny" }], resposta: "ok ok" }).iniciar();
});
afterAll(() => llama.parar());

describe("upgrading a database that has statistics at migration 0012 (0013: the statistics tables WITHOUT ROWID)", () => {
  it("keeps every row and every figure of each server and of all of them, and goes on counting", { timeout: 120_000 }, async () => {
    const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
    const { pasta, url, cliente: antigo } = await bancoAntesDe("0013", sqld?.url);
    for (const [id, nome] of [
      [1, "antigo"],
      [2, "outro"],
    ] as const) {
      await antigo.execute({
        sql: "insert into provedores_llm (id, nome, nome_chave, slug, tipo, base_url) values (?, ?, ?, ?, 'llama_cpp', ?)",
        args: [id, nome, nome, nome, llama.url],
      });
    }

    // Statistics as the version at 0012 wrote them: the app's writer (the same upserts), in this process, on that
    // database, at times well inside each period (no edge a minute passing could move them across).
    process.env.DATABASE_URL = url;
    const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
    const { obterEstatisticas, obterEstatisticasGerais } = await import("@/lib/estatisticas/consultar-estatisticas");
    const agora = Date.now();
    let i = 0;
    for (const atras of [10 * MINUTO, 30 * MINUTO, 5 * HORA, 3 * DIA, 20 * DIA]) {
      for (let k = 0; k < 12; k++, i++) {
        const sucesso = i % 5 !== 0;
        const registro: RegistroRequisicao = {
          provedor_id: 1 + (i % 2),
          porta: i % 3 === 0 ? "openai" : "requisicao",
          criado_em: agora - atras + k * 1000,
          modelo: ["tiny", "outro"][i % 4 < 2 ? 0 : 1]!,
          stream: i % 2 === 0,
          sucesso,
          codigo_erro: sucesso ? null : "provedor_timeout",
          tempo_resposta_ms: 50 + 37 * i,
          tempo_primeiro_token_ms: i % 2 === 0 ? 10 + i : null,
          tempo_fila_ms: i % 4 === 0 ? i : null,
          tokens_prompt: 3 + i,
          tokens_resposta: 5 + i,
          // a key's use (of a key not registered here: with keys, calls need one, and the call below has none)
          chave_id: i % 3 === 1 ? 7 : null,
        };
        void registrarRequisicao(registro);
      }
    }
    await gravarPendentes();
    const linhas = async (c: typeof antigo) =>
      Promise.all(TABELAS.map(async ([t, chave]) => (await c.execute(`select * from ${t} order by ${chave}`)).rows.map((r) => ({ ...r }))));
    const linhasAntes = await linhas(antigo);
    expect(linhasAntes.every((l) => l.length > 0)).toBe(true);
    const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
    const antes = new Map<string, Record<string, unknown>>();
    for (const periodo of PERIODOS) {
      for (const id of [1, 2]) antes.set(`${id} ${periodo}`, semRelogio(json(await obterEstatisticas(id, periodo))));
      antes.set(`todos ${periodo}`, semRelogio(json(await obterEstatisticasGerais(periodo))));
    }
    expect(antes.get("todos 30d")).toMatchObject({ total_requisicoes: 60 });
    expect(antes.get("1 1h")).toMatchObject({ total_requisicoes: 12 });
    antigo.close();

    // the app, started on that database, applies 0013 and answers the same figures
    const servidor: ServidorApp = await iniciarApp({ DATA_DIR: pasta, DATABASE_URL: sqld ? url : "", APP_SECRET: app().segredoApp });
    const banco = createClient({ url });
    try {
      const rest = clienteApi(`${servidor.url}/api`);
      const ler = async (caminho: string) => {
        const r = await rest.pedir<Record<string, unknown>>(caminho);
        expect(r.status, caminho).toBe(200);
        return semRelogio(r.corpo);
      };
      for (const periodo of PERIODOS) {
        for (const id of [1, 2])
          expect(await ler(`/provedores-llm/${id}/estatisticas?periodo=${periodo}`), `${id} ${periodo}`).toEqual(
            antes.get(`${id} ${periodo}`),
          );
        expect(await ler(`/estatisticas?periodo=${periodo}`), `todos ${periodo}`).toEqual(antes.get(`todos ${periodo}`));
      }
      expect(await linhas(banco)).toEqual(linhasAntes);
      const esquema = await banco.execute("select type, name, tbl_name, sql from sqlite_schema where name not like 'sqlite_%'");
      for (const [t] of TABELAS) {
        const tabela = esquema.rows.find((r) => r.type === "table" && r.name === t);
        expect(String(tabela?.sql), t).toMatch(/\) WITHOUT ROWID$/);
        expect(String(tabela?.sql), t).not.toContain("__new_");
      }
      expect(esquema.rows.filter((r) => String(r.name).startsWith("__new_"))).toEqual([]);
      const indices = esquema.rows.filter((r) => r.type === "index").map((r) => `${r.tbl_name}.${r.name}`);
      expect(indices).toEqual(
        expect.arrayContaining([
          "estatisticas_chaves.estatisticas_chaves_provedor",
          "histogramas_latencia_chaves.histogramas_latencia_chaves_provedor",
        ]),
      );
      // the provider's foreign key still holds: deleting a server takes its rows with it
      const fks = await banco.execute("select * from pragma_foreign_key_list('histogramas_latencia')");
      expect(fks.rows.map((r) => [r.table, r.from, r.on_delete])).toEqual([["provedores_llm", "provedor_id", "CASCADE"]]);

      // a call after the upgrade adds to the rows already there
      const r = await rest.pedir("/provedores-llm/1/requisicao", { json: { mensagens: MENSAGENS, modelo: "tiny" } });
      expect(r.status).toBe(200);
      const depois = await ler("/provedores-llm/1/estatisticas?periodo=1h");
      expect(depois.total_requisicoes).toBe((antes.get("1 1h")!.total_requisicoes as number) + 1);
      expect((await ler("/estatisticas?periodo=30d")).total_requisicoes).toBe(61);
    } finally {
      banco.close();
      await servidor.parar();
      await sqld?.parar();
    }
  });
});
