import { describe, expect, it } from "vitest";
import type { RegistroRequisicao } from "@/lib/schemas/llm";
import { bancoAntesDe } from "../support/migracoes";

// The closed hours and days of a period are read once and kept (lib/estatisticas/blocos-fechados.ts): every figure
// must be what a read of the database alone gives, the recent minutes must show at once, and a provider deleted
// since must leave the totals at once, though its past rows were in a kept block.

const MINUTO = 60_000;
const HORA = 60 * MINUTO;
const DIA = 24 * HORA;
const PERIODOS = ["1h", "24h", "7d", "30d"] as const;

/** An answer without what moves with the clock (a minute passing shifts the series' empty edge points). */
function semRelogio(e: unknown): Record<string, unknown> {
  const j = JSON.parse(JSON.stringify(e)) as Record<string, unknown> & { serie: { requisicoes: number }[] };
  return { ...j, serie: j.serie.filter((p) => p.requisicoes > 0) };
}

describe("statistics of closed hours and days, kept in memory", () => {
  it("answer what the database alone answers, see new requests at once, and drop a deleted provider at once", {
    timeout: 60_000,
  }, async () => {
    const { url, cliente } = await bancoAntesDe("9999");
    for (const id of [1, 2]) {
      await cliente.execute({
        sql: "insert into provedores_llm (id, nome, nome_chave, slug, tipo, base_url) values (?, ?, ?, ?, 'ollama', 'http://127.0.0.1:9')",
        args: [id, `p${id}`, `p${id}`, `p${id}`],
      });
    }
    process.env.DATABASE_URL = url;
    const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
    const { obterEstatisticas, obterEstatisticasGerais } = await import("@/lib/estatisticas/consultar-estatisticas");
    const { esquecerBlocosFechados } = await import("@/lib/estatisticas/blocos-fechados");
    const agora = Date.now();
    let i = 0;
    const registrar = (provedor: number, criadoEm: number) => {
      const sucesso = i % 5 !== 0;
      const registro: RegistroRequisicao = {
        provedor_id: provedor,
        porta: i % 3 === 0 ? "openai" : "requisicao",
        criado_em: criadoEm,
        modelo: i % 2 ? "a" : "b",
        stream: i % 2 === 0,
        sucesso,
        codigo_erro: sucesso ? null : "provedor_timeout",
        tempo_resposta_ms: 40 + 53 * i,
        tempo_primeiro_token_ms: i % 2 === 0 ? 10 + i : null,
        tempo_fila_ms: i % 4 === 0 ? i : null,
        tokens_prompt: 3 + i,
        tokens_resposta: 5 + i,
        chave_id: i % 3 === 1 ? 7 : null,
      };
      i++;
      void registrarRequisicao(registro);
    };
    // Inside every period: minutes ago (read fresh), hours and days ago (kept once read).
    for (const atras of [5 * MINUTO, 40 * MINUTO, 3 * HORA, 10 * HORA, 2 * DIA, 5 * DIA, 20 * DIA])
      for (let k = 0; k < 6; k++) registrar(1 + (k % 2), agora - atras + k * 1000);
    await gravarPendentes();

    const ler = async () => {
      const r = new Map<string, Record<string, unknown>>();
      for (const periodo of PERIODOS) {
        r.set(`todos ${periodo}`, semRelogio(await obterEstatisticasGerais(periodo)));
        for (const id of [1, 2]) r.set(`${id} ${periodo}`, semRelogio(await obterEstatisticas(id, periodo)));
      }
      return r;
    };
    /** The same reads with nothing kept: the database alone. */
    const lerDoBanco = async () => {
      const r = new Map<string, Record<string, unknown>>();
      for (const periodo of PERIODOS) {
        esquecerBlocosFechados();
        r.set(`todos ${periodo}`, semRelogio(await obterEstatisticasGerais(periodo)));
        for (const id of [1, 2]) {
          esquecerBlocosFechados();
          r.set(`${id} ${periodo}`, semRelogio(await obterEstatisticas(id, periodo)));
        }
      }
      return r;
    };

    const doBanco = await lerDoBanco();
    expect(doBanco.get("todos 30d")).toMatchObject({ total_requisicoes: 42 });
    expect(doBanco.get("todos 24h")).toMatchObject({ total_requisicoes: 24 });
    expect(doBanco.get("todos 1h")).toMatchObject({ total_requisicoes: 12 });
    esquecerBlocosFechados();
    await ler(); // fills the blocks
    const dosBlocos = await ler();
    for (const [chave, esperado] of doBanco) expect(dosBlocos.get(chave), chave).toEqual(esperado);

    // Closed days are read once: a count changed in the table behind the app's back is not read again until the
    // blocks are.
    const dia = Math.floor((agora - 5 * DIA) / DIA) * DIA;
    await cliente.execute({
      sql: `update estatisticas_modelos set requisicoes = requisicoes + 1
            where (provedor_id, largura_ms, inicio, modelo) =
                  (select provedor_id, largura_ms, inicio, modelo from estatisticas_modelos
                   where provedor_id = 1 and largura_ms = ? and inicio = ? limit 1)`,
      args: [DIA, dia],
    });
    expect((await obterEstatisticasGerais("30d")).total_requisicoes).toBe(42);
    esquecerBlocosFechados();
    expect((await obterEstatisticasGerais("30d")).total_requisicoes).toBe(43);
    await cliente.execute({
      sql: `update estatisticas_modelos set requisicoes = requisicoes - 1
            where (provedor_id, largura_ms, inicio, modelo) =
                  (select provedor_id, largura_ms, inicio, modelo from estatisticas_modelos
                   where provedor_id = 1 and largura_ms = ? and inicio = ? limit 1)`,
      args: [DIA, dia],
    });
    esquecerBlocosFechados();

    // A late record the app writes itself (an outage's backlog: a request of days ago) counts at once: writing it
    // forgets the blocks it makes stale.
    await ler();
    registrar(1, agora - 5 * DIA + 30_000);
    await gravarPendentes();
    expect((await obterEstatisticasGerais("30d")).total_requisicoes).toBe(43);

    // A request of now counts at once, beside the kept blocks (7d and 30d also see the late record above).
    await ler();
    registrar(2, Date.now());
    await gravarPendentes();
    const comNova = await ler();
    for (const periodo of PERIODOS)
      expect(comNova.get(`todos ${periodo}`)!.total_requisicoes, periodo).toBe(
        (doBanco.get(`todos ${periodo}`)!.total_requisicoes as number) + 1 + (periodo === "7d" || periodo === "30d" ? 1 : 0),
      );
    for (const [chave, esperado] of await lerDoBanco()) expect(comNova.get(chave), chave).toEqual(esperado);

    // Deleting a provider takes its rows with it, kept blocks included.
    await ler();
    await cliente.execute("pragma foreign_keys = on");
    await cliente.execute("delete from provedores_llm where id = 2");
    const semO2 = new Map<string, Record<string, unknown>>();
    for (const periodo of PERIODOS) semO2.set(periodo, semRelogio(await obterEstatisticasGerais(periodo)));
    for (const periodo of PERIODOS) {
      esquecerBlocosFechados();
      const esperado = semRelogio(await obterEstatisticasGerais(periodo));
      expect(semO2.get(periodo), periodo).toEqual(esperado);
      expect(esperado.total_requisicoes, periodo).toBe((await obterEstatisticas(1, periodo)).total_requisicoes);
    }
    cliente.close();
  });
});
