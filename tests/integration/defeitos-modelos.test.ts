import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaCppRoteadorFalso } from "../servidores/llama-cpp-roteador";
import { OllamaFalso } from "../servidores/ollama";
import { api, app } from "../support/contexto";
import { criarProvedor } from "../support/llm";
import { acao, baixar, esperarFim } from "../support/modelos";

const camada = (total: number) => [{ digest: `sha256:${randomUUID().replace(/-/g, "").repeat(2)}`, total }];
const pulls = (s: OllamaFalso) => s.recebidas.filter((r) => r.caminho === "/api/pull").length;
const nomesEmCache = async (id: number) =>
  ((await (await api(`/${id}/modelos`)).json()) as { modelos: { modelo: string }[] }).modelos.map((m) => m.modelo);

function chatV1(modelo: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${app().url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: modelo, messages: [{ role: "user", content: "oi" }] }),
    signal,
  });
}

describe("the gateway's shared catalogue refresh", () => {
  it("runs to its end when the caller that started it leaves: another caller waiting on it gets the new model", async () => {
    const ollama = await new OllamaFalso({ modelos: [{ id: "antigo:1b", carregado: true }] }).iniciar();
    try {
      const id = await criarProvedor("ollama", ollama.url, { timeout_segundos: 10 });
      expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
      const novo = `novo-${randomUUID().slice(0, 8)}:1b`;
      ollama.modelos.push({ id: novo, carregado: true });
      // The refresh (and the chat after it) take a while; any refresh in the last second would be skipped.
      await ollama.definirFalha("lento", 800);
      await new Promise((r) => setTimeout(r, 1100));

      const primeiro = chatV1(novo, AbortSignal.timeout(100));
      await new Promise((r) => setTimeout(r, 30));
      const segundo = chatV1(novo);
      await expect(primeiro).rejects.toThrow();
      const r = await segundo;
      expect(r.status, await r.clone().text()).toBe(200);
      expect(((await r.json()) as { model: string }).model).toBe(novo);
    } finally {
      await ollama.parar();
    }
  });
});

describe("Ollama downloads", () => {
  let ollama: OllamaFalso;
  beforeAll(async () => {
    ollama = await new OllamaFalso({ modelos: [{ id: "llama3.2:latest", carregado: true }] }).iniciar();
  });
  afterAll(() => ollama.parar());

  it("deleting the provider mid-download cancels the pull: the server sees its connection closed", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    ollama.catalogoPull.set("grande:70b", camada(42_000_000_000));
    ollama.passoPullMs = 500;
    try {
      const antes = pulls(ollama);
      const d = await baixar(id, "grande:70b");
      expect(d.status).toBe(202);
      await expect.poll(() => pulls(ollama), { timeout: 3000 }).toBe(antes + 1);
      const cancelados = ollama.pullsCancelados;
      expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
      // The pull's next step finds the connection gone (a real pull would go on for hours otherwise).
      await expect.poll(() => ollama.pullsCancelados, { timeout: 3000 }).toBe(cancelados + 1);
      expect(ollama.modelos.map((m) => m.id)).not.toContain("grande:70b");
      expect((await api(`/${id}/modelos/downloads/${d.corpo.id}`)).status).toBe(404);
    } finally {
      ollama.passoPullMs = 40;
    }
  });

  it("a cancel after the pull said success, while the model list refreshes, ends as concluido with the model listed", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    ollama.catalogoPull.set("rapido:1b", camada(1_000_000));
    ollama.passoPullMs = 20;
    try {
      const tags = () => ollama.recebidas.filter((r) => r.caminho === "/api/tags").length;
      const antesDoPull = pulls(ollama);
      const d = await baixar(id, "rapido:1b");
      const antes = tags();
      await expect.poll(() => pulls(ollama)).toBe(antesDoPull + 1);
      // The pull itself is not slowed (it already started); the model list asked after its `success` is.
      await ollama.definirFalha("lento", 1500);
      await expect.poll(() => tags() > antes, { timeout: 5000 }).toBe(true);
      expect(ollama.modelos.map((m) => m.id)).toContain("rapido:1b");

      const cancelar = await api(`/${id}/modelos/downloads/${d.corpo.id}`, { method: "DELETE" });
      expect(cancelar.status).toBe(200);
      expect(((await cancelar.json()) as { estado: string }).estado).toBe("concluido");
      const fim = await esperarFim(id, d.corpo.id);
      expect(fim).toMatchObject({ estado: "concluido", erro: null });
      expect(await nomesEmCache(id)).toContain("rapido:1b");
    } finally {
      await ollama.definirFalha(null);
      ollama.passoPullMs = 40;
    }
  });

  it("`m` and `m:latest` are one download: one pull on the server", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    ollama.catalogoPull.set("gemma3:latest", camada(3_000_000));
    ollama.passoPullMs = 100;
    try {
      const antes = pulls(ollama);
      const curto = await baixar(id, "gemma3");
      const completo = await baixar(id, "gemma3:latest");
      expect(curto.status).toBe(202);
      expect(completo.status).toBe(202);
      expect(completo.corpo.id).toBe(curto.corpo.id);
      // shown as the user first typed it
      expect(completo.corpo.modelo).toBe("gemma3");
      const fim = await esperarFim(id, curto.corpo.id);
      expect(fim.estado).toBe("concluido");
      expect(pulls(ollama) - antes).toBe(1);
      expect(await nomesEmCache(id)).toContain("gemma3:latest");
      // once it has ended, asking again is a new download
      const outra = await baixar(id, "gemma3:latest");
      expect(outra.corpo.id).not.toBe(curto.corpo.id);
      expect((await esperarFim(id, outra.corpo.id)).estado).toBe("concluido");
    } finally {
      ollama.passoPullMs = 40;
    }
  });
});

