import { createClient } from "@libsql/client";
import { randomUUID } from "node:crypto";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EstatisticasChave, UsoPorChave } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { clienteApi } from "../support/cliente-api";
import { api, app, banco, rotasDoApp } from "../support/contexto";
import { type ComoJson, criarProvedor, type Estatisticas, lerEstatisticas, MENSAGENS } from "../support/llm";
import { bancoAntesDe } from "../support/migracoes";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

// Attribution: every request records the access key it came with (none: the admin), and the statistics count
// by key — a key's own (GET /api/chaves/{id}/estatisticas), a provider's `por_chave`, the `chave` label of
// /api/metrics.

type EstatisticasDaChave = ComoJson<EstatisticasChave>;
type Erro = { erro: { codigo: string; mensagem: string } };

const MINUTO = 60_000;
const HORA = 60 * MINUTO;
const DIA = 24 * HORA;

const chaves = () => clienteApi(`${app().url}/api/chaves`);

async function criarChave(extra: Record<string, unknown> = {}): Promise<{ id: number; nome: string; prefixo: string; chave: string }> {
  const r = await chaves().pedir<{ id: number; nome: string; prefixo: string; chave: string }>("", {
    json: { nome: `Atribuição ${randomUUID().slice(0, 8)}`, ...extra },
  });
  expect(r.status, r.texto).toBe(201);
  return r.corpo;
}

async function estatisticasDaChave(id: number, periodo = "1h"): Promise<EstatisticasDaChave> {
  const r = await chaves().pedir<EstatisticasDaChave>(`/${id}/estatisticas?periodo=${periodo}`);
  expect(r.status, r.texto).toBe(200);
  return r.corpo;
}

const ADMIN_SEM_USO = (): UsoPorChave => ({
  chave_id: null,
  nome: null,
  prefixo: null,
  requisicoes: 0,
  erros: 0,
  tempo_medio_ms: null,
  p95_ms: null,
  tokens_prompt: 0,
  tokens_resposta: 0,
});

/** What the by-key rows of a provider hold at one width (0: the admin). */
async function linhasPorChave(provedorId: number, largura: number) {
  const r = await banco().execute({
    sql: `select chave_id, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(tokens_prompt) prompt, sum(tokens_resposta) resposta
          from estatisticas_chaves where provedor_id = ? and largura_ms = ? group by chave_id order by chave_id`,
    args: [provedorId, largura],
  });
  return r.rows.map((l) => [Number(l.chave_id), Number(l.n), Number(l.erro), Number(l.prompt), Number(l.resposta)]);
}

