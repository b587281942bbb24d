import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { api, banco } from "../support/contexto";
import { criarProvedor } from "../support/llm";
import { baixar, esperarFim, seguirEventos } from "../support/modelos";
import { esperarAte } from "../support/portas";

const camada = (total: number) => [{ digest: `sha256:${randomUUID().replace(/-/g, "").repeat(2)}`, total }];
const pulls = (s: OllamaFalso) => s.recebidas.filter((r) => r.caminho === "/api/pull").length;
const nomesEmCache = async (id: number) =>
  ((await (await api(`/${id}/modelos`)).json()) as { modelos: { modelo: string }[] }).modelos.map((m) => m.modelo);

/** The download's events until `fim` (bounded: the stream ends there). */
async function ateOFim(eventos: Awaited<ReturnType<typeof seguirEventos>>) {
  for (let i = 0; i < 1000; i++) {
    const e = await eventos.proximo();
    if (!e || e.evento === "fim") return e;
  }
  return null;
}

describe("Ollama downloads", () => {
  let ollama: OllamaFalso;
  beforeAll(async () => {
    ollama = await new OllamaFalso({ modelos: [{ id: "llama3.2:latest", carregado: true }] }).iniciar();
  });
  afterAll(() => ollama.parar());

  it("deleting the provider mid-download cancels the pull: the download ends cancelado, the server sees its connection closed", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    ollama.catalogoPull.set("grande:70b", camada(42_000_000_000));
    ollama.passoPullMs = 500;
    try {
      const antes = pulls(ollama);
      const d = await baixar(id, "grande:70b");
      expect(d.status).toBe(202);
      const eventos = await seguirEventos(id, d.corpo.id);
      expect((await eventos.proximo())?.evento).toBe("progresso");
      await expect.poll(() => pulls(ollama), { timeout: 3000 }).toBe(antes + 1);
      const cancelados = ollama.pullsCancelados;
      expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
      const fim = await ateOFim(eventos);
      expect(fim?.dados).toMatchObject({ estado: "cancelado", erro: null });
      // The pull's next step finds the connection gone (a real pull would go on for hours otherwise).
      await expect.poll(() => ollama.pullsCancelados, { timeout: 3000 }).toBe(cancelados + 1);
      expect(ollama.modelos.map((m) => m.id)).not.toContain("grande:70b");
    } finally {
      ollama.passoPullMs = 40;
    }
  });

  it("a download asked for while the provider is being deleted is a 404: no pull, no model rows for the deleted id", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    ollama.catalogoPull.set("tardio:1b", camada(1_000_000));
    const tags = () => ollama.recebidas.filter((r) => r.caminho === "/api/tags").length;
    const antesTags = tags();
    const antesPulls = pulls(ollama);
    // The provider's model list was never read: the download asks the server for it first, slowly.
    await ollama.definirFalha("lento", 1500);
    try {
      const pedido = baixar(id, "tardio:1b");
      await esperarAte(async () => tags() > antesTags, 10_000, "the model list asked for by the download");
      expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
      const d = await pedido;
      expect(d.status, JSON.stringify(d.corpo)).toBe(404);
      await ollama.definirFalha(null);
      expect(pulls(ollama)).toBe(antesPulls);
      const linhas = await banco().execute({ sql: "select count(*) as n from modelos_provedores where provedor_id = ?", args: [id] });
      expect(Number(linhas.rows[0]!.n)).toBe(0);
    } finally {
      await ollama.definirFalha(null);
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

describe("LM Studio downloads", () => {
  it("deleting the provider mid-download does not claim a cancel LM Studio cannot do: the job goes on on the server, and the record says so", async () => {
    const lm = await new LmStudioFalso({ modelos: [{ id: "qwen/qwen3-4b", carregado: true }] }).iniciar();
    try {
      const id = await criarProvedor("lm_studio", lm.url);
      const d = await baixar(id, "ibm/granite-4-micro");
      expect(d.status).toBe(202);
      const eventos = await seguirEventos(id, d.corpo.id);
      expect((await eventos.proximo())?.evento).toBe("progresso");
      expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
      const fim = await ateOFim(eventos);
      expect(fim?.dados.estado).toBe("falhou");
      expect(fim?.dados.erro).toContain("continua no servidor");
    } finally {
      await lm.parar();
    }
  }, 20_000);
});
