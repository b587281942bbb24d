import { randomUUID } from "node:crypto";
import OpenAI, { InternalServerError } from "openai";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequisicoesRecentes, UsoPorPorta } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { api, app, banco, rotasDoApp } from "../support/contexto";
import { criarProvedor, lerEstatisticas, MENSAGENS } from "../support/llm";

// The door a call came in by, as every statistic counts it: the request log, the by-door counters of
// GET …/estatisticas and the `porta` label of /api/metrics. Through the two doors of the shared app that
// reach a model (REST requisicao and /v1), the latter with the official `openai` client.

// A model no other file's server has: /v1 routes it to this file's provider only.
const MODELO = `porta-${randomUUID().slice(0, 8)}`;
let llama: LlamaCppFalso;
let id: number;

beforeAll(async () => {
  llama = await new LlamaCppFalso({ modelos: [{ id: MODELO }], resposta: "um dois três" }).iniciar();
  id = await criarProvedor("llama_cpp", llama.url);
  expect((await (await api(`/${id}/testar`, { method: "POST" })).json()).sucesso).toBe(true);
});
afterAll(() => llama.parar());

const openai = () => new OpenAI({ baseURL: `${app().url}/v1`, apiKey: "qualquer", maxRetries: 0, timeout: 15_000 });

