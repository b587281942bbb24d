import parsePrometheusTextFormat, { type AmostraPrometheus, type FamiliaPrometheus } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OllamaFalso } from "../servidores/ollama";
import { clienteApi } from "../support/cliente-api";
import { api, rotasDoApp } from "../support/contexto";
import { criarProvedor, MENSAGENS } from "../support/llm";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

let ollama: OllamaFalso;
beforeAll(async () => {
  ollama = await new OllamaFalso({
    modelos: [
      { id: "llama3.2:latest", carregado: true },
      { id: "qwen2.5:7b", carregado: false },
    ],
    resposta: "um dois três quatro",
  }).iniciar();
});
afterAll(() => ollama.parar());

/** The exposition, read by a Prometheus text-format parser (prom2json's shape), not by this test's own regexes. */
function ler(texto: string) {
  const familias = parsePrometheusTextFormat(texto);
  const familia = (nome: string): FamiliaPrometheus => {
    const f = familias.find((x) => x.name === nome);
    if (!f) throw new Error(`sem a família ${nome}`);
    return f;
  };
  const com = (rotulos: Record<string, string | number>) => (m: AmostraPrometheus) =>
    Object.entries(rotulos).every(([k, v]) => m.labels?.[k] === String(v));
  return {
    familia,
    /** The value of the sample with (at least) these labels. */
    valor: (nome: string, rotulos: Record<string, string | number>) => {
      const m = familia(nome).metrics.find(com(rotulos));
      return m?.value === undefined ? undefined : Number(m.value);
    },
    /** Every sample with these labels. */
    amostras: (nome: string, rotulos: Record<string, string | number>) => familia(nome).metrics.filter(com(rotulos)),
    /**
     * The cumulative counts of one histogram series, in order. Read from the lines: the parser merges every
     * labelled series of a histogram family into one (it still checks the family parses, above).
     */
    baldes: (nome: string, rotulos: Record<string, string | number>) => {
      const pares = Object.entries(rotulos).map(([k, v]) => `${k}="${v}"`);
      return texto
        .split("\n")
        .filter((l) => l.startsWith(`${nome}_bucket{`) && pares.every((p) => l.includes(p)))
        .map((l) => [/le="([^"]+)"/.exec(l)?.[1], l.split(" ").at(-1)]);
    },
  };
}

