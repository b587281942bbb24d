import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ErroApp } from "@/lib/errors";
import { type ConfigDaFila, FilaDoProvedor, type Vaga } from "@/lib/fila/fila-do-provedor";

vi.mock("server-only", () => ({}));

const BASE: ConfigDaFila = {
  nome: "GPU da sala",
  limite: 2,
  porModelo: false,
  filaMax: 64,
  esperaMs: 60_000,
  capacidadeModelos: null,
  gracaMs: 150,
  rodadaMax: 8,
  rodadaMs: 30_000,
};

const fila = (c: Partial<ConfigDaFila> = {}) => new FilaDoProvedor(1, { ...BASE, ...c });

/** A place now, or the error thrown at once. */
function agora(f: FilaDoProvedor, modelo = "a", prioridade = 0, sinal?: AbortSignal): Vaga {
  const v = f.entrar(modelo, prioridade, sinal);
  if (v instanceof Promise) throw new Error("esperou");
  return v;
}

/** A request that waits: the order its place came in is pushed to `ordem`. */
function esperar(f: FilaDoProvedor, ordem: string[], nome: string, modelo = "a", prioridade = 0, sinal?: AbortSignal) {
  const v = f.entrar(modelo, prioridade, sinal);
  expect(v).toBeInstanceOf(Promise);
  const p = (v as Promise<Vaga>).then((vaga) => {
    ordem.push(nome);
    return vaga;
  });
  p.catch(() => {});
  return p;
}

beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
afterEach(() => vi.useRealTimers());