describe("the door as a statistics dimension", () => {
  it("counts each call under the door it came by: the log's rows, por_porta in the statistics and the porta label in /api/metrics", async () => {
    // REST: one whole answer and one stream
    for (const stream of [false, true]) {
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: MODELO, stream } });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
    // /v1: two whole answers, one stream, then one the server fails
    for (let i = 0; i < 2; i++) {
      const c = await openai().chat.completions.create({ model: MODELO, messages: [{ role: "user", content: "oi" }] });
      expect(c.choices[0]!.message.content).toBe("um dois três");
    }
    let texto = "";
    const stream = await openai().chat.completions.create({ model: MODELO, messages: [{ role: "user", content: "oi" }], stream: true });
    for await (const c of stream) texto += c.choices[0]?.delta?.content ?? "";
    expect(texto).toBe("um dois três");
    llama.falha = "erro_500";
    await expect(openai().chat.completions.create({ model: MODELO, messages: [{ role: "user", content: "oi" }] })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    llama.falha = null;

    // the statistics: every door in order, the two used ones with their counts, tokens and times
    const e = await lerEstatisticas(id);
    expect(e.total_requisicoes).toBe(6);
    const porPorta = e.por_porta as UsoPorPorta[];
    expect(porPorta.map((p) => p.porta)).toEqual(["requisicao", "openai", "anthropic", "ollama", "responses"]);
    const [rest, v1, ...outras] = porPorta;
    expect(rest).toMatchObject({ requisicoes: 2, erros: 0 });
    expect(v1).toMatchObject({ requisicoes: 4, erros: 1 });
    for (const p of [rest!, v1!]) {
      expect(p.tempo_medio_ms).toBeGreaterThan(0);
      expect(p.p95_ms).toBeGreaterThan(0);
      expect(p.tokens_resposta).toBeGreaterThan(0);
      expect(p.tokens_prompt).toBeGreaterThan(0);
    }
    // the llama.cpp server counts the answer's words as its tokens: three per successful call
    expect(rest!.tokens_resposta).toBe(2 * 3);
    expect(v1!.tokens_resposta).toBe(3 * 3);
    for (const p of outras)
      expect(p).toEqual({
        porta: p.porta,
        requisicoes: 0,
        erros: 0,
        tempo_medio_ms: null,
        p95_ms: null,
        tokens_prompt: 0,
        tokens_resposta: 0,
      });
    // the doors add up to the period's totals
    expect(porPorta.reduce((n, p) => n + p.requisicoes, 0)).toBe(e.total_requisicoes);
    expect(porPorta.reduce((n, p) => n + p.erros, 0)).toBe(e.requisicoes_erro);
    expect(porPorta.reduce((n, p) => n + p.tokens_prompt + p.tokens_resposta, 0)).toBe(e.tokens_totais);

    // "Últimas requisições": each row names its door, as the table in the database holds it
    const recentes = (await (await api(`/${id}/requisicoes`)).json()) as RequisicoesRecentes;
    expect(recentes.requisicoes.map((r) => [r.porta, r.stream, r.sucesso]).reverse()).toEqual([
      ["requisicao", false, true],
      ["requisicao", true, true],
      ["openai", false, true],
      ["openai", false, true],
      ["openai", true, true],
      ["openai", false, false],
    ]);
    const linhas = await banco().execute({
      sql: "select porta, count(*) n from requisicoes_provedores where provedor_id = ? group by porta order by porta",
      args: [id],
    });
    expect(linhas.rows.map((r) => [r.porta, Number(r.n)])).toEqual([
      ["openai", 4],
      ["requisicao", 2],
    ]);

    // /api/metrics: the same counts under a porta label
    const texto2 = await (await rotasDoApp().resposta("/api/metrics")).text();
    const familias = parsePrometheusTextFormat(texto2);
    const amostras = (nome: string) => familias.find((f) => f.name === nome)!.metrics.filter((m) => m.labels?.provedor_id === String(id));
    const contagem = (porta: string, codigo: string) =>
      amostras("provedores_llm_requisicoes_total")
        .filter((m) => m.labels?.porta === porta && m.labels?.codigo === codigo)
        .reduce((n, m) => n + Number(m.value), 0);
    expect(contagem("requisicao", "sucesso")).toBe(2);
    expect(contagem("openai", "sucesso")).toBe(3);
    expect(contagem("openai", "provedor_erro")).toBe(1);
    expect(new Set(amostras("provedores_llm_requisicoes_total").map((m) => m.labels?.porta))).toEqual(new Set(["requisicao", "openai"]));
    // the histograms carry it too: one series per door, each counting that door's calls
    const mais = (porta: string) =>
      texto2
        .split("\n")
        .find(
          (l) =>
            l.startsWith("provedores_llm_duracao_requisicao_seconds_count{") &&
            l.includes(`provedor_id="${id}"`) &&
            l.includes(`porta="${porta}"`),
        )
        ?.split(" ")
        .at(-1);
    expect(mais("requisicao")).toBe("2");
    expect(mais("openai")).toBe("4");

    // deleting the provider takes its by-door rows along
    const porPortaNoBanco = async () => {
      const [contadores, histogramas] = await banco().batch(
        [
          { sql: "select count(*) n from estatisticas_portas where provedor_id = ?", args: [id] },
          { sql: "select count(*) n from histogramas_latencia_portas where provedor_id = ?", args: [id] },
        ],
        "read",
      );
      return [Number(contadores!.rows[0]!.n), Number(histogramas!.rows[0]!.n)];
    };
    // three widths for each of the two doors (a minute more where the calls crossed one); buckets likewise
    const [contadores, histogramas] = await porPortaNoBanco();
    expect(contadores).toBeGreaterThanOrEqual(6);
    expect(histogramas).toBeGreaterThanOrEqual(6);
    expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
    expect(await porPortaNoBanco()).toEqual([0, 0]);
  });

  it("the Anthropic, Ollama and Responses doors count under their own names, natively and translated", async () => {
    // One server with the native routes (Anthropic, Responses) and one older build without them (translated).
    const modeloNativo = `porta-nativa-${randomUUID().slice(0, 8)}`;
    const modeloTraduzido = `porta-traduzida-${randomUUID().slice(0, 8)}`;
    const nativo = await new LlamaCppFalso({ modelos: [{ id: modeloNativo }], resposta: "um dois três" }).iniciar();
    const antigo = new LlamaCppFalso({ modelos: [{ id: modeloTraduzido }], resposta: "um dois três" });
    antigo.semMensagensAnthropic = true;
    antigo.semResponses = true;
    await antigo.iniciar();
    try {
      const ids: number[] = [];
      for (const s of [nativo, antigo]) {
        const novo = await criarProvedor("llama_cpp", s.url);
        expect((await (await api(`/${novo}/testar`, { method: "POST" })).json()).sucesso).toBe(true);
        ids.push(novo);
      }
      for (const modelo of [modeloNativo, modeloTraduzido]) {
        const pedidos: [string, Record<string, unknown>][] = [
          ["/v1/messages", { model: modelo, max_tokens: 20, messages: MENSAGENS }],
          ["/v1/responses", { model: modelo, input: "oi" }],
          ["/api/chat", { model: `${modelo}:latest`, messages: MENSAGENS, stream: false }],
        ];
        for (const [caminho, corpo] of pedidos) {
          const r = await rotasDoApp().resposta(caminho, { method: "POST", json: corpo });
          const texto = await r.text();
          expect(r.status, `${caminho} ${modelo}: ${texto}`).toBe(200);
          expect(texto, caminho).toContain("três");
        }
      }
      for (const [i, provedor] of ids.entries()) {
        const porPorta = (await lerEstatisticas(provedor)).por_porta as UsoPorPorta[];
        const contagem = Object.fromEntries(porPorta.map((p) => [p.porta, [p.requisicoes, p.erros, p.tokens_resposta]]));
        // three words of answer, three tokens, on every door
        expect(contagem, `provedor ${i}`).toMatchObject({
          requisicao: [0, 0, 0],
          openai: [0, 0, 0],
          anthropic: [1, 0, 3],
          ollama: [1, 0, 3],
          responses: [1, 0, 3],
        });
      }
      // the native server was asked on its own routes; the older one only on its chat
      expect(nativo.recebidas.map((q) => q.caminho)).toEqual(expect.arrayContaining(["/v1/messages", "/v1/responses"]));
      expect(antigo.recebidas.filter((q) => q.caminho === "/v1/chat/completions").length).toBe(3);
    } finally {
      await nativo.parar();
      await antigo.parar();
    }
  });
});