describe("GET /api/metrics (Prometheus)", () => {
  it("counts every request by provider, model and outcome, with latency histograms, tokens and state gauges", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    await api(`/${id}/testar`, { method: "POST" });
    for (let i = 0; i < 3; i++) {
      const r = await api(`/${id}/requisicao`, {
        method: "POST",
        json: { mensagens: MENSAGENS, modelo: "llama3.2:latest", stream: i === 0 },
      });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
    expect((await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "nao-existe" } })).status).toBe(404);

    const r = await rotasDoApp().resposta("/api/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const m = ler(await r.text());
    expect(m.familia("provedores_llm_requisicoes_total").type).toBe("COUNTER");
    expect(m.familia("provedores_llm_duracao_requisicao_seconds").type).toBe("HISTOGRAM");
    expect(m.familia("provedores_llm_provedor_status").type).toBe("GAUGE");

    const llama = { provedor_id: id, modelo: "llama3.2:latest" };
    expect(m.valor("provedores_llm_requisicoes_total", { ...llama, codigo: "sucesso" })).toBe(3);
    expect(m.valor("provedores_llm_erros_total", { provedor_id: id, modelo: "nao-existe", codigo: "modelo_nao_encontrado" })).toBe(1);
    // the counters say what the statistics say
    const estatisticas = (await (await api(`/${id}/estatisticas?periodo=1h`)).json()) as {
      total_requisicoes: number;
      requisicoes_erro: number;
    };
    const soma = (nome: string) => m.amostras(nome, { provedor_id: id }).reduce((n, a) => n + Number(a.value), 0);
    expect(soma("provedores_llm_requisicoes_total")).toBe(estatisticas.total_requisicoes);
    expect(soma("provedores_llm_erros_total")).toBe(estatisticas.requisicoes_erro);

    const baldes = m.baldes("provedores_llm_duracao_requisicao_seconds", llama);
    expect(baldes).toHaveLength(17);
    expect(baldes.at(-1)).toEqual(["+Inf", "3"]);
    const contagens = baldes.map(([, n]) => Number(n));
    expect(contagens).toEqual([...contagens].sort((a, b) => a - b));
    expect(m.baldes("provedores_llm_tempo_primeiro_token_seconds", llama).at(-1)).toEqual(["+Inf", "1"]);
    expect(m.valor("provedores_llm_tokens_total", { ...llama, tipo: "resposta" })).toBe(3 * 4);
    expect(m.valor("provedores_llm_provedor_up", { provedor_id: id })).toBe(1);
    expect(m.valor("provedores_llm_provedor_status", { provedor_id: id, status: "online" })).toBe(1);
    expect(m.valor("provedores_llm_provedor_status", { provedor_id: id, status: "offline" })).toBe(0);
    expect(m.valor("provedores_llm_modelo_carregado", { provedor_id: id, modelo: "llama3.2:latest" })).toBe(1);
    expect(m.valor("provedores_llm_modelo_carregado", { provedor_id: id, modelo: "qwen2.5:7b" })).toBe(0);
  });

  it("label values are escaped: quotes and a backslash in a name stay inside one sample", async () => {
    const r = await api("", { method: "POST", json: { nome: 'Ollama "da sala" \\ 2', tipo: "ollama", base_url: ollama.url } });
    const { id } = (await r.json()) as { id: number };
    const texto = await (await rotasDoApp().resposta("/api/metrics")).text();
    expect(texto).toContain(`provedores_llm_provedor_ativo{provedor_id="${id}",provedor="Ollama \\"da sala\\" \\\\ 2"} 1`);
    // and a parser reads the name back whole
    expect(ler(texto).amostras("provedores_llm_provedor_ativo", { provedor_id: id })[0]!.labels!.provedor).toBe('Ollama "da sala" \\ 2');
  });

  describe("with AUTH_TOKEN", () => {
    let protegido: ServidorApp;
    beforeAll(async () => {
      protegido = await iniciarApp({ AUTH_TOKEN: "token-das-metricas-123" });
    });
    afterAll(() => protegido?.parar());

    it("a scraper needs the token, as a Bearer", async () => {
      expect((await clienteApi(protegido.url).resposta("/api/metrics")).status).toBe(401);
      const r = await clienteApi(protegido.url, { token: "token-das-metricas-123" }).resposta("/api/metrics");
      expect(r.status).toBe(200);
      expect(await r.text()).toContain("# TYPE provedores_llm_requisicoes_total counter");
    });
  });
});

describe("a deleted provider frees its labels", () => {
  it("after 1 000 model names on a deleted provider, a new provider's traffic keeps its model label", { timeout: 120_000 }, async () => {
    const antigo = await criarProvedor("ollama", ollama.url);
    for (let lote = 0; lote < 1000; lote += 25) {
      const respostas = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          api(`/${antigo}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: `sumido-${lote + i}` } }),
        ),
      );
      for (const r of respostas) {
        expect(r.status).toBe(404);
        await r.arrayBuffer();
      }
    }
    expect((await api(`/${antigo}`, { method: "DELETE" })).status).toBe(204);

    const novo = await criarProvedor("ollama", ollama.url);
    const r = await api(`/${novo}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "llama3.2:latest" } });
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    const { amostras } = ler(await (await rotasDoApp().resposta("/api/metrics")).text());
    expect(
      amostras("provedores_llm_requisicoes_total", { provedor_id: novo }).map((m) => [m.labels?.modelo, m.labels?.codigo, m.value]),
    ).toEqual([["llama3.2:latest", "sucesso", "1"]]);
  });
});

describe("deleting a provider that does not exist", () => {
  it("is a 404 that leaves the id's series alone: the provider AUTOINCREMENT later gives that id is counted", async () => {
    const anterior = await criarProvedor("ollama", ollama.url);
    // The next id AUTOINCREMENT hands out (this file creates providers one at a time).
    const proximo = anterior + 1;
    const r = await api(`/${proximo}`, { method: "DELETE" });
    expect(r.status).toBe(404);
    expect(((await r.json()) as { erro: { codigo: string } }).erro.codigo).toBe("nao_encontrado");

    const novo = await criarProvedor("ollama", ollama.url);
    expect(novo).toBe(proximo);
    const req = await api(`/${novo}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "llama3.2:latest" } });
    expect(req.status).toBe(200);
    await req.arrayBuffer();
    const { amostras } = ler(await (await rotasDoApp().resposta("/api/metrics")).text());
    expect(
      amostras("provedores_llm_requisicoes_total", { provedor_id: novo }).map((m) => [m.labels?.modelo, m.labels?.codigo, m.value]),
    ).toEqual([["llama3.2:latest", "sucesso", "1"]]);
  });
});
