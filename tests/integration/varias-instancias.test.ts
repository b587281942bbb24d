import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventoMonitor } from "@/lib/saude/eventos";
import { OllamaFalso } from "../servidores/ollama";
import { app as appDoProjeto } from "../support/contexto";
import { type DuasInstancias, ehDe, eventosDe, type Instancia, iniciarDuasInstancias, titularDoMonitor } from "../support/duas-instancias";
import { esperarAte } from "../support/portas";

// Two app processes, A and B, on one real sqld, monitor on in both, as `npm start` runs them behind a load balancer.
// The file starts its own database and apps, so it runs once: in the sqld project (several instances share a
// libSQL server; in the file project the same run would only repeat it, on a database of its own that is not a file).
/** The shortest check interval allowed: the monitor's bounds are counted in it. */
const INTERVALO_S = 5;
const INTERVALO_MS = INTERVALO_S * 1000;

type Eventos = { em: number; e: EventoMonitor }[];
type Provedor = { id: number; status: string };
type Estatisticas = { total_requisicoes: number };

const MENSAGENS = [{ role: "user", content: "oi" }];
const status = (id: number, s: string) => (e: EventoMonitor) => e.tipo === "status" && e.provedor_id === id && e.status === s;
const statusDe = (eventos: Eventos, id: number, desde: number) =>
  eventos.filter((x) => x.em >= desde && x.e.tipo === "status" && x.e.provedor_id === id).map((x) => (x.e as { status: string }).status);
const checagens = (s: OllamaFalso) => s.recebidas.filter((r) => r.caminho === "/api/version").length;

