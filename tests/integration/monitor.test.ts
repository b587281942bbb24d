import { createClient } from "@libsql/client";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventoMonitor } from "@/lib/saude/eventos";
import type { Disponibilidade } from "@/lib/schemas/disponibilidade-e-incidentes";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OllamaFalso } from "../servidores/ollama";
import { type ClienteApi, clienteApi } from "../support/cliente-api";
import { app as appDoProjeto } from "../support/contexto";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// The shared app runs without the monitor (its checks would add to what other tests count): this file
// starts its own, as `npm start` does, monitor on. Checks run every 5 s (the shortest interval allowed).
// One database mode is enough: the monitor's SQL is the same drizzle code the suite runs on both.
describe.runIf(appDoProjeto().modoBanco === "arquivo")("background monitor", () => {
  let app: ServidorApp;
  const eventos: { em: number; e: EventoMonitor }[] = [];
  const fechar = new AbortController();

  /** This file's app: its REST contract, and its other routes (/v1, SSE, cron). */
  let api: ClienteApi["resposta"];
  let raiz: ClienteApi;

  async function criar(tipo: string, base_url: string, extra: Record<string, unknown> = {}): Promise<number> {
    const r = await api("", {
      method: "POST",
      json: { nome: `${tipo} ${Math.random().toString(36).slice(2, 8)}`, tipo, base_url, intervalo_verificacao_segundos: 5, ...extra },
    });
    expect(r.status).toBe(201);
    return ((await r.json()) as { id: number }).id;
  }

  /** The first event (received after `desde`) that matches, or a failure after `limiteMs`. */
  async function esperarEvento(
    condicao: (e: EventoMonitor) => boolean,
    desde: number,
    limiteMs: number,
  ): Promise<{ em: number; e: EventoMonitor }> {
    const fim = Date.now() + limiteMs;
    for (;;) {
      const achado = eventos.find((x) => x.em >= desde && condicao(x.e));
      if (achado) return achado;
      if (Date.now() >= fim) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nenhum evento esperado em ${limiteMs} ms; vistos: ${JSON.stringify(eventos.map((x) => x.e))}`);
  }

  const status = (id: number, s: string) => (e: EventoMonitor) => e.tipo === "status" && e.provedor_id === id && e.status === s;
  const statusDe = (id: number, desde: number) =>
    eventos.filter((x) => x.em >= desde && x.e.tipo === "status" && x.e.provedor_id === id).map((x) => (x.e as { status: string }).status);
  const checagens = (s: { recebidas: { caminho: string }[] }, caminho: string) => s.recebidas.filter((r) => r.caminho === caminho).length;

  beforeAll(async () => {
    app = await iniciarApp({});
    api = clienteApi(`${app.url}/api/provedores-llm`).resposta;
    raiz = clienteApi(app.url);
    const r = await api("/eventos", { signal: fechar.signal });
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    // Every event of the run, as a live page receives them.
    void (async () => {
      const leitor = r.body!.pipeThrough(new TextDecoderStream()).getReader();
      let resto = "";
      for (;;) {
        const { value, done } = await leitor.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        resto += value;
        for (let i = resto.indexOf("\n\n"); i >= 0; i = resto.indexOf("\n\n")) {
          const bloco = resto.slice(0, i);
          resto = resto.slice(i + 2);
          const dados = /^data: (.+)$/m.exec(bloco)?.[1];
          const nome = /^event: (.+)$/m.exec(bloco)?.[1];
          if (dados && (nome === "status" || nome === "modelos")) eventos.push({ em: Date.now(), e: JSON.parse(dados) as EventoMonitor });
        }
      }
    })();
  });
  afterAll(async () => {
    fechar.abort();
    await app?.parar();
  });

  it.concurrent("a server that stops answering is offline after exactly 3 failed checks, refused at once meanwhile, and back online after 1", async () => {
    const ollama = await new OllamaFalso().iniciar();
    try {
      const criadoEm = Date.now();
      const id = await criar("ollama", ollama.url, { timeout_segundos: 1 });
      await esperarEvento(status(id, "online"), criadoEm, 5000);
      // the model list, for the gateway to know who has "modelo-teste"
      expect((await api(`/${id}/testar`, { method: "POST" })).status).toBe(200);

      await ollama.definirFalha("travar");
      const caiu = Date.now();
      const antes = checagens(ollama, "/api/version");
      const offline = await esperarEvento(status(id, "offline"), caiu, 25_000);
      // the server saw exactly three checks since it hung, and the page heard: unstable, then offline
      expect(checagens(ollama, "/api/version") - antes).toBe(3);
      expect(statusDe(id, caiu)).toEqual(["instavel", "offline"]);
      // two more checks, an interval apart, between the first failure and offline
      const instavel = await esperarEvento(status(id, "instavel"), caiu, 0);
      expect(offline.em - instavel.em).toBeGreaterThan(2 * 4500 - 500);

      // known offline: a request gets the stored reason at once, not after the provider's timeout
      const t0 = performance.now();
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: [{ role: "user", content: "oi" }] } });
      expect(performance.now() - t0).toBeLessThan(500);
      expect(r.status).toBe(502);
      const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string } };
      expect(corpo.erro.codigo).toBe("provedor_indisponivel");
      expect(corpo.erro.mensagem).toMatch(/está offline há .*não respondeu em 1 s/);
      // the gateway too, in OpenAI's shape
      const t1 = performance.now();
      const v1 = await raiz.resposta("/v1/chat/completions", {
        json: { model: "modelo-teste", messages: [{ role: "user", content: "oi" }] },
      });
      expect(performance.now() - t1).toBeLessThan(500);
      expect(v1.status).toBe(502);
      expect(((await v1.json()) as { error: { message: string } }).error.message).toContain("offline");
      expect(ollama.recebidas.filter((x) => x.caminho === "/api/chat" || x.caminho === "/v1/chat/completions")).toHaveLength(0);

      await ollama.definirFalha(null);
      const voltou = Date.now();
      await esperarEvento(status(id, "online"), voltou, 7000);
      expect(statusDe(id, voltou)).toEqual(["online"]);

      // each change is stored once: the uptime and the incident come from there
      const banco = createClient({ url: `file:${path.join(app.dataDir, "provedores-llm.db")}` });
      const linhas = await banco.execute({ sql: "select de, para from eventos_status where provedor_id = ? order by id", args: [id] });
      banco.close();
      expect(linhas.rows.map((l) => `${l.de}→${l.para}`)).toEqual([
        "desconhecido→online",
        "online→instavel",
        "instavel→offline",
        "offline→online",
      ]);
      const d = (await (await api(`/${id}/disponibilidade`)).json()) as Disponibilidade;
      expect(d.incidentes).toHaveLength(1);
      expect(d.incidentes[0]).toMatchObject({ status: "offline", motivo: expect.stringContaining("não respondeu em 1 s") });
      expect(d.incidentes[0]!.fim).not.toBeNull();
      expect(d.uptime["24h"]).toBeGreaterThan(0);
      expect(d.uptime["24h"]).toBeLessThan(100);
      // never a generation (the tags and show come from the connection test)
      expect(ollama.recebidas.some((x) => x.caminho === "/api/chat")).toBe(false);
    } finally {
      await ollama.parar();
    }
  }, 60_000);

  it.concurrent("a server never seen answering is offline at its first failed check, and from then on refused at once by both doors", async () => {
    const [vivo, preso] = await Promise.all([new OllamaFalso().iniciar(), new OllamaFalso().iniciar()]);
    try {
      await preso.definirFalha("travar");
      const timeoutMs = 3000;
      // The model list comes from a server that answers; then the address moves to one never seen answering.
      const criadoEm = Date.now();
      // A 60 s interval: the refusal window cannot close (and let a request probe) while the test runs.
      const id = await criar("ollama", vivo.url, { timeout_segundos: timeoutMs / 1000, intervalo_verificacao_segundos: 60 });
      expect((await api(`/${id}/testar`, { method: "POST" })).status).toBe(200);
      await esperarEvento(status(id, "online"), criadoEm, 5000);
      const movido = Date.now();
      const r = await api(`/${id}`, { method: "PUT", json: { base_url: preso.url } });
      expect(r.status).toBe(200);
      const { slug } = (await r.json()) as { slug: string };
      // its first check hangs until the timeout: the only failure, and the page shows it offline
      await esperarEvento(status(id, "offline"), movido, timeoutMs + 5000);
      expect(statusDe(id, movido)).toEqual(["offline"]);
      expect(((await (await api(`/${id}`)).json()) as { status: string }).status).toBe("offline");
      const pagina = await (await raiz.resposta(`/provedores-llm/${id}/detalhes`)).text();
      expect(pagina).toContain('data-status="offline"');

      // what the page says is what requests get: refused by the breaker, well before the timeout
      const t0 = performance.now();
      const rq = await api(`/${id}/requisicao`, {
        method: "POST",
        json: { modelo: "modelo-teste", mensagens: [{ role: "user", content: "oi" }] },
      });
      expect(performance.now() - t0).toBeLessThan(timeoutMs / 2);
      expect(rq.status).toBe(502);
      expect(((await rq.json()) as { erro: { codigo: string } }).erro.codigo).toBe("provedor_indisponivel");
      const t1 = performance.now();
      const v1 = await raiz.resposta("/v1/chat/completions", {
        json: { model: `${slug}/modelo-teste`, messages: [{ role: "user", content: "oi" }] },
      });
      expect(performance.now() - t1).toBeLessThan(timeoutMs / 2);
      expect(v1.status).toBe(502);
      expect(((await v1.json()) as { error: { code: string } }).error.code).toBe("provedor_indisponivel");
      // nothing was asked of the server but its one check
      expect(preso.recebidas.filter((x) => x.caminho !== "/api/version")).toHaveLength(0);
    } finally {
      await Promise.all([vivo.parar(), preso.parar()]);
    }
  }, 30_000);

  it.concurrent("a llama-server loading its model is 'carregando', then online", async () => {
    const llama = await new LlamaCppFalso().iniciar();
    try {
      await llama.definirFalha("carregando");
      const inicio = Date.now();
      const id = await criar("llama_cpp", llama.url);
      await esperarEvento(status(id, "carregando"), inicio, 5000);
      const provedor = (await (await api(`/${id}`)).json()) as { status: string };
      expect(provedor.status).toBe("carregando");
      await llama.definirFalha(null);
      await esperarEvento(status(id, "online"), inicio, 8000);
      expect(new Set(llama.recebidas.map((x) => x.caminho))).toEqual(new Set(["/health"]));
    } finally {
      await llama.parar();
    }
  }, 30_000);

  it.concurrent("the loaded models follow Ollama's /api/ps, live", async () => {
    const ollama = await new OllamaFalso({
      modelos: [
        { id: "llama3.2:latest", carregado: true },
        { id: "qwen2.5:7b", carregado: false },
      ],
    }).iniciar();
    try {
      const id = await criar("ollama", ollama.url);
      expect((await api(`/${id}/testar`, { method: "POST" })).status).toBe(200);
      const trocou = Date.now();
      for (const m of ollama.modelos) m.carregado = !m.carregado;
      const { e } = await esperarEvento((e) => e.tipo === "modelos" && e.provedor_id === id, trocou, 7000);
      expect(e).toMatchObject({ carregados: ["qwen2.5:7b"] });
      const { modelos } = (await (await api(`/${id}/modelos`)).json()) as { modelos: { modelo: string; carregado: boolean }[] };
      expect(Object.fromEntries(modelos.map((m) => [m.modelo, m.carregado]))).toEqual({ "llama3.2:latest": false, "qwen2.5:7b": true });
    } finally {
      await ollama.parar();
    }
  }, 30_000);

  it.concurrent("a hanging server never delays another provider's check, and its own checks never overlap", async () => {
    let idPreso: number | null = null;
    const [preso, vivo] = await Promise.all([new OllamaFalso().iniciar(), new OllamaFalso().iniciar()]);
    try {
      await preso.definirFalha("travar");
      // the hanging one waits its whole 10 s timeout each time
      idPreso = await criar("ollama", preso.url, { timeout_segundos: 30 });
      const idVivo = await criar("ollama", vivo.url);
      await new Promise((r) => setTimeout(r, 12_500));
      // the healthy one: its first check within 2 s, then every 5 s (±10%)
      expect(checagens(vivo, "/api/version")).toBeGreaterThanOrEqual(3);
      // the hung one: one check at a time, the next 5 s after the last gave up (10 s)
      expect(checagens(preso, "/api/version")).toBe(1);
      expect(((await (await api(`/${idVivo}`)).json()) as { status: string }).status).toBe("online");

      // a deleted provider is no longer checked
      expect((await api(`/${idVivo}`, { method: "DELETE" })).status).toBe(204);
      const depois = checagens(vivo, "/api/version");
      await new Promise((r) => setTimeout(r, 6000));
      expect(checagens(vivo, "/api/version")).toBe(depois);
    } finally {
      // the cron test below checks every active provider: not this hung one
      if (idPreso !== null) await api(`/${idPreso}`, { method: "DELETE" });
      await Promise.all([preso.parar(), vivo.parar()]);
    }
  }, 40_000);

  it.concurrent("a new base_url while a check of the old one hangs is checked at once; the old check's result is discarded", async ({
    expect,
  }) => {
    let id: number | null = null;
    const [antigo, novo] = await Promise.all([new OllamaFalso().iniciar(), new OllamaFalso().iniciar()]);
    try {
      await antigo.definirFalha("travar");
      // an hour between scheduled checks: only the one at creation, then the one the edit starts
      id = await criar("ollama", antigo.url, { intervalo_verificacao_segundos: 3600, timeout_segundos: 2 });
      const fim = Date.now() + 5000;
      while (checagens(antigo, "/api/version") === 0 && Date.now() < fim) await new Promise((r) => setTimeout(r, 50));
      expect(checagens(antigo, "/api/version")).toBe(1);
      const primeiraChecagem = Date.now();

      const editado = Date.now();
      const r = await api(`/${id}`, { method: "PUT", json: { base_url: novo.url } });
      expect(r.status).toBe(200);
      await esperarEvento(status(id, "online"), editado, 5000);
      // the old server saw its check given up, and nothing of it reaches the new status, even past its timeout (2 s)
      await expect.poll(() => antigo.streamsAbandonados, { timeout: 3000 }).toBe(1);
      await new Promise((r) => setTimeout(r, Math.max(0, primeiraChecagem + 2500 - Date.now())));
      expect(statusDe(id, editado)).toEqual(["online"]);
      expect(((await (await api(`/${id}`)).json()) as { status: string }).status).toBe("online");
    } finally {
      if (id !== null) await api(`/${id}`, { method: "DELETE" });
      await Promise.all([antigo.parar(), novo.parar()]);
    }
  }, 30_000);

  // After the concurrent tests, on its own: the scheduled checks of other providers would blur the count.
  it("the cron route (Vercel's stand-in for the monitor) runs one round: one check of each active provider", async () => {
    const ollama = await new OllamaFalso().iniciar();
    try {
      const inicio = Date.now();
      // an hour between scheduled checks: only the one at creation, then the round's
      const id = await criar("ollama", ollama.url, { intervalo_verificacao_segundos: 3600 });
      await esperarEvento(status(id, "online"), inicio, 5000);
      const antes = checagens(ollama, "/api/version");
      const rodada = await raiz.resposta("/api/cron/verificar");
      expect(rodada.status).toBe(200);
      expect(((await rodada.json()) as { verificados: number }).verificados).toBeGreaterThanOrEqual(1);
      expect(checagens(ollama, "/api/version") - antes).toBe(1);
    } finally {
      await ollama.parar();
    }
  }, 30_000);
});