describe("attribution while every request is the admin's", () => {
  const modelo = `atribuicao-${randomUUID().slice(0, 8)}`;
  let llama: LlamaCppFalso;
  let id: number;

  beforeAll(async () => {
    llama = await new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: "um dois três" }).iniciar();
    id = await criarProvedor("llama_cpp", llama.url);
  });
  afterAll(() => llama.parar());

  it("records no key on the request's row, and the provider's por_chave is one admin row that adds up to its totals", async () => {
    expect((await lerEstatisticas(id)).por_chave).toEqual([ADMIN_SEM_USO()]);
    for (const stream of [false, true, false]) {
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, stream } });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
    llama.falha = "erro_500";
    const falha = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo } });
    expect(falha.status).toBe(502);
    llama.falha = null;

    const linhas = await banco().execute({ sql: "select chave_id from requisicoes_provedores where provedor_id = ?", args: [id] });
    expect(linhas.rows.map((l) => l.chave_id)).toEqual([null, null, null, null]);

    const e: Estatisticas = await lerEstatisticas(id);
    expect(e.total_requisicoes).toBe(4);
    const porChave = e.por_chave as UsoPorChave[];
    expect(porChave).toHaveLength(1);
    const [admin] = porChave;
    expect(admin).toMatchObject({ chave_id: null, nome: null, prefixo: null, requisicoes: 4, erros: 1 });
    // the fake llama.cpp counts the answer's words as its tokens: three for each of the three answers
    expect(admin!.tokens_resposta).toBe(9);
    expect(admin!.tokens_prompt + admin!.tokens_resposta).toBe(e.tokens_totais);
    expect(admin!.tempo_medio_ms).toBe(e.tempo_medio_resposta_ms);
    expect(admin!.p95_ms).toBe(e.p95_ms);
    // the admin is stored as key 0 at each of the three widths
    for (const largura of [MINUTO, HORA, DIA]) expect(await linhasPorChave(id, largura)).toEqual([[0, 4, 1, admin!.tokens_prompt, 9]]);

    // /api/metrics: the admin's series carry an empty key
    const texto = await (await rotasDoApp().resposta("/api/metrics")).text();
    const amostras = parsePrometheusTextFormat(texto)
      .find((f) => f.name === "provedores_llm_requisicoes_total")!
      .metrics.filter((m) => m.labels?.provedor_id === String(id));
    expect(amostras.map((m) => [m.labels?.chave, m.labels?.chave_id, m.labels?.codigo, m.value]).sort()).toEqual([
      ["", "", "provedor_erro", "1"],
      ["", "", "sucesso", "3"],
    ]);
  });

  it("answers a key's statistics: zeros for a key that made no call, 404 for an unknown key, 400 for a bad period", async () => {
    const chave = await criarChave();
    for (const [periodo, pontos] of [
      ["1h", [60, 61]],
      ["24h", [24, 25]],
      ["7d", [28, 29]],
      ["30d", [30, 31]],
    ] as const) {
      const e = await estatisticasDaChave(chave.id, periodo);
      expect(e).toMatchObject({
        chave_id: chave.id,
        nome: chave.nome,
        prefixo: chave.prefixo,
        periodo,
        total_requisicoes: 0,
        requisicoes_sucesso: 0,
        requisicoes_erro: 0,
        taxa_sucesso: null,
        tempo_medio_resposta_ms: null,
        p50_ms: null,
        p95_ms: null,
        p99_ms: null,
        p95_primeiro_token_ms: null,
        tokens_prompt: 0,
        tokens_resposta: 0,
        tokens_totais: 0,
        ultima_atividade: null,
        por_modelo: [],
        por_provedor: [],
      });
      expect(pontos).toContain(e.serie.length);
      expect(e.serie.every((p) => p.requisicoes === 0 && p.erros === 0 && p.tempo_medio_ms === null)).toBe(true);
    }
    // a revoked key keeps its statistics
    expect((await chaves().pedir(`/${chave.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await estatisticasDaChave(chave.id)).chave_id).toBe(chave.id);

    // the same error shape as a provider's statistics
    const desconhecida = await chaves().pedir<Erro>("/999999999/estatisticas");
    expect(desconhecida.status).toBe(404);
    expect(desconhecida.corpo.erro).toEqual({ codigo: "nao_encontrado", mensagem: "Chave de acesso 999999999 não encontrada." });
    const provedorDesconhecido = (await api("/999999999/estatisticas")).status;
    expect(provedorDesconhecido).toBe(404);
    const periodo = await chaves().pedir<Erro>(`/${chave.id}/estatisticas?periodo=2h`);
    const periodoDoProvedor = (await api(`/${id}/estatisticas?periodo=2h`)).json() as Promise<Erro>;
    expect(periodo.status).toBe(400);
    expect(periodo.corpo.erro.codigo).toBe("validacao");
    expect(periodo.corpo.erro.mensagem).toBe((await periodoDoProvedor).erro.mensagem);
    expect((await chaves().pedir<Erro>("/abc/estatisticas")).status).toBe(400);
  });
});

describe("upgrading a database that has statistics from before keys were recorded (migration 0008)", () => {
  let llama: LlamaCppFalso;
  beforeAll(async () => {
    llama = await new LlamaCppFalso({ modelos: [{ id: "tiny" }], resposta: "ok ok" }).iniciar();
  });
  afterAll(() => llama.parar());

  it("counts what came before as the admin's, with its times, and new calls beside it", { timeout: 120_000 }, async () => {
    const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
    const { pasta, url, cliente: antigo } = await bancoAntesDe("0008", sqld?.url);
    await antigo.execute({
      sql: "insert into provedores_llm (id, nome, nome_chave, slug, tipo, base_url) values (1, 'antigo', 'antigo', 'antigo', 'llama_cpp', ?)",
      args: [llama.url],
    });
    // Ten minutes ago, by model at the three widths the writer keeps, with their histograms, and in the log.
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
        // every success timed at bucket 40
        await antigo.execute({
          sql: "insert into histogramas_latencia (provedor_id, largura_ms, inicio, modelo, metrica, balde, quantidade) values (1, ?, ?, ?, 'resposta', 40, ?)",
          args: [largura, inicio, modelo, n - erros],
        });
      }
      await antigo.execute({
        sql: `insert into estatisticas_portas (provedor_id, largura_ms, inicio, porta, requisicoes, requisicoes_sucesso, requisicoes_erro, tempo_total_ms, tokens_prompt, tokens_resposta)
              values (1, ?, ?, 'requisicao', 5, 4, 1, 400, 8, 12)`,
        args: [largura, inicio],
      });
    }
    await antigo.execute({
      sql: "insert into estatisticas_provedores (provedor_id, inicio, requisicoes, requisicoes_sucesso, requisicoes_erro, tempo_total_ms, tokens_prompt, tokens_resposta) values (1, ?, 5, 4, 1, 400, 8, 12)",
      args: [Math.floor(quando / MINUTO) * MINUTO],
    });
    await antigo.execute({
      sql: "insert into requisicoes_provedores (provedor_id, criado_em, modelo, porta, sucesso, tempo_resposta_ms) values (1, ?, 'tiny', 'requisicao', 1, 100)",
      args: [quando],
    });
    antigo.close();

    const servidor: ServidorApp = await iniciarApp({ DATA_DIR: pasta, DATABASE_URL: sqld ? url : "", APP_SECRET: app().segredoApp });
    const bancoMigrado = createClient({ url });
    try {
      const rest = clienteApi(`${servidor.url}/api/provedores-llm`);
      const estatisticas = async (periodo: string) => (await rest.pedir<Estatisticas>(`/1/estatisticas?periodo=${periodo}`)).corpo;
      for (const periodo of ["1h", "24h", "7d", "30d"]) {
        const e = await estatisticas(periodo);
        expect(e.total_requisicoes, periodo).toBe(5);
        expect(e.p95_ms, periodo).not.toBeNull();
        expect(e.por_chave, periodo).toEqual([
          { ...ADMIN_SEM_USO(), requisicoes: 5, erros: 1, tempo_medio_ms: 100, p95_ms: e.p95_ms, tokens_prompt: 8, tokens_resposta: 12 },
        ]);
      }
      const log = await bancoMigrado.execute("select chave_id from requisicoes_provedores");
      expect(log.rows.map((l) => l.chave_id)).toEqual([null]);

      // a call after the upgrade is the admin's too, next to what came before
      const r = await rest.pedir("/1/requisicao", { json: { mensagens: MENSAGENS, modelo: "tiny" } });
      expect(r.status).toBe(200);
      const depois = await estatisticas("1h");
      expect(depois.total_requisicoes).toBe(6);
      expect(depois.por_chave).toEqual([
        {
          ...ADMIN_SEM_USO(),
          requisicoes: 6,
          erros: 1,
          tempo_medio_ms: depois.tempo_medio_resposta_ms,
          p95_ms: depois.p95_ms,
          tokens_prompt: depois.tokens_totais - 12 - 2,
          tokens_resposta: 14,
        },
      ]);
      const porChave = await bancoMigrado.execute(
        "select chave_id, largura_ms, sum(requisicoes) n from estatisticas_chaves group by chave_id, largura_ms order by largura_ms",
      );
      expect(porChave.rows.map((l) => [Number(l.chave_id), Number(l.largura_ms), Number(l.n)])).toEqual([
        [0, MINUTO, 6],
        [0, HORA, 6],
        [0, DIA, 6],
      ]);
      expect((await bancoMigrado.execute("select chave_id from requisicoes_provedores order by id")).rows.map((l) => l.chave_id)).toEqual([
        null,
        null,
      ]);
    } finally {
      bancoMigrado.close();
      await servidor.parar();
      await sqld?.parar();
    }
  });
});