/** The first event (received after `desde`) that matches, or a failure after `limiteMs`. */
async function esperarEvento(eventos: Eventos, condicao: (e: EventoMonitor) => boolean, desde: number, limiteMs: number) {
  const fim = Date.now() + limiteMs;
  for (;;) {
    const achado = eventos.find((x) => x.em >= desde && condicao(x.e));
    if (achado) return achado;
    if (Date.now() >= fim) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nenhum evento esperado em ${limiteMs} ms; vistos: ${JSON.stringify(eventos.map((x) => x.e))}`);
}

const esperar = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When each check reached a test server (its arrival, by this process's clock). */
const horasDasChecagens = new WeakMap<OllamaFalso, number[]>();
/** The shortest time between two checks of one server: never under its interval (a few ms of the network aside). */
function menorIntervalo(s: OllamaFalso): number {
  const horas = horasDasChecagens.get(s) ?? [];
  return Math.min(...horas.slice(1).map((h, i) => h - horas[i]!));
}

describe.runIf(appDoProjeto().modoBanco === "sqld")("several instances on one sqld", () => {
  let par: DuasInstancias;
  const fechar = new AbortController();
  /** What B's live pages hear, from its start. */
  let eventosB: Eventos;
  const servidores: OllamaFalso[] = [];

  async function servidor(): Promise<OllamaFalso> {
    const s = await new OllamaFalso().iniciar();
    servidores.push(s);
    const horas: number[] = [];
    horasDasChecagens.set(s, horas);
    const guardar = s.recebidas.push.bind(s.recebidas);
    s.recebidas.push = (...rs) => {
      for (const r of rs) if (r.caminho === "/api/version") horas.push(Date.now());
      return guardar(...rs);
    };
    return s;
  }

  async function criar(em: Instancia, base_url: string, extra: Record<string, unknown> = {}): Promise<number> {
    const r = await em.rest.pedir<{ id: number }>("", {
      json: {
        nome: `ollama ${Math.random().toString(36).slice(2, 8)}`,
        tipo: "ollama",
        base_url,
        intervalo_verificacao_segundos: INTERVALO_S,
        timeout_segundos: 1,
        ...extra,
      },
    });
    expect(r.status, r.texto).toBe(201);
    return r.corpo.id;
  }

  beforeAll(async () => {
    par = await iniciarDuasInstancias();
    eventosB = await eventosDe(par.b, fechar.signal);
  });
  afterAll(async () => {
    fechar.abort();
    await par?.parar();
    await Promise.all(servidores.map((s) => s.parar()));
  });

  it("the first instance started holds the monitor's lease; the other does not", async () => {
    const titular = await titularDoMonitor(par.banco);
    expect(ehDe(titular, par.a)).toBe(true);
    expect(ehDe(titular, par.b)).toBe(false);
  });

  it.concurrent("a status change the holder (A) makes reaches the other instance's live pages and REST (B)", async () => {
    const ollama = await servidor();
    const criadoEm = Date.now();
    const id = await criar(par.a, ollama.url);
    // B does not check (A holds the lease): it heard A's checks through the database.
    await esperarEvento(eventosB, status(id, "online"), criadoEm, 10_000);
    expect(ehDe(await titularDoMonitor(par.banco), par.a)).toBe(true);

    await ollama.definirFalha("recusar");
    const caiu = Date.now();
    // three failed checks, an interval apart: unstable at the first, offline at the third, each heard once on B
    await esperarEvento(eventosB, status(id, "offline"), caiu, 4 * INTERVALO_MS + 5000);
    expect(statusDe(eventosB, id, caiu)).toEqual(["instavel", "offline"]);
    const naB = await par.b.rest.pedir<Provedor>(`/${id}`);
    expect(naB.corpo.status).toBe("offline");
  }, 60_000);

  it.concurrent("only one instance checks: with both up, a server is checked no more often than its interval", async () => {
    const ollama = await servidor();
    await criar(par.a, ollama.url);
    await esperarAte(async () => checagens(ollama) > 0, 10_000, "a primeira verificação");
    const antes = checagens(ollama);
    const inicio = Date.now();
    await esperar(4 * INTERVALO_MS);
    const n = checagens(ollama) - antes;
    const janela = Date.now() - inicio;
    // one monitor at work: at most one check per interval (plus the one at the window's start); two would make ~twice
    expect(n).toBeLessThanOrEqual(Math.floor(janela / INTERVALO_MS) + 1);
    expect(n).toBeGreaterThanOrEqual(Math.floor(janela / (1.1 * INTERVALO_MS)) - 1);
    expect(menorIntervalo(ollama)).toBeGreaterThanOrEqual(INTERVALO_MS - 100);
  }, 60_000);

  it.concurrent("statistics read from either instance count every request sent through both, exactly", async () => {
    const ollama = await servidor();
    // A long interval: this test is about requests, not checks.
    const id = await criar(par.a, ollama.url, { intervalo_verificacao_segundos: 3600 });
    const enviados = { a: 3, b: 4 };
    for (const [inst, n] of [
      [par.a, enviados.a],
      [par.b, enviados.b],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const r = await inst.rest.pedir(`/${id}/requisicao`, { json: { mensagens: MENSAGENS } });
        expect(r.status, r.texto).toBe(200);
      }
    }
    const total = enviados.a + enviados.b;
    const lido = async (inst: Instancia) => (await inst.rest.pedir<Estatisticas>(`/${id}/estatisticas?periodo=1h`)).corpo.total_requisicoes;
    // Each instance writes its rows in short batches: once A counts them all, both count exactly that.
    await esperarAte(async () => (await lido(par.a)) >= total, 10_000, "as estatísticas em A");
    expect(await lido(par.a)).toBe(total);
    expect(await lido(par.b)).toBe(total);
    const server = ollama.recebidas.filter((r) => r.caminho === "/api/chat").length;
    expect(server).toBe(total);
  }, 60_000);

  describe("access keys on both instances", () => {
    let idProvedor: number;
    const chaves = (inst: Instancia) => inst.raiz;
    const conversar = (inst: Instancia, segredo: string) =>
      fetch(`${inst.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${segredo}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "modelo-teste", messages: MENSAGENS }),
      });

    beforeAll(async () => {
      const ollama = await servidor();
      idProvedor = await criar(par.a, ollama.url, { intervalo_verificacao_segundos: 3600 });
      // the model list, for the gateway to know who has "modelo-teste"
      expect((await par.a.rest.pedir(`/${idProvedor}/testar`, { method: "POST" })).status).toBe(200);
    });

    async function criarChave(em: Instancia, corpo: Record<string, unknown> = {}): Promise<{ id: number; chave: string }> {
      const r = await chaves(em).pedir<{ id: number; chave: string }>("/api/chaves", {
        json: { nome: `chave ${Math.random().toString(36).slice(2, 8)}`, provedores: [idProvedor], ...corpo },
      });
      expect(r.status, r.texto).toBe(201);
      return r.corpo;
    }

    it("a key created on A works on B, and a made-up one is refused there", async () => {
      const { chave } = await criarChave(par.a);
      const r = await conversar(par.b, chave);
      expect(r.status, await r.clone().text()).toBe(200);
      expect(((await r.json()) as { choices: unknown[] }).choices).toHaveLength(1);
      const falsa = await conversar(par.b, `pllm_${"x".repeat(43)}`);
      expect(falsa.status).toBe(401);
    });

    it("a key revoked on B is refused on A within 5 s", async () => {
      const { id, chave } = await criarChave(par.a);
      // A has just used (and so cached) the key; the revocation comes a moment later, so that polling every 100 ms
      // has room to see the refusal before the 5 s are up.
      expect((await conversar(par.a, chave)).status).toBe(200);
      await esperar(500);
      expect((await conversar(par.a, chave)).status).toBe(200);
      expect((await chaves(par.b).pedir(`/api/chaves/${id}`, { method: "DELETE" })).status).toBe(204);
      // B itself refuses it at once (its revocation forgets its own copy)
      expect((await conversar(par.b, chave)).status).toBe(401);
      await esperarAte(async () => (await conversar(par.a, chave)).status === 401, 5000, "a recusa da chave revogada em A");
    });

    it("a 4-per-minute key through both instances: never more than 4 + 1 per instance in the minute", async () => {
      const { chave } = await criarChave(par.a, { limite_rpm: 4 });
      // The window is the UTC minute: start early in one, so the ten calls stay inside it (a wait, not an assertion).
      const resta = 60_000 - (Date.now() % 60_000);
      if (resta < 20_000) await new Promise((r) => setTimeout(r, resta + 50));
      const respostas: Response[] = [];
      for (let i = 0; i < 10; i++) respostas.push(await conversar(i % 2 ? par.b : par.a, chave));
      const aceitas = respostas.filter((r) => r.status === 200).length;
      const recusadas = respostas.filter((r) => r.status === 429);
      expect(aceitas).toBeGreaterThanOrEqual(4);
      expect(aceitas).toBeLessThanOrEqual(6);
      expect(recusadas).toHaveLength(10 - aceitas);
      for (const r of recusadas) expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    }, 45_000);
  });

  // Last: it kills A.
  describe("the holder dies", () => {
    it("killing A (SIGKILL) hands the monitor to B within 3 check intervals: a server going down is then seen offline on B", async () => {
      const ollama = await servidor();
      const criadoEm = Date.now();
      const id = await criar(par.a, ollama.url);
      await esperarEvento(eventosB, status(id, "online"), criadoEm, 10_000);
      expect(ehDe(await titularDoMonitor(par.banco), par.a)).toBe(true);

      par.a.processo.kill("SIGKILL");
      await esperarAte(async () => ehDe(await titularDoMonitor(par.banco), par.b), 3 * INTERVALO_MS, "B com a concessão do monitor");
      // B's first check comes an interval after A's last one (stored in the database), not at once
      const antes = checagens(ollama);
      await esperarAte(async () => checagens(ollama) > antes, 2 * INTERVALO_MS, "a primeira verificação de B");
      expect(menorIntervalo(ollama)).toBeGreaterThanOrEqual(INTERVALO_MS - 100);

      await ollama.definirFalha("recusar");
      const caiu = Date.now();
      await esperarEvento(eventosB, status(id, "offline"), caiu, 4 * INTERVALO_MS + 5000);
      expect(statusDe(eventosB, id, caiu)).toEqual(["instavel", "offline"]);
      expect((await par.b.rest.pedir<Provedor>(`/${id}`)).corpo.status).toBe("offline");
    }, 60_000);

    it("a graceful stop of the holder (B) gives the lease up", async () => {
      expect(ehDe(await titularDoMonitor(par.banco), par.b)).toBe(true);
      expect(await par.b.parar()).toEqual({ codigo: 0, sinal: null });
      const linhas = await par.banco.execute("select titular from concessoes where nome = 'monitor'");
      expect(linhas.rows).toHaveLength(0);
    }, 30_000);
  });
});
