import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequisicoesRecentes, UsoPorPorta } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { clienteApi } from "../support/cliente-api";
import { app } from "../support/contexto";
import type { Estatisticas } from "../support/llm";
import { MENSAGENS } from "../support/llm";
import { bancoAntesDe } from "../support/migracoes";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

const MINUTO = 60_000;
const HORA = 60 * MINUTO;
const DIA = 24 * HORA;

let llama: LlamaCppFalso;
beforeAll(async () => {
  llama = await new LlamaCppFalso({ modelos: [{ id: "tiny" }], resposta: "ok ok" }).iniciar();
});
afterAll(() => llama.parar());

describe("upgrading a database that has statistics from before the door was recorded (migration 0006)", () => {
  it("keeps every count, under no door ('anterior') rather than a guessed one, and counts new calls by their door", {
    timeout: 120_000,
  }, async () => {
    const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
    const { pasta, url, cliente: antigo } = await bancoAntesDe("0006", sqld?.url);
    await antigo.execute({
      sql: "insert into provedores_llm (id, nome, nome_chave, slug, tipo, base_url) values (1, 'antigo', 'antigo', 'antigo', 'llama_cpp', ?)",
      args: [llama.url],
    });
    // Ten minutes ago, by model at the three widths the writer keeps (and their histograms), and in the log.
    const quando = Date.now() - 10 * MINUTO;
    for (const largura of [MINUTO, HORA, DIA]) {
      const inicio = Math.floor(quando / largura) * largura;
      for (const [modelo, n, erros] of [
        ["tiny", 3, 1],
        ["outro", 2, 0],
      ] as const) {
        await antigo.execute({
          sql: `insert into estatisticas_modelos (provedor_id, largura_ms, inicio, modelo, requisicoes, requisicoes_sucesso, requisicoes_erro, tempo_total_ms, tokens_prompt, tokens_resposta)
                values (1, ?, ?, ?, ?, ?, ?, ?, 4, 6)`,
          args: [largura, inicio, modelo, n, n - erros, erros, 100 * (n - erros)],
        });
      }
    }
    await antigo.execute({
      sql: "insert into estatisticas_provedores (provedor_id, inicio, requisicoes, requisicoes_sucesso, requisicoes_erro, tempo_total_ms, tokens_prompt, tokens_resposta) values (1, ?, 5, 4, 1, 400, 8, 12)",
      args: [Math.floor(quando / MINUTO) * MINUTO],
    });
    await antigo.execute({
      sql: "insert into requisicoes_provedores (provedor_id, criado_em, modelo, sucesso, tempo_resposta_ms) values (1, ?, 'tiny', 1, 100)",
      args: [quando],
    });
    antigo.close();

    const servidor: ServidorApp = await iniciarApp({ DATA_DIR: pasta, DATABASE_URL: sqld ? url : "", APP_SECRET: app().segredoApp });
    const banco = createClient({ url });
    try {
      const rest = clienteApi(`${servidor.url}/api/provedores-llm`);
      const estatisticas = async (periodo: string) => (await rest.pedir<Estatisticas>(`/1/estatisticas?periodo=${periodo}`)).corpo;
      const anterior = { porta: null, requisicoes: 5, erros: 1, tempo_medio_ms: 100, p95_ms: null, tokens_prompt: 8, tokens_resposta: 12 };
      for (const periodo of ["1h", "24h", "7d", "30d"]) {
        const e = await estatisticas(periodo);
        expect(e.total_requisicoes, periodo).toBe(5);
        const porPorta = e.por_porta as UsoPorPorta[];
        expect(porPorta.at(-1), periodo).toEqual(anterior);
        expect(porPorta.slice(0, -1).every((p) => p.requisicoes === 0)).toBe(true);
      }
      // the old log row has no door; the column takes one from now on
      const antes = (await rest.pedir<RequisicoesRecentes>("/1/requisicoes")).corpo;
      expect(antes.requisicoes.map((r) => r.porta)).toEqual([null]);

      // a call after the upgrade is counted by its door, next to what came before
      expect((await rest.pedir("/1/testar", { method: "POST" })).corpo).toMatchObject({ sucesso: true });
      const r = await rest.pedir("/1/requisicao", { json: { mensagens: MENSAGENS, modelo: "tiny" } });
      expect(r.status).toBe(200);
      const depois = await estatisticas("1h");
      expect(depois.total_requisicoes).toBe(6);
      const porPorta = depois.por_porta as UsoPorPorta[];
      expect(porPorta[0]).toMatchObject({ porta: "requisicao", requisicoes: 1, erros: 0 });
      expect(porPorta[0]!.p95_ms).toBeGreaterThan(0);
      expect(porPorta.at(-1)).toEqual(anterior);
      expect((await rest.pedir<RequisicoesRecentes>("/1/requisicoes")).corpo.requisicoes.map((q) => q.porta)).toEqual(["requisicao", null]);
      const colunas = await banco.execute("select porta from requisicoes_provedores order by id");
      expect(colunas.rows.map((l) => l.porta)).toEqual([null, "requisicao"]);
    } finally {
      banco.close();
      await servidor.parar();
      await sqld?.parar();
    }
  });
});