describe("a provider's queue", () => {
  it("starts at once up to the limit, then queues in order of arrival; a freed place goes to the next", async () => {
    const f = fila();
    const a = agora(f);
    agora(f);
    const ordem: string[] = [];
    const p3 = esperar(f, ordem, "3");
    esperar(f, ordem, "4");
    expect(f.naFila).toBe(2);
    expect(f.emVooAgora).toBe(2);
    vi.advanceTimersByTime(250);
    a.liberar();
    a.liberar(); // a second release frees nothing more
    const v3 = await p3;
    expect(ordem).toEqual(["3"]);
    expect(v3.esperaMs).toBe(250);
    expect(f.emVooAgora).toBe(2);
    expect(f.naFila).toBe(1);
  });

  it("without a limit never queues, and hands the place synchronously", () => {
    const f = fila({ limite: null });
    for (let i = 0; i < 1000; i++) agora(f);
    expect(f.emVooAgora).toBe(1000);
    expect(f.naFila).toBe(0);
  });

  it("refuses at once when the queue is full, saying the provider and the queue, with Retry-After", () => {
    const f = fila({ limite: 1, filaMax: 1 });
    agora(f);
    esperar(f, [], "2");
    let erro: unknown;
    try {
      f.entrar("a");
    } catch (e) {
      erro = e;
    }
    expect(erro).toBeInstanceOf(ErroApp);
    const e = erro as ErroApp;
    expect(e.codigo).toBe("fila_cheia");
    expect(e.status).toBe(429);
    expect(e.message).toContain('"GPU da sala"');
    expect(e.message).toContain("1 de 1");
    expect(Number(e.cabecalhos?.["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(f.recusadasCheia).toBe(1);
  });

  it("with fila_max 0 a full server is busy at once", () => {
    const f = fila({ limite: 1, filaMax: 0 });
    agora(f);
    expect(() => f.entrar("a")).toThrow(/sem fila/);
  });

  it("a wait past fila_espera_segundos leaves the queue with fila_espera_esgotada", async () => {
    const f = fila({ limite: 1, esperaMs: 5000 });
    agora(f);
    const p = f.entrar("a") as Promise<Vaga>;
    const erro = p.then(
      () => null,
      (e: ErroApp) => e,
    );
    vi.advanceTimersByTime(5000);
    expect((await erro)?.codigo).toBe("fila_espera_esgotada");
    expect(f.naFila).toBe(0);
    expect(f.recusadasEspera).toBe(1);
  });

  it("a caller that goes away leaves the queue at once and never gets a place", async () => {
    const f = fila({ limite: 1 });
    const a = agora(f);
    const controle = new AbortController();
    const ordem: string[] = [];
    const p = esperar(f, ordem, "saiu", "a", 0, controle.signal);
    const fora = p.catch((e: ErroApp) => e.codigo);
    controle.abort();
    expect(await fora).toBe("cancelado");
    expect(f.naFila).toBe(0);
    a.liberar();
    expect(f.emVooAgora).toBe(0);
    expect(ordem).toEqual([]);
  });

  it("orders waiting requests by priority, then arrival", async () => {
    const f = fila({ limite: 1 });
    const a = agora(f);
    const ordem: string[] = [];
    esperar(f, ordem, "baixa", "a", 0);
    esperar(f, ordem, "alta", "a", 5);
    esperar(f, ordem, "baixa2", "a", 0);
    a.liberar();
    await vi.waitFor(() => expect(ordem).toEqual(["alta"]));
  });

  it("per model: each model has its own places", () => {
    const f = fila({ limite: 1, porModelo: true });
    agora(f, "a");
    agora(f, "b");
    expect(f.entrar("a")).toBeInstanceOf(Promise);
    expect(f.prontidao("a").classe).toBe(2); // behind the one waiting for "a"
    expect(f.prontidao("c").classe).toBe(1); // "c" has a free place: the waiter of "a" is not in its way
  });

  it("per model: a queue full of one model's waiters does not refuse a model with a free place", () => {
    const f = fila({ limite: 1, porModelo: true, filaMax: 1 });
    agora(f, "a");
    esperar(f, [], "a2", "a");
    expect(() => f.entrar("a")).toThrow(expect.objectContaining({ codigo: "fila_cheia" }));
    expect(f.prontidao("b").classe).toBe(1);
    agora(f, "b");
    expect(f.emVooAgora).toBe(2);
    expect(f.naFila).toBe(1);
  });

  it("each start, wait and departure is announced for the live counts", async () => {
    const avisos: [number, number][] = [];
    const f = new FilaDoProvedor(1, { ...BASE, limite: 1 }, (q) => avisos.push([q.emVooAgora, q.naFila]));
    const a = agora(f);
    expect(avisos.at(-1)).toEqual([1, 0]);
    const saida = new AbortController();
    esperar(f, [], "2", "a", 0, saida.signal).catch(() => {});
    expect(avisos.at(-1)).toEqual([1, 1]);
    saida.abort();
    expect(avisos.at(-1)).toEqual([1, 0]);
    a.liberar();
    expect(avisos.at(-1)).toEqual([0, 0]);
  });

  it("a deleted provider's waiters are told at once, and none gets a place afterwards", async () => {
    const f = fila({ limite: 1 });
    const a = agora(f);
    const ordem: string[] = [];
    const p = esperar(f, ordem, "2");
    f.descartarEsperando(new ErroApp("nao_encontrado", "excluído"));
    await expect(p).rejects.toMatchObject({ codigo: "nao_encontrado" });
    a.liberar();
    expect(f.emVooAgora).toBe(0);
    expect(ordem).toEqual([]);
  });
});

describe("swap-aware order (a server that keeps one model loaded)", () => {
  const swap = (c: Partial<ConfigDaFila> = {}) => fila({ limite: 4, porModelo: true, capacidadeModelos: 1, ...c });

  it("a request that would swap waits for the in-flight ones of the loaded model instead of cutting them", async () => {
    const f = swap();
    const a1 = agora(f, "a");
    const ordem: string[] = [];
    const pb = esperar(f, ordem, "b", "b");
    expect(f.modelosCarregados).toEqual(["a"]);
    a1.liberar();
    // the grace: held a moment in case "a" is asked again
    await Promise.resolve();
    expect(ordem).toEqual([]);
    vi.advanceTimersByTime(200);
    await pb;
    expect(ordem).toEqual(["b"]);
    expect(f.modelosCarregados).toEqual(["b"]);
  });

  it("two programs looping on two models: runs of the loaded model, at most rodadaMax before the swap", async () => {
    const f = swap({ rodadaMax: 3 });
    const ordem: string[] = [];
    let a = agora(f, "a");
    let servidosA = 1;
    const pb = esperar(f, ordem, "b", "b");
    // the "a" program asks again right after each answer (within the grace): it goes before the swap...
    for (let i = 0; i < 10; i++) {
      a.liberar();
      const v = f.entrar("a") as Promise<Vaga>;
      if (f.modelosCarregados[0] === "b") break;
      a = await v;
      servidosA++;
    }
    // ...until 3 went ahead of it: then the swap was due, "b" started once "a" drained, and "a" waits its turn
    expect(servidosA).toBe(4);
    const vb = await pb;
    expect(ordem).toEqual(["b"]);
    expect(f.naFila).toBe(1);
    vb.liberar();
    vi.advanceTimersByTime(200);
    await vi.waitFor(() => expect(f.modelosCarregados).toEqual(["a"]));
  });

  it("a swap is due after rodadaMs even with fewer requests ahead", async () => {
    const f = swap({ rodadaMs: 1000 });
    const a = agora(f, "a");
    const ordem: string[] = [];
    const pb = esperar(f, ordem, "b", "b");
    vi.advanceTimersByTime(1001);
    a.liberar();
    const v = f.entrar("a");
    expect(v).toBeInstanceOf(Promise); // the swap is due: "a" waits behind it, no grace
    const vb = await pb;
    expect(ordem).toEqual(["b"]);
    vb.liberar();
    vi.advanceTimersByTime(200);
    expect((await v).esperaMs).toBeGreaterThan(0);
  });

  it("a request the server did not answer (a model it lacks) loaded nothing: the next model starts without a grace", async () => {
    const f = swap();
    agora(f, "a").liberar(true);
    expect(f.modelosCarregados).toEqual(["a"]);
    vi.advanceTimersByTime(200);
    const sumido = agora(f, "sumido"); // a swap, nothing in flight: it starts
    const ordem: string[] = [];
    const pb = esperar(f, ordem, "b", "b");
    sumido.liberar(false);
    await pb; // no grace: "sumido" was never loaded, and "a" was evicted by the belief only
    expect(ordem).toEqual(["b"]);
    expect(f.modelosCarregados).toEqual(["b"]);
  });

  it("with room for two models, an answer for the one that stays holds no swap of the other", async () => {
    const f = swap({ capacidadeModelos: 2 });
    agora(f, "a").liberar(true);
    vi.advanceTimersByTime(200);
    const b = agora(f, "b");
    b.liberar(true); // the grace is "b"'s: a swap now evicts "a", which nobody uses
    const c = f.entrar("c");
    expect(c).not.toBeInstanceOf(Promise);
    expect(f.modelosCarregados).toEqual(["b", "c"]);
  });

  it("the monitor's reading replaces the belief, keeping the model in flight", () => {
    const f = swap();
    agora(f, "b");
    f.definirCarregados(["a"]); // a reading older than the swap to "b"
    expect(f.modelosCarregados).toEqual(["b"]);
    expect(f.prontidao("b").classe).toBe(0);
  });
});
