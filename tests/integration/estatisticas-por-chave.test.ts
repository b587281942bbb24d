import { createClient, type Client } from "@libsql/client";
import { randomUUID } from "node:crypto";
import path from "node:path";
import OpenAI, { InternalServerError } from "openai";
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
// /api/metrics. Keys are made only on apps of this file's own: once a key is in use, the shared app's model
// doors would ask other files for one.

type EstatisticasDaChave = ComoJson<EstatisticasChave>;
type Uso = Record<string, number | string | null>;
type Erro = { erro: { codigo: string; mensagem: string } };

const MINUTO = 60_000;
const HORA = 60 * MINUTO;
const DIA = 24 * HORA;

type Chave = { id: number; nome: string; prefixo: string; chave: string };

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

    // the statistics first: a read waits for the pending writes, so the log holds every row after it
    const e: Estatisticas = await lerEstatisticas(id);
    expect(e.total_requisicoes).toBe(4);
    const linhas = await banco().execute({ sql: "select chave_id from requisicoes_provedores where provedor_id = ?", args: [id] });
    expect(linhas.rows.map((l) => l.chave_id)).toEqual([null, null, null, null]);
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

describe("attribution with access keys: mixed traffic on two providers", () => {
  const TOKEN = `admin-${randomUUID()}`;
  let servidor: ServidorApp;
  let bancoDoApp: Client;
  let alfa: LlamaCppFalso;
  let beta: LlamaCppFalso;
  let idAlfa: number;
  let idBeta: number;
  let k1: Chave;
  let k2: Chave;
  const admin = () => clienteApi(servidor.url, { token: TOKEN });
  const openai = (apiKey: string) => new OpenAI({ baseURL: `${servidor.url}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });
  const daChave = async (id: number | string, periodo = "1h") =>
    admin().pedir<EstatisticasDaChave & Erro>(`/api/chaves/${id}/estatisticas?periodo=${periodo}`);
  const doProvedor = async (id: number) => {
    const r = await admin().pedir<Estatisticas>(`/api/provedores-llm/${id}/estatisticas?periodo=1h`);
    expect(r.status, r.texto).toBe(200);
    return r.corpo;
  };

  beforeAll(async () => {
    servidor = await iniciarApp({ APP_SECRET: app().segredoApp, AUTH_TOKEN: TOKEN, MONITOR: "desligado" });
    bancoDoApp = createClient({ url: `file:${path.join(servidor.dataDir, "provedores-llm.db")}` });
    alfa = await new LlamaCppFalso({ modelos: [{ id: "alfa" }], resposta: "um dois três" }).iniciar();
    beta = await new LlamaCppFalso({ modelos: [{ id: "beta" }], resposta: "um dois três" }).iniciar();
    const provedor = async (nome: string, url: string) => {
      const r = await admin().pedir<{ id: number }>("/api/provedores-llm", { json: { nome, tipo: "llama_cpp", base_url: url } });
      expect(r.status, r.texto).toBe(201);
      expect((await admin().pedir(`/api/provedores-llm/${r.corpo.id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });
      return r.corpo.id;
    };
    idAlfa = await provedor("Alfa", alfa.url);
    idBeta = await provedor("Beta", beta.url);
    const chave = async (nome: string) => {
      const r = await admin().pedir<Chave>("/api/chaves", { json: { nome } });
      expect(r.status, r.texto).toBe(201);
      return r.corpo;
    };
    k1 = await chave("Script de resumo");
    k2 = await chave("Notebook da Ana");
  }, 120_000);
  afterAll(async () => {
    bancoDoApp?.close();
    await servidor?.parar();
    await alfa?.parar();
    await beta?.parar();
  });

  /** One chat through /v1 with the SDK, whole or streamed (usage asked for): the text that came back. */
  async function conversar(apiKey: string, model: string, stream: boolean): Promise<string> {
    const messages = [{ role: "user" as const, content: "oi" }];
    if (!stream) return (await openai(apiKey).chat.completions.create({ model, messages })).choices[0]?.message.content ?? "";
    let texto = "";
    const s = await openai(apiKey).chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
    for await (const c of s) texto += c.choices[0]?.delta?.content ?? "";
    return texto;
  }

  it("counts every request under its key (the admin's under none): the key's totals, tokens, by model and provider, the providers' por_chave, the metrics", {
    timeout: 120_000,
  }, async () => {
    // admin: 1 on alfa; k1: 2 on alfa, 1 streamed on beta; k2: 1 streamed on alfa, 1 on beta, then 1 beta fails
    expect(await conversar(TOKEN, "alfa", false)).toBe("um dois três");
    expect(await conversar(k1.chave, "alfa", false)).toBe("um dois três");
    expect(await conversar(k1.chave, "alfa", false)).toBe("um dois três");
    expect(await conversar(k1.chave, "beta", true)).toBe("um dois três");
    expect(await conversar(k2.chave, "alfa", true)).toBe("um dois três");
    expect(await conversar(k2.chave, "beta", false)).toBe("um dois três");
    beta.falha = "erro_500";
    await expect(conversar(k2.chave, "beta", false)).rejects.toBeInstanceOf(InternalServerError);
    beta.falha = null;

    // the log: each row names its key, the admin's none (read after the statistics, which wait for pending writes)
    expect((await daChave(k2.id)).corpo.total_requisicoes).toBe(3);
    const log = await bancoDoApp.execute("select provedor_id, chave_id, sucesso from requisicoes_provedores order by id");
    expect(log.rows.map((l) => [Number(l.provedor_id), l.chave_id === null ? null : Number(l.chave_id), Number(l.sucesso)])).toEqual([
      [idAlfa, null, 1],
      [idAlfa, k1.id, 1],
      [idAlfa, k1.id, 1],
      [idBeta, k1.id, 1],
      [idAlfa, k2.id, 1],
      [idBeta, k2.id, 1],
      [idBeta, k2.id, 0],
    ]);

    // a successful call with "oi": 1 word + 4 prompt tokens (the fake servers' count), 3 answer tokens
    const uso = (requisicoes: number, erros: number): Uso => ({
      requisicoes,
      erros,
      tokens_prompt: 5 * (requisicoes - erros),
      tokens_resposta: 3 * (requisicoes - erros),
    });
    for (const periodo of ["1h", "24h", "7d", "30d"]) {
      const r1 = await daChave(k1.id, periodo);
      expect(r1.status, r1.texto).toBe(200);
      const e1 = r1.corpo;
      expect(e1).toMatchObject({
        chave_id: k1.id,
        nome: "Script de resumo",
        prefixo: k1.prefixo,
        periodo,
        total_requisicoes: 3,
        requisicoes_sucesso: 3,
        requisicoes_erro: 0,
        taxa_sucesso: 1,
        tokens_prompt: 15,
        tokens_resposta: 9,
        tokens_totais: 24,
      });
      for (const v of [e1.p50_ms, e1.p95_ms, e1.p99_ms, e1.p50_primeiro_token_ms, e1.p95_primeiro_token_ms, e1.tempo_medio_resposta_ms])
        expect(v, periodo).toBeGreaterThan(0);
      expect(e1.ultima_atividade).not.toBeNull();
      expect(e1.serie.reduce((n, p) => n + p.requisicoes, 0)).toBe(3);
      expect(e1.por_modelo.map((m) => ({ modelo: m.modelo, ...pick(m) }))).toEqual([
        { modelo: "alfa", ...uso(2, 0) },
        { modelo: "beta", ...uso(1, 0) },
      ]);
      expect(e1.por_provedor.map((p) => ({ provedor_id: p.provedor_id, nome: p.nome, ...pick(p) }))).toEqual([
        { provedor_id: idAlfa, nome: "Alfa", ...uso(2, 0) },
        { provedor_id: idBeta, nome: "Beta", ...uso(1, 0) },
      ]);
      for (const linha of [...e1.por_modelo, ...e1.por_provedor]) expect(linha.p95_ms).toBeGreaterThan(0);

      const e2 = (await daChave(k2.id, periodo)).corpo;
      expect(e2).toMatchObject({
        chave_id: k2.id,
        nome: "Notebook da Ana",
        total_requisicoes: 3,
        requisicoes_sucesso: 2,
        requisicoes_erro: 1,
        taxa_sucesso: 0.6667,
        tokens_prompt: 10,
        tokens_resposta: 6,
        tokens_totais: 16,
      });
      // k2's only stream was on alfa: its first-token percentiles come from that one
      expect(e2.p95_primeiro_token_ms).toBeGreaterThan(0);
      expect(e2.por_modelo.map((m) => ({ modelo: m.modelo, ...pick(m) }))).toEqual([
        { modelo: "beta", ...uso(2, 1) },
        { modelo: "alfa", ...uso(1, 0) },
      ]);
      expect(e2.por_provedor.map((p) => ({ provedor_id: p.provedor_id, ...pick(p) }))).toEqual([
        { provedor_id: idBeta, ...uso(2, 1) },
        { provedor_id: idAlfa, ...uso(1, 0) },
      ]);
    }

    // each provider's por_chave: the keys that used it, most requests first, then the admin; they add up
    const pa = await doProvedor(idAlfa);
    expect(pa.por_chave.map((c) => ({ chave_id: c.chave_id, nome: c.nome, prefixo: c.prefixo, ...pick(c) }))).toEqual([
      { chave_id: k1.id, nome: "Script de resumo", prefixo: k1.prefixo, ...uso(2, 0) },
      { chave_id: k2.id, nome: "Notebook da Ana", prefixo: k2.prefixo, ...uso(1, 0) },
      { chave_id: null, nome: null, prefixo: null, ...uso(1, 0) },
    ]);
    const pb = await doProvedor(idBeta);
    expect(pb.por_chave.map((c) => ({ chave_id: c.chave_id, ...pick(c) }))).toEqual([
      { chave_id: k2.id, ...uso(2, 1) },
      { chave_id: k1.id, ...uso(1, 0) },
      { chave_id: null, requisicoes: 0, erros: 0, tokens_prompt: 0, tokens_resposta: 0 },
    ]);
    for (const e of [pa, pb]) {
      expect(e.por_chave.reduce((n, c) => n + c.requisicoes, 0)).toBe(e.total_requisicoes);
      expect(e.por_chave.reduce((n, c) => n + c.erros, 0)).toBe(e.requisicoes_erro);
      expect(e.por_chave.reduce((n, c) => n + c.tokens_prompt + c.tokens_resposta, 0)).toBe(e.tokens_totais);
      for (const c of e.por_chave) if (c.requisicoes > c.erros) expect(c.p95_ms).toBeGreaterThan(0);
    }

    // /api/metrics: the counters by key, under its name (both labels empty for the admin)
    const texto = await (await admin().resposta("/api/metrics")).text();
    const contagens = parsePrometheusTextFormat(texto)
      .find((f) => f.name === "provedores_llm_requisicoes_total")!
      .metrics.map((m) => [m.labels?.provedor, m.labels?.chave, m.labels?.chave_id, m.labels?.codigo, m.value].join(" | "))
      .sort();
    expect(contagens).toEqual(
      [
        "Alfa |  |  | sucesso | 1",
        `Alfa | Notebook da Ana | ${k2.id} | sucesso | 1`,
        `Alfa | Script de resumo | ${k1.id} | sucesso | 2`,
        `Beta | Notebook da Ana | ${k2.id} | provedor_erro | 1`,
        `Beta | Notebook da Ana | ${k2.id} | sucesso | 1`,
        `Beta | Script de resumo | ${k1.id} | sucesso | 1`,
      ].sort(),
    );
    const tokens = parsePrometheusTextFormat(texto)
      .find((f) => f.name === "provedores_llm_tokens_total")!
      .metrics.filter((m) => m.labels?.chave_id === String(k1.id) && m.labels?.tipo === "resposta")
      .reduce((n, m) => n + Number(m.value), 0);
    expect(tokens).toBe(9);

    // the provider's Estatísticas page: the "Por chave" table, a row per key and the admin's
    const pagina = await admin().pedir<string>(`/provedores-llm/${idAlfa}/estatisticas?periodo=1h`);
    expect(pagina.status).toBe(200);
    const tabela = pagina.texto.slice(pagina.texto.indexOf('id="por-chave"'));
    expect(tabela).toContain("Por chave");
    const linhas = tabela
      .split("</tr>")
      .slice(1, 4)
      .map((l) =>
        l
          .replace(/<[^>]+>/g, " ")
          .replace(/\s+/g, " ")
          .trim(),
      );
    // name, prefix (base64url: no character a regular expression reads), requests, errors, mean time, p95, tokens
    expect(linhas).toEqual([
      expect.stringMatching(new RegExp(`^Script de resumo pllm_ ?${k1.prefixo} ?… 2 0 [\\d.,]+ ms [\\d.,]+ ms 10 \\+ 6$`)),
      expect.stringMatching(/^Notebook da Ana pllm_ ?\S+ ?… 1 0 [\d.,]+ ms [\d.,]+ ms 5 \+ 3$/),
      expect.stringMatching(/^Administrador 1 0 [\d.,]+ ms [\d.,]+ ms 5 \+ 3$/),
    ]);

    // no secret in any statistics row
    for (const tabela of ["requisicoes_provedores", "estatisticas_chaves", "histogramas_latencia_chaves"]) {
      const linhas = JSON.stringify((await bancoDoApp.execute(`select * from ${tabela}`)).rows);
      expect(linhas).not.toContain(k1.chave);
      expect(linhas).not.toContain(k2.chave);
    }
  });

  it("keeps a revoked key's statistics, and a deleted provider's part in them; 404 for an unknown key, 400 for a bad period, as a provider's", async () => {
    expect((await admin().pedir(`/api/chaves/${k1.id}`, { method: "DELETE" })).status).toBe(204);
    const revogada = await daChave(k1.id);
    expect(revogada.status).toBe(200);
    expect(revogada.corpo).toMatchObject({ chave_id: k1.id, total_requisicoes: 3, tokens_totais: 24 });
    // a revoked key is refused at the door, and that refusal is no request of any provider
    await expect(conversar(k1.chave, "alfa", false)).rejects.toMatchObject({ status: 401 });
    expect((await daChave(k1.id)).corpo.total_requisicoes).toBe(3);

    const desconhecida = await daChave(999_999);
    expect(desconhecida.status).toBe(404);
    expect(desconhecida.corpo.erro).toEqual({ codigo: "nao_encontrado", mensagem: "Chave de acesso 999999 não encontrada." });
    expect((await admin().pedir<Erro>("/api/provedores-llm/999999/estatisticas")).corpo.erro.codigo).toBe("nao_encontrado");
    const periodo = await daChave(k2.id, "2h");
    expect(periodo.status).toBe(400);
    const doProvedorComPeriodoRuim = await admin().pedir<Erro>(`/api/provedores-llm/${idAlfa}/estatisticas?periodo=2h`);
    expect(periodo.corpo.erro).toEqual(doProvedorComPeriodoRuim.corpo.erro);
    expect(periodo.corpo.erro.codigo).toBe("validacao");
    expect((await daChave("abc")).status).toBe(400);

    // a key that made no call: zeros, an empty series of the period's points
    const nova = await admin().pedir<Chave>("/api/chaves", { json: { nome: "Sem uso" } });
    const zeros = (await daChave(nova.corpo.id, "24h")).corpo;
    expect(zeros).toMatchObject({
      total_requisicoes: 0,
      taxa_sucesso: null,
      tempo_medio_resposta_ms: null,
      p95_ms: null,
      p95_primeiro_token_ms: null,
      tokens_totais: 0,
      ultima_atividade: null,
      por_modelo: [],
      por_provedor: [],
    });
    expect([24, 25]).toContain(zeros.serie.length);
    expect(zeros.serie.every((p) => p.requisicoes === 0)).toBe(true);
    // deleting a provider takes its own statistics, not a key's use of it: the key's totals stay, the name goes
    expect((await admin().pedir(`/api/provedores-llm/${idBeta}`, { method: "DELETE" })).status).toBe(204);
    const semBeta = (await daChave(k2.id)).corpo;
    expect(semBeta).toMatchObject({ total_requisicoes: 3, requisicoes_erro: 1, tokens_totais: 16 });
    expect(semBeta.por_provedor.map((p) => [p.provedor_id, p.nome, p.requisicoes])).toEqual([
      [idBeta, null, 2],
      [idAlfa, "Alfa", 1],
    ]);

    // an access key cannot read statistics (management is the admin's)
    expect((await clienteApi(servidor.url, { token: k2.chave }).pedir<Erro>(`/api/chaves/${k2.id}/estatisticas`)).status).toBe(403);
  });
});

/** The counts of a by-key row, for comparing rows whose times differ from run to run. */
function pick(l: { requisicoes: number; erros: number; tokens_prompt: number; tokens_resposta: number }): Uso {
  return { requisicoes: l.requisicoes, erros: l.erros, tokens_prompt: l.tokens_prompt, tokens_resposta: l.tokens_resposta };
}
