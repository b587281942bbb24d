import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OllamaFalso } from "../servidores/ollama";
import { api, app } from "../support/contexto";
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

/** The value of one sample, found by its name and (a subset of) its labels. */
function amostra(texto: string, nome: string, rotulos: Record<string, string | number>): number | undefined {
  for (const linha of texto.split("\n")) {
    const m = /^([a-z_]+)(\{(.*)\})? (\S+)$/.exec(linha);
    if (!m || m[1] !== nome) continue;
    const tem = Object.entries(rotulos).every(([k, v]) => (m[3] ?? "").split(/,(?=[a-z_]+=")/).includes(`${k}="${v}"`));
    if (tem) return Number(m[4]);
  }
  return undefined;
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

    const r = await fetch(`${app().url}/api/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const texto = await r.text();
    // every line is a comment or a sample in the text exposition format
    for (const linha of texto.trimEnd().split("\n")) expect(linha).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[^}]*\})? -?[0-9.e+-]+)$/);

    const llama = { provedor_id: id, modelo: "llama3.2:latest" };
    expect(amostra(texto, "provedores_llm_requisicoes_total", { ...llama, codigo: "sucesso" })).toBe(3);
    expect(amostra(texto, "provedores_llm_erros_total", { provedor_id: id, modelo: "nao-existe", codigo: "modelo_nao_encontrado" })).toBe(
      1,
    );
    expect(amostra(texto, "provedores_llm_duracao_requisicao_seconds_count", llama)).toBe(3);
    expect(amostra(texto, "provedores_llm_duracao_requisicao_seconds_bucket", { ...llama, le: "+Inf" })).toBe(3);
    const baldes = texto
      .split("\n")
      .filter(
        (l) =>
          l.startsWith("provedores_llm_duracao_requisicao_seconds_bucket") &&
          l.includes(`provedor_id="${id}"`) &&
          l.includes('modelo="llama3.2:latest"'),
      )
      .map((l) => Number(l.split(" ").at(-1)));
    expect(baldes).toHaveLength(17);
    expect(baldes).toEqual([...baldes].sort((a, b) => a - b));
    expect(amostra(texto, "provedores_llm_tempo_primeiro_token_seconds_count", llama)).toBe(1);
    expect(amostra(texto, "provedores_llm_tokens_total", { ...llama, tipo: "resposta" })).toBe(3 * 4);
    expect(amostra(texto, "provedores_llm_provedor_up", { provedor_id: id })).toBe(1);
    expect(amostra(texto, "provedores_llm_provedor_status", { provedor_id: id, status: "online" })).toBe(1);
    expect(amostra(texto, "provedores_llm_provedor_status", { provedor_id: id, status: "offline" })).toBe(0);
    expect(amostra(texto, "provedores_llm_modelo_carregado", { provedor_id: id, modelo: "llama3.2:latest" })).toBe(1);
    expect(amostra(texto, "provedores_llm_modelo_carregado", { provedor_id: id, modelo: "qwen2.5:7b" })).toBe(0);
  });

  it("label values are escaped: quotes and a backslash in a name stay inside one sample", async () => {
    const r = await api("", { method: "POST", json: { nome: 'Ollama "da sala" \\ 2', tipo: "ollama", base_url: ollama.url } });
    const { id } = (await r.json()) as { id: number };
    const texto = await (await fetch(`${app().url}/api/metrics`)).text();
    expect(texto).toContain(`provedores_llm_provedor_ativo{provedor_id="${id}",provedor="Ollama \\"da sala\\" \\\\ 2"} 1`);
  });

  describe("with AUTH_TOKEN", () => {
    let protegido: ServidorApp;
    beforeAll(async () => {
      protegido = await iniciarApp({ AUTH_TOKEN: "token-das-metricas-123" });
    });
    afterAll(() => protegido?.parar());

    it("a scraper needs the token, as a Bearer", async () => {
      expect((await fetch(`${protegido.url}/api/metrics`)).status).toBe(401);
      const r = await fetch(`${protegido.url}/api/metrics`, { headers: { authorization: "Bearer token-das-metricas-123" } });
      expect(r.status).toBe(200);
      expect(await r.text()).toContain("# TYPE provedores_llm_requisicoes_total counter");
    });
  });
});
