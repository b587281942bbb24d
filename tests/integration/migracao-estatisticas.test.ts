import { describe, expect, it } from "vitest";
import { app } from "../support/contexto";
import { bancoAntesDe } from "../support/migracoes";

const MINUTO = 60_000;
const DIA = 24 * 60 * MINUTO;

// An upgrade, run in this process on a database of its own: the version before the histograms, with its
// counters, then the app's migrations and its statistics read. (Once: it does not depend on the app's database.)
describe.runIf(app().modoBanco === "arquivo")("upgrading a database that has counters from before the histograms", () => {
  it("keeps every period's totals and series, and shows no percentile until the period holds only timed requests", async () => {
    const { url, cliente: antigo } = await bancoAntesDe("0003");
    await antigo.execute("insert into provedores_llm (nome, tipo, base_url) values ('antigo', 'ollama', 'http://127.0.0.1:9')");
    const agora = Date.now();
    const minuto = (t: number) => Math.floor(t / MINUTO) * MINUTO;
    for (const [quando, n, tempo] of [
      [agora - 10 * MINUTO, 4, 400],
      [agora - 3 * DIA, 6, 1200],
      [agora - 20 * DIA, 10, 3000],
    ] as const) {
      await antigo.execute({
        sql: `insert into estatisticas_provedores (provedor_id, inicio, requisicoes, requisicoes_sucesso, requisicoes_erro, tempo_total_ms, tokens_prompt, tokens_resposta)
              values (1, ?, ?, ?, 1, ?, 5, 7)`,
        args: [minuto(quando), n, n - 1, tempo],
      });
    }
    antigo.close();

    // the app's own start-up migration and read, on that file
    process.env.DATABASE_URL = url;
    const { aplicarMigracoes } = await import("@/lib/provedores/completar-migracao");
    const { obterEstatisticas } = await import("@/lib/estatisticas/consultar-estatisticas");
    const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
    await aplicarMigracoes();

    const h1 = await obterEstatisticas(1, "1h");
    expect(h1).toMatchObject({ total_requisicoes: 4, requisicoes_sucesso: 3, requisicoes_erro: 1, tempo_medio_resposta_ms: 133.3 });
    expect(h1).toMatchObject({ tokens_totais: 12, p50_ms: null, p95_ms: null, p99_ms: null });
    expect(h1.por_modelo).toEqual([expect.objectContaining({ modelo: "", requisicoes: 4, p95_ms: null })]);
    expect((await obterEstatisticas(1, "7d")).total_requisicoes).toBe(10);
    const d30 = await obterEstatisticas(1, "30d");
    expect(d30.total_requisicoes).toBe(20);
    expect(d30.serie.reduce((n, p) => n + p.requisicoes, 0)).toBe(20);
    expect(d30.ultima_atividade?.getTime()).toBe(minuto(agora - 10 * MINUTO));

    // a new request is counted with its model and time; the period still mixes untimed ones: no percentile
    await registrarRequisicao({
      provedor_id: 1,
      porta: "requisicao",
      criado_em: Date.now(),
      modelo: "llama3.2:latest",
      stream: false,
      sucesso: true,
      codigo_erro: null,
      tempo_resposta_ms: 80,
      tempo_primeiro_token_ms: null,
      tempo_fila_ms: null,
      tokens_prompt: 1,
      tokens_resposta: 1,
      chave_id: null,
    });
    await gravarPendentes();
    const depois = await obterEstatisticas(1, "1h");
    expect(depois.total_requisicoes).toBe(5);
    expect(depois.p95_ms).toBeNull();
    expect(depois.por_modelo).toEqual([
      expect.objectContaining({ modelo: "", requisicoes: 4 }),
      expect.objectContaining({ modelo: "llama3.2:latest", requisicoes: 1 }),
    ]);
    expect(depois.por_modelo[1]!.p95_ms! / 80).toBeCloseTo(1, 1);
  });
});
