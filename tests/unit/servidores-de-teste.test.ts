import { afterEach, describe, expect, it } from "vitest";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LlamaCppRoteadorFalso } from "../servidores/llama-cpp-roteador";
import { OllamaFalso } from "../servidores/ollama";
import { esperarAte } from "../support/portas";

// The test servers' slots, loads and counters, which the queue's tests read: each counter checked against what
// the client saw, so a counter that lies fails here before it misleads a test of the app.

const abertos: ServidorFalso[] = [];
afterEach(async () => {
  await Promise.all(abertos.splice(0).map((s) => s.parar()));
});
async function iniciar<T extends ServidorFalso>(s: T): Promise<T> {
  abertos.push(await s.iniciar());
  return s;
}

const MENSAGENS = [{ role: "user", content: "Oi" }];
const chat = (s: ServidorFalso, modelo: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
  fetch(`${s.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: modelo, messages: MENSAGENS, ...extra }),
    signal,
  });
/** A stream whose first bytes arrived (with `segurar`, held in its slot until `soltar()`). */
async function streamAberto(s: ServidorFalso, modelo: string, caminho = "/v1/chat/completions") {
  const r = await fetch(`${s.url}${caminho}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: modelo, messages: MENSAGENS, stream: true }),
  });
  expect(r.status).toBe(200);
  const leitor = r.body!.getReader();
  expect((await leitor.read()).done).toBe(false);
  return leitor;
}
/** Reads a stream to its end: the whole text, or the error that cut it. */
async function ate_o_fim(leitor: ReadableStreamDefaultReader<Uint8Array>): Promise<{ texto: string; cortado: boolean }> {
  let texto = "";
  try {
    for (let p = await leitor.read(); !p.done; p = await leitor.read()) texto += new TextDecoder().decode(p.value);
    return { texto, cortado: false };
  } catch {
    return { texto, cortado: true };
  }
}
const chats = (s: ServidorFalso) => s.recebidas.filter((r) => r.caminho.endsWith("/chat/completions") || r.caminho === "/api/chat");

