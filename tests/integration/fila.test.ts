import { describe, expect, it } from "vitest";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LlamaCppRoteadorFalso } from "../servidores/llama-cpp-roteador";
import { OllamaFalso } from "../servidores/ollama";
import { api, banco, rotasDoApp } from "../support/contexto";
import { MENSAGENS } from "../support/llm";
import { esperarAte } from "../support/portas";
import { linhasDoProvedor, modeloUnico, provedorTestado, servidoresDoArquivo } from "../support/streams";

// A fair share of every server (lib/fila), over real HTTP against test servers that count what reaches them:
// never more in flight than the server runs, the rest waiting in the app's queue (bounded, visible, measured),
// a full queue answered at once in each door's "busy" shape, a caller that leaves never reaching the server,
// and on servers that keep one model loaded, two programs looping on two models served without a swap per
// request. Nothing here depends on how long anything takes: counts, statuses, headers and rows.

const RESPOSTA = "Uma resposta curta da fila.";
const servidor = servidoresDoArquivo();

/** The chats (any dialect) that reached a test server. */
const conversasEm = (s: ServidorFalso) =>
  s.recebidas.filter((r) => r.caminho.endsWith("/chat/completions") || r.caminho === "/api/chat" || r.caminho === "/v1/messages");

const conversar = (model: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
  rotasDoApp().resposta("/v1/chat/completions", { json: { model, messages: MENSAGENS, ...extra }, signal });

/** A /v1 stream whose first bytes arrived: under `segurar` it holds its place at the server until `soltar()`. */
async function streamAberto(model: string) {
  const r = await conversar(model, { stream: true });
  expect(r.status).toBe(200);
  const leitor = r.body!.getReader();
  expect((await leitor.read()).done).toBe(false);
  return { provedor: Number(r.headers.get("x-provedor-id")), leitor };
}

/** The provider's edit that makes this app read its row again (what it caches of it is forgotten). */
async function reler(id: number): Promise<void> {
  const r = await api(`/${id}`, { method: "PUT", json: { timeout_segundos: 5 } });
  expect(r.status, await r.clone().text()).toBe(200);
}

type AjusteDaFila = { max_concorrencia?: number | null; fila_max?: number; fila_espera_segundos?: number };

/**
 * The provider's queue settings, through the REST contract when it carries them; before that, written in their
 * columns (migration 0011), with an edit so the app reads the row again.
 */
async function ajustarFila(id: number, ajuste: AjusteDaFila): Promise<void> {
  const r = await api(`/${id}`, { method: "PUT", json: ajuste });
  if (r.status === 200) {
    const corpo = (await r.json()) as Record<string, unknown>;
    if (Object.entries(ajuste).every(([k, v]) => corpo[k] === v)) return;
  }
  for (const [coluna, valor] of Object.entries(ajuste)) {
    await banco().execute({ sql: `update provedores_llm set ${coluna} = ? where id = ?`, args: [valor ?? null, id] });
  }
  await reler(id);
}

/**
 * What the server reported as the model list is learned (llama-server: `total_slots` in /props, per model in
 * router mode, and the router's `max_instances`): if the app has not stored it, stored here as it would.
 */
async function limitesInformados(id: number, concorrencia: number, modelos: number | null = null): Promise<void> {
  const [linha] = (
    await banco().execute({
      sql: "select concorrencia_informada as c, modelos_simultaneos_informados as m from provedores_llm where id = ?",
      args: [id],
    })
  ).rows;
  if (linha?.c === concorrencia && linha?.m === modelos) return;
  await banco().execute({
    sql: "update provedores_llm set concorrencia_informada = ?, modelos_simultaneos_informados = ? where id = ?",
    args: [concorrencia, modelos, id],
  });
  await reler(id);
}

const filaMs = (r: Response) => Number(r.headers.get("x-provedores-llm-fila-ms"));

/** How many requests wait in the provider's queue now, as /api/metrics says. */
async function naFilaDe(id: number): Promise<number> {
  const texto = await (await rotasDoApp().resposta("/api/metrics")).text();
  const linha = texto.split("\n").find((l) => l.startsWith("provedores_llm_fila_esperando{") && l.includes(`provedor_id="${id}"`));
  return linha ? Number(linha.slice(linha.lastIndexOf(" ") + 1)) : 0;
}
const ateNaFila = (id: number, n: number) => esperarAte(async () => (await naFilaDe(id)) === n, 10_000, `${n} na fila do provedor ${id}`);

describe("a server with 2 slots", () => {
  it("6 at once: never more than 2 at the server, none waiting inside it, all 6 answered; the 4 that waited say so (x-provedores-llm-fila-ms)", async () => {
    const modelo = modeloUnico("dois-slots");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, slots: 2 }));
    const id = await provedorTestado("llama_cpp", falso);
    await limitesInformados(id, 2);
    await falso.definirFalha("lento", 300);

    const respostas = await Promise.all(Array.from({ length: 6 }, () => conversar(modelo)));
    expect(respostas.map((r) => r.status)).toEqual(Array(6).fill(200));
    const corpos = await Promise.all(respostas.map((r) => r.json() as Promise<{ choices: { message: { content: string } }[] }>));
    expect(corpos.map((c) => c.choices[0]!.message.content)).toEqual(Array(6).fill(RESPOSTA));
    expect(falso.maxEmVoo).toBe(2);
    // the app held the other 4: the server never had one waiting for a slot
    expect(falso.vagas.maxEsperando).toBe(0);
    expect(conversasEm(falso)).toHaveLength(6);
    const esperas = respostas.map(filaMs);
    expect(esperas.every((ms) => Number.isFinite(ms))).toBe(true);
    expect(esperas.filter((ms) => ms > 0)).toHaveLength(4);
  });

  it("the 4 that waited are recorded with their wait (tempo_fila_ms > 0), the 2 that did not with none", async () => {
    const modelo = modeloUnico("dois-slots-linhas");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, slots: 2 }));
    const id = await provedorTestado("llama_cpp", falso);
    await limitesInformados(id, 2);
    await falso.definirFalha("lento", 300);
    const respostas = await Promise.all(Array.from({ length: 6 }, () => conversar(modelo)));
    expect(respostas.map((r) => r.status)).toEqual(Array(6).fill(200));
    await Promise.all(respostas.map((r) => r.text()));

    await linhasDoProvedor(id, 6);
    const linhas = (
      await banco().execute({ sql: "select sucesso, tempo_fila_ms from requisicoes_provedores where provedor_id = ?", args: [id] })
    ).rows;
    expect(linhas).toHaveLength(6);
    expect(linhas.every((l) => Number(l.sucesso) === 1)).toBe(true);
    expect(linhas.filter((l) => Number(l.tempo_fila_ms) > 0)).toHaveLength(4);
  });

  it("fila_max 2: with 2 in flight and 2 waiting, the 5th and 6th get 429 fila_cheia with Retry-After; the 4 are answered", async () => {
    const modelo = modeloUnico("fila-cheia");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, slots: 2 }));
    const id = await provedorTestado("llama_cpp", falso);
    await limitesInformados(id, 2);
    await ajustarFila(id, { fila_max: 2 });
    await falso.definirFalha("segurar");
    const emVoo = [await streamAberto(modelo), await streamAberto(modelo)];
    const esperando = [conversar(modelo), conversar(modelo)];
    try {
      await ateNaFila(id, 2);
      // Nothing ends while the two streams are held: these answers come without any place freeing.
      const recusadas = [await conversar(modelo), await conversar(modelo)];
      for (const r of recusadas) {
        expect(r.status).toBe(429);
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        const corpo = (await r.json()) as { error: { code: string; message: string } };
        expect(corpo.error.code).toBe("fila_cheia");
        expect(corpo.error.message).toContain("2 de 2");
      }
      expect(conversasEm(falso)).toHaveLength(2);
    } finally {
      await falso.definirFalha(null);
      falso.soltar();
    }
    for (const s of emVoo) while (!(await s.leitor.read()).done);
    expect((await Promise.all(esperando)).map((r) => r.status)).toEqual([200, 200]);
    expect(conversasEm(falso)).toHaveLength(4);
    expect(falso.maxEmVoo).toBe(2);
  });

  it("a wait past fila_espera_segundos: 429 fila_espera_esgotada with Retry-After, never sent, recorded with its wait", async () => {
    const modelo = modeloUnico("espera-esgotada");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("llama_cpp", falso);
    await limitesInformados(id, 1);
    await ajustarFila(id, { fila_espera_segundos: 1 });
    await falso.definirFalha("segurar");
    const emVoo = await streamAberto(modelo);
    try {
      const r = await conversar(modelo);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const corpo = (await r.json()) as { error: { code: string; message: string } };
      expect(corpo.error.code).toBe("fila_espera_esgotada");
      expect(corpo.error.message).toContain("esperou 1 s na fila");
      expect(conversasEm(falso)).toHaveLength(1);
    } finally {
      await falso.definirFalha(null);
      falso.soltar();
    }
    while (!(await emVoo.leitor.read()).done);
    await linhasDoProvedor(id, 2);
    const linhas = (
      await banco().execute({
        sql: "select sucesso, codigo_erro, tempo_fila_ms from requisicoes_provedores where provedor_id = ? order by id",
        args: [id],
      })
    ).rows;
    const esgotada = linhas.find((l) => l.codigo_erro === "fila_espera_esgotada");
    expect(esgotada, JSON.stringify(linhas)).toBeDefined();
    // the whole second it waited is the queue's, not a response time of a server that never got it
    expect(Number(esgotada!.tempo_fila_ms)).toBeGreaterThanOrEqual(900);
  });

  it("a token count takes no place: with the one place held and no queue, Anthropic's count_tokens is still answered by the server", async () => {
    const modelo = modeloUnico("contagem");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("llama_cpp", falso);
    await limitesInformados(id, 1);
    await ajustarFila(id, { fila_max: 0 });
    await falso.definirFalha("segurar");
    const emVoo = await streamAberto(modelo);
    try {
      // a generation now is busy at once...
      expect((await conversar(modelo)).status).toBe(429);
      // ...a count is not one: the server counts it
      const r = await rotasDoApp().resposta("/v1/messages/count_tokens", {
        json: { model: modelo, messages: MENSAGENS },
        headers: { "anthropic-version": "2023-06-01" },
      });
      expect(r.status, await r.clone().text()).toBe(200);
      expect(((await r.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
      expect(falso.recebidas.some((q) => q.caminho === "/v1/messages/count_tokens" && q.corpoTexto.includes(modelo))).toBe(true);
    } finally {
      await falso.definirFalha(null);
      falso.soltar();
    }
    while (!(await emVoo.leitor.read()).done);
  });

  it("a caller that leaves while queued never reaches the server", async () => {
    const modelo = modeloUnico("desistente");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("llama_cpp", falso);
    await limitesInformados(id, 1);
    await falso.definirFalha("segurar");
    const emVoo = await streamAberto(modelo);
    const saida = new AbortController();
    const desistente = conversar(modelo, {}, saida.signal).catch(() => null);
    await ateNaFila(id, 1);
    saida.abort();
    await desistente;
    // out of the queue at once, while the place it waited for is still taken
    await ateNaFila(id, 0);
    await falso.definirFalha(null);
    falso.soltar();
    while (!(await emVoo.leitor.read()).done);
    // Arrival order: had the one that left stayed in the queue, it would go to the server before this one.
    const seguinte = await conversar(modelo);
    expect(seguinte.status).toBe(200);
    await seguinte.text();
    expect(conversasEm(falso)).toHaveLength(2);
    expect(falso.maxEmVoo).toBe(1);
  });
});

describe("two providers with the same model", () => {
  it("one busy (its place taken, the model loaded): the request goes to the free one, even with its model not loaded", async () => {
    const modelo = modeloUnico("dois-provedores");
    const ocupado = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const livre = await servidor(new LlamaCppRoteadorFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, cargaMs: 20 }));
    const idOcupado = await provedorTestado("llama_cpp", ocupado);
    const idLivre = await provedorTestado("llama_cpp", livre);
    await limitesInformados(idOcupado, 1);
    await limitesInformados(idLivre, 1, 4);
    const slug = ((await (await api(`/${idOcupado}`)).json()) as { slug: string }).slug;
    await ocupado.definirFalha("segurar");
    const r = await conversar(`${slug}/${modelo}`, { stream: true });
    expect(r.headers.get("x-provedor-id")).toBe(String(idOcupado));
    const leitor = r.body!.getReader();
    try {
      expect((await leitor.read()).done).toBe(false);
      const pedido = await conversar(modelo);
      expect(pedido.status).toBe(200);
      expect(pedido.headers.get("x-provedor-id")).toBe(String(idLivre));
      expect(filaMs(pedido)).toBe(0);
      await pedido.text();
      expect(conversasEm(ocupado)).toHaveLength(1);
      expect(conversasEm(livre)).toHaveLength(1);
    } finally {
      await ocupado.definirFalha(null);
      ocupado.soltar();
      await leitor.cancel().catch(() => {});
    }
  });
});