describe("llama.cpp router: load and unload are idempotent", () => {
  let roteador: LlamaCppRoteadorFalso;
  beforeAll(async () => {
    roteador = await new LlamaCppRoteadorFalso(
      {
        modelos: [
          { id: "tiny-a", carregado: true },
          { id: "tiny-b", carregado: false },
        ],
      },
      2,
    ).iniciar();
  });
  afterAll(() => roteador.parar());

  it("unloading a model that is not loaded is 200 with its state, as loading a loaded one is", async () => {
    const id = await criarProvedor("llama_cpp", roteador.url);
    expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
    expect(roteador.estadoDe("tiny-b")).toBe("unloaded");
    const d = await acao(id, "descarregar", { modelo: "tiny-b" });
    expect(d.status, JSON.stringify(d.corpo)).toBe(200);
    expect(d.corpo).toMatchObject({ modelo: "tiny-b", carregado: false });
    const c = await acao(id, "carregar", { modelo: "tiny-a" });
    expect(c.status).toBe(200);
    expect(c.corpo).toMatchObject({ modelo: "tiny-a", carregado: true });
    // an unknown id is still a 404
    const n = await acao(id, "descarregar", { modelo: "nao-existe" });
    expect(n.status).toBe(404);
    expect(n.corpo.erro!.codigo).toBe("modelo_nao_encontrado");
  });

  it("two loads of the same model at once both answer 200 with the model loaded: the router sees one", async () => {
    const id = await criarProvedor("llama_cpp", roteador.url);
    expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
    expect(roteador.estadoDe("tiny-b")).toBe("unloaded");
    const cargas = () => roteador.recebidas.filter((r) => r.caminho === "/models/load").length;
    const antes = cargas();
    // Two loads reaching the router at once race there: the later one stops the first one's load.
    roteador.corridaNaCarga = true;
    try {
      const [um, outro] = await Promise.all([acao(id, "carregar", { modelo: "tiny-b" }), acao(id, "carregar", { modelo: "tiny-b" })]);
      expect([um.status, outro.status], JSON.stringify([um.corpo, outro.corpo])).toEqual([200, 200]);
      expect(um.corpo).toMatchObject({ modelo: "tiny-b", carregado: true });
      expect(outro.corpo).toMatchObject({ modelo: "tiny-b", carregado: true });
      expect(roteador.estadoDe("tiny-b")).toBe("loaded");
      expect(cargas() - antes).toBe(1);
    } finally {
      roteador.corridaNaCarga = false;
    }
  });
});