describe("llama.cpp: slots", () => {
  it("2 slots: 6 at once never run more than 2, the rest wait inside the server and are all answered; /props and /slots say so", async () => {
    const s = await iniciar(new LlamaCppFalso({ slots: 2 }));
    expect(((await (await fetch(`${s.url}/props`)).json()) as { total_slots: number }).total_slots).toBe(2);
    await s.definirFalha("segurar");
    const primeiros = [await streamAberto(s, "modelo-teste"), await streamAberto(s, "modelo-teste")];
    const demais = Array.from({ length: 4 }, () => chat(s, "modelo-teste", { stream: true }));
    await esperarAte(async () => chats(s).length === 6, 5000, "as 6 recebidas");
    expect(s.emVooAgora).toBe(2);
    expect(s.vagas.esperando).toBe(4);
    expect(s.vagas.maxEsperando).toBe(4);
    const slots = (await (await fetch(`${s.url}/slots`)).json()) as { id: number; is_processing: boolean }[];
    expect(slots.map((x) => x.is_processing)).toEqual([true, true]);
    expect(chats(s).map((r) => r.modelo)).toEqual(Array(6).fill("modelo-teste"));

    await s.definirFalha(null);
    s.soltar();
    const textos = await Promise.all([
      ...primeiros.map(ate_o_fim),
      ...(await Promise.all(demais)).map((r) => ate_o_fim(r.body!.getReader())),
    ]);
    expect(textos.every((t) => !t.cortado && t.texto.includes("[DONE]"))).toBe(true);
    expect(s.maxEmVoo).toBe(2);
    await esperarAte(async () => s.emVooAgora === 0, 5000, "as vagas livres");
    const livres = (await (await fetch(`${s.url}/slots`)).json()) as { is_processing: boolean }[];
    expect(livres.map((x) => x.is_processing)).toEqual([false, false]);
  });

  it("`lento` holds each answer in its slot: one slot, 3 at once run one by one; a client that leaves its wait frees nothing it held", async () => {
    const s = await iniciar(new LlamaCppFalso());
    await s.definirFalha("lento", 150);
    const respostas = await Promise.all([chat(s, "m"), chat(s, "m"), chat(s, "m")]);
    expect(respostas.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(s.maxEmVoo).toBe(1);

    await s.definirFalha("segurar");
    const segurado = await streamAberto(s, "m");
    const saida = new AbortController();
    const desistente = chat(s, "m", {}, saida.signal).catch(() => null);
    await esperarAte(async () => s.vagas.esperando === 1, 5000, "a segunda na fila do servidor");
    saida.abort();
    await desistente;
    await esperarAte(async () => s.vagas.esperando === 0, 5000, "a desistente fora da fila");
    expect(s.emVooAgora).toBe(1);
    await s.definirFalha(null);
    s.soltar();
    expect((await ate_o_fim(segurado)).cortado).toBe(false);
    await esperarAte(async () => s.emVooAgora === 0, 5000, "a vaga livre");
    expect((await chat(s, "m")).status).toBe(200);
    expect(s.maxEmVoo).toBe(1);
  });
});

describe("llama.cpp router: loads on demand, evictions, slots per model", () => {
  const modelos = [{ id: "a" }, { id: "b" }];

  it("modelosMax 1: each swap is a load (counted per model), the evicted model shows unloaded, `loading` while it loads", async () => {
    const s = await iniciar(new LlamaCppRoteadorFalso({ modelos, modelosMax: 1, cargaMs: 200 }));
    const props = (await (await fetch(`${s.url}/props`)).json()) as { max_instances: number };
    expect(props.max_instances).toBe(1);
    const primeira = chat(s, "a");
    await esperarAte(async () => s.estadoDe("a") === "loading", 5000, "a carregando");
    const estados = async () =>
      Object.fromEntries(
        ((await (await fetch(`${s.url}/models`)).json()) as { data: { id: string; status: { value: string } }[] }).data.map((m) => [
          m.id,
          m.status.value,
        ]),
      );
    expect(await estados()).toEqual({ a: "loading", b: "unloaded" });
    // a second chat for the model being loaded waits for the same load
    const segunda = chat(s, "a");
    expect([(await primeira).status, (await segunda).status]).toEqual([200, 200]);
    expect(s.cargas).toBe(1);
    expect((await chat(s, "a")).status).toBe(200);
    expect((await chat(s, "b")).status).toBe(200);
    expect((await chat(s, "a")).status).toBe(200);
    expect(s.cargas).toBe(3);
    expect(Object.fromEntries(s.cargasPorModelo)).toEqual({ a: 2, b: 1 });
    expect(await estados()).toEqual({ a: "loaded", b: "unloaded" });
    expect(s.abortadasPorTroca).toBe(0);
    const doModelo = (await (await fetch(`${s.url}/props?model=a`)).json()) as { total_slots: number };
    expect(doModelo.total_slots).toBe(1);
  });

  it("a swap cuts the requests in flight on the evicted model (counted), and the one waiting for its slot", async () => {
    const s = await iniciar(new LlamaCppRoteadorFalso({ modelos, modelosMax: 1, cargaMs: 50 }));
    expect((await chat(s, "a")).status).toBe(200);
    await s.definirFalha("segurar");
    const emVoo = await streamAberto(s, "a");
    const naFila = chat(s, "a", { stream: true }).then(
      (r) => ate_o_fim(r.body!.getReader()),
      () => ({ cortado: true }),
    );
    await esperarAte(async () => chats(s).length === 3, 5000, "a terceira recebida");
    expect(s.emVooAgora).toBe(1);
    await s.definirFalha(null);
    const troca = chat(s, "b");
    expect((await ate_o_fim(emVoo)).cortado).toBe(true);
    expect((await naFila).cortado).toBe(true);
    expect((await troca).status).toBe(200);
    expect(s.abortadasPorTroca).toBe(2);
    expect(s.maxEmVoo).toBe(1);
    await esperarAte(async () => s.emVooAgora === 0, 5000, "nada em voo");
  });

  it("slots per model: 2 slots, 3 held streams on one model run 2 at once; without a limit of models nothing is evicted", async () => {
    const s = await iniciar(new LlamaCppRoteadorFalso({ modelos, modelosMax: 0, cargaMs: 20, slots: 2 }));
    await s.definirFalha("segurar");
    const leitores = [await streamAberto(s, "a"), await streamAberto(s, "a")];
    const terceira = chat(s, "a", { stream: true });
    const outro = await streamAberto(s, "b");
    expect(s.emVooAgora).toBe(3);
    await s.definirFalha(null);
    s.soltar();
    const fins = await Promise.all([...leitores, outro].map(ate_o_fim));
    expect(fins.every((f) => !f.cortado)).toBe(true);
    expect((await ate_o_fim((await terceira).body!.getReader())).cortado).toBe(false);
    expect(s.maxEmVoo).toBe(3);
    expect(s.cargas).toBe(2);
    expect(s.abortadasPorTroca).toBe(0);
  });
});

describe("Ollama: loads, evictions that wait, parallel per model", () => {
  const modelos = [{ id: "a:latest" }, { id: "b:latest" }];
  const conversar = async (s: OllamaFalso, modelo: string) => {
    const r = await fetch(`${s.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: modelo, messages: MENSAGENS, stream: false }),
    });
    expect(r.status).toBe(200);
    return (await r.json()) as { load_duration: number; message: { content: string } };
  };
  const carregados = async (s: OllamaFalso) =>
    ((await (await fetch(`${s.url}/api/ps`)).json()) as { models: { name: string }[] }).models.map((m) => m.name);

  it("a chat loads its model (load_duration in ns), a loaded one does not load again; past modelosMax the LRU leaves /api/ps", async () => {
    const s = await iniciar(new OllamaFalso({ modelos, modelosMax: 1, cargaMs: 100 }));
    expect(await carregados(s)).toEqual([]);
    expect((await conversar(s, "a:latest")).load_duration).toBeGreaterThanOrEqual(100_000_000);
    expect(await carregados(s)).toEqual(["a:latest"]);
    expect((await conversar(s, "a:latest")).load_duration).toBeLessThan(100_000_000);
    expect(s.cargas).toBe(1);
    await conversar(s, "b:latest");
    expect(await carregados(s)).toEqual(["b:latest"]);
    expect(Object.fromEntries(s.cargasPorModelo)).toEqual({ "a:latest": 1, "b:latest": 1 });
  });

  it("a swap waits for the evicted model's requests to end: none is cut, the other model is served after", async () => {
    const s = await iniciar(new OllamaFalso({ modelos, modelosMax: 1 }));
    await s.definirFalha("segurar");
    const emA = await streamAberto(s, "a:latest", "/api/chat");
    const paraB = conversar(s, "b:latest");
    await esperarAte(async () => chats(s).length === 2, 5000, "o pedido de b recebido");
    expect(await carregados(s)).toEqual(["a:latest"]);
    expect(s.cargas).toBe(1);
    await s.definirFalha(null);
    s.soltar();
    const fim = await ate_o_fim(emA);
    expect(fim.cortado).toBe(false);
    expect(fim.texto).toContain('"done":true');
    expect((await paraB).message.content.length).toBeGreaterThan(0);
    expect(await carregados(s)).toEqual(["b:latest"]);
    expect(s.cargas).toBe(2);
    expect(s.maxEmVoo).toBe(1);
  });

  it("paralelo 1: two held streams on one model run one at a time; by default (no limit) both at once", async () => {
    const s = await iniciar(new OllamaFalso({ modelos, paralelo: 1 }));
    await s.definirFalha("segurar");
    const primeira = await streamAberto(s, "a:latest", "/api/chat");
    const segunda = fetch(`${s.url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "a:latest", messages: MENSAGENS }) });
    await esperarAte(async () => chats(s).length === 2, 5000, "a segunda recebida");
    expect(s.emVooAgora).toBe(1);
    await s.definirFalha(null);
    s.soltar();
    expect((await ate_o_fim(primeira)).cortado).toBe(false);
    expect((await ate_o_fim((await segunda).body!.getReader())).cortado).toBe(false);
    expect(s.maxEmVoo).toBe(1);

    const livre = await iniciar(new OllamaFalso({ modelos }));
    await livre.definirFalha("segurar");
    const duas = [await streamAberto(livre, "a:latest", "/api/chat"), await streamAberto(livre, "a:latest", "/api/chat")];
    expect(livre.emVooAgora).toBe(2);
    await livre.definirFalha(null);
    livre.soltar();
    await Promise.all(duas.map(ate_o_fim));
    expect(livre.maxEmVoo).toBe(2);
  });
});