describe("full everywhere: each door's busy answer, at once", () => {
  it("/v1 and requisicao 429 fila_cheia + Retry-After, Anthropic's 529 overloaded_error, Ollama's 503 {error}; nothing reaches the server", async () => {
    const modelo = modeloUnico("ocupado");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("llama_cpp", falso);
    const nome = ((await (await api(`/${id}`)).json()) as { nome: string }).nome;
    await limitesInformados(id, 1);
    await ajustarFila(id, { fila_max: 0 });
    await falso.definirFalha("segurar");
    const emVoo = await streamAberto(modelo);
    try {
      const v1 = await conversar(modelo);
      expect(v1.status).toBe(429);
      expect(Number(v1.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const corpoV1 = (await v1.json()) as { error: { code: string; message: string } };
      expect(corpoV1.error.code).toBe("fila_cheia");
      expect(corpoV1.error.message).toContain(nome);

      const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
      expect(requisicao.status).toBe(429);
      expect(Number(requisicao.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(((await requisicao.json()) as { erro: { codigo: string } }).erro.codigo).toBe("fila_cheia");

      const anthropic = await rotasDoApp().resposta("/v1/messages", {
        json: { model: modelo, max_tokens: 64, messages: MENSAGENS },
        headers: { "anthropic-version": "2023-06-01" },
      });
      expect(anthropic.status).toBe(529);
      expect(await anthropic.json()).toMatchObject({ type: "error", error: { type: "overloaded_error" } });

      const ollama = await rotasDoApp().resposta("/api/chat", { json: { model: modelo, messages: MENSAGENS, stream: false } });
      expect(ollama.status).toBe(503);
      const corpoOllama = (await ollama.json()) as { error: unknown };
      expect(typeof corpoOllama.error).toBe("string");
      expect(String(corpoOllama.error)).toContain(nome);

      expect(conversasEm(falso)).toHaveLength(1);
    } finally {
      await falso.definirFalha(null);
      falso.soltar();
      await emVoo.leitor.cancel().catch(() => {});
    }
  });
});

/**
 * Two programs, each sending its next request as soon as the last is answered, one on each model: the statuses,
 * and each answer's wait in the queue.
 */
async function doisProgramasEmLaco(modelos: [string, string], porPrograma: number) {
  const programa = async (modelo: string) => {
    const fim: { status: number; filaMs: number }[] = [];
    for (let i = 0; i < porPrograma; i++) {
      const r = await conversar(modelo);
      await r.text();
      fim.push({ status: r.status, filaMs: filaMs(r) });
    }
    return fim;
  };
  return (await Promise.all(modelos.map(programa))).flat();
}

describe("swap-aware order on servers that keep one model loaded", () => {
  it("llama.cpp router (--models-max 1, a load of 300 ms): two programs looping on two models, 6 each → at most 4 loads, no request cut", async () => {
    const a = modeloUnico("rot-a");
    const b = modeloUnico("rot-b");
    const roteador = await servidor(
      new LlamaCppRoteadorFalso({ modelos: [{ id: a }, { id: b }], resposta: RESPOSTA, modelosMax: 1, cargaMs: 300 }),
    );
    const id = await provedorTestado("llama_cpp", roteador);
    await limitesInformados(id, 1, 1);

    const fim = await doisProgramasEmLaco([a, b], 6);
    expect(fim.map((f) => f.status)).toEqual(Array(12).fill(200));
    expect(roteador.cargas).toBeLessThanOrEqual(4);
    expect(roteador.abortadasPorTroca).toBe(0);
    expect(conversasEm(roteador)).toHaveLength(12);
  });

  it("Ollama (OLLAMA_MAX_LOADED_MODELS=1, a load of 300 ms): the same two programs → at most 4 loads, every request answered", async () => {
    const a = `${modeloUnico("oll-a")}:latest`;
    const b = `${modeloUnico("oll-b")}:latest`;
    const ollama = await servidor(new OllamaFalso({ modelos: [{ id: a }, { id: b }], resposta: RESPOSTA, modelosMax: 1, cargaMs: 300 }));
    await provedorTestado("ollama", ollama);

    const fim = await doisProgramasEmLaco([a, b], 6);
    expect(fim.map((f) => f.status)).toEqual(Array(12).fill(200));
    expect(ollama.cargas).toBeLessThanOrEqual(4);
    expect(conversasEm(ollama)).toHaveLength(12);
    await esperarAte(async () => ollama.emVooAgora === 0, 5000, "nada em voo no Ollama");
  });
});
