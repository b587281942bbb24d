import { describe, expect, it } from "vitest";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { api, banco, rotasDoApp } from "../support/contexto";
import { esperarEstatisticas, MENSAGENS } from "../support/llm";
import { esperarAte } from "../support/portas";
import { modeloUnico, provedorTestado, servidoresDoArquivo } from "../support/streams";

// Benchmarks (issue 20) over real HTTP against a llama.cpp test server at a set speed: the REST contract (202 +
// Location, list, get, compare, cancel, delete), its refusals before anything is sent, the SSE progress, and a
// run that never reaches the usage statistics.

const servidor = servidoresDoArquivo();

/** A profile that runs in well under a second at the speeds below. */
const PERFIL_CURTO = { tokens_prompt: [32], tokens_resposta: 8, concorrencias: [1, 2], repeticoes: 1 };

async function llamaRapido(slots = 2) {
  const modelo = modeloUnico("bench");
  const falso = await servidor(
    new LlamaCppFalso({
      modelos: [{ id: modelo, carregado: true, contexto: 8192 }],
      slots,
      velocidade: { prefillTokensS: 20_000, geracaoTokensS: 400 },
    }),
  );
  const id = await provedorTestado("llama_cpp", falso);
  return { falso, id, modelo };
}

const geracoes = (f: LlamaCppFalso) => f.recebidas.filter((r) => r.caminho === "/v1/chat/completions");

async function iniciar(id: number, corpo: Record<string, unknown>): Promise<Benchmark> {
  const r = await api(`/${id}/benchmarks`, { method: "POST", json: corpo });
  expect(r.status, await r.clone().text()).toBe(202);
  const b = (await r.json()) as Benchmark;
  expect(r.headers.get("location")).toBe(`/api/provedores-llm/${id}/benchmarks/${b.id}`);
  return b;
}

async function esperarFim(id: number, bid: number): Promise<Benchmark> {
  let b: Benchmark | null = null;
  await esperarAte(
    async () => {
      b = (await (await api(`/${id}/benchmarks/${bid}`)).json()) as Benchmark;
      return b.estado !== "executando";
    },
    15_000,
    `o fim do benchmark ${bid}`,
  );
  return b!;
}

/** Reads an SSE answer to its end: each `data:` event's JSON, in order. */
async function eventosSSE(r: Response): Promise<Benchmark[]> {
  const texto = await r.text();
  return texto
    .split("\n\n")
    .map((bloco) => /^data: (.+)$/m.exec(bloco)?.[1])
    .filter((d): d is string => Boolean(d))
    .map((d) => JSON.parse(d) as Benchmark);
}

describe("benchmarks: run, storage and REST", () => {
  it("runs a profile to the end: 202 + Location, one cell per prompt × concurrency, kept and listed", async () => {
    const { falso, id, modelo } = await llamaRapido();
    const b = await iniciar(id, { modelo, ...PERFIL_CURTO });
    expect(b).toMatchObject({ provedor_id: id, modelo, estado: "executando", progresso: { feitas: 0, total: 3 } });
    const fim = await esperarFim(id, b.id);
    expect(fim.estado, fim.erro ?? "").toBe("concluido");
    expect(fim.progresso).toEqual({ feitas: 3, total: 3, eta_segundos: null });
    expect(fim.celulas.map((c) => [c.tokens_prompt, c.concorrencia, c.requisicoes, c.erros])).toEqual([
      [32, 1, 1, 0],
      [32, 2, 2, 0],
    ]);
    for (const c of fim.celulas) {
      expect(c.fonte).toBe("servidor");
      expect(c.ttft_p50_ms).toBeGreaterThan(0);
      expect(c.geracao_tokens_s).toBeGreaterThan(0);
      expect(c.tokens_resposta_medidos).toBe(8);
    }
    expect(fim.servidor).toMatchObject({ tipo: "llama_cpp", tamanho_dos_prompts: "tokenizador", modelo: { id: modelo, contexto: 8192 } });
    expect(fim.concluido_em).not.toBeNull();
    // What was sent: a warm-up, then the three measured requests, each asking exactly the answer's length,
    // without the prompt cache, and every prompt different (a nonce first).
    const corpos = geracoes(falso).map((r) => JSON.parse(r.corpoTexto) as Record<string, unknown>);
    expect(corpos).toHaveLength(4);
    for (const c of corpos.slice(1)) expect(c).toMatchObject({ max_tokens: 8, ignore_eos: true, cache_prompt: false, stream: true });
    const prompts = corpos.map((c) => (c.messages as { content: string }[])[0]!.content);
    expect(new Set(prompts).size).toBe(prompts.length);
    expect(new Set(prompts.map((p) => p.slice(0, 20))).size).toBe(prompts.length);
    expect(falso.recebidas.some((r) => r.caminho === "/tokenize")).toBe(true);

    const lista = (await (await api(`/${id}/benchmarks`)).json()) as { benchmarks: Benchmark[] };
    expect(lista.benchmarks.map((x) => x.id)).toEqual([b.id]);
    expect(lista.benchmarks[0]).toEqual(fim);
  });

  it("keeps benchmarks out of the usage statistics: no request rows, no counts", async () => {
    const { id, modelo } = await llamaRapido();
    const fim = await esperarFim(id, (await iniciar(id, { modelo, ...PERFIL_CURTO })).id);
    expect(fim.estado).toBe("concluido");
    // One ordinary request after the run: once it is counted, it is the only one (the run's 4 never were).
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { modelo, mensagens: MENSAGENS, configuracao: { max_tokens: 4 } } });
    expect(r.status, await r.clone().text()).toBe(200);
    const stats = await esperarEstatisticas(id, 1);
    expect(stats.total_requisicoes).toBe(1);
    const linhas = await banco().execute({ sql: "select count(*) as n from requisicoes_provedores where provedor_id = ?", args: [id] });
    expect(Number(linhas.rows[0]!.n)).toBe(1);
    const metricas = await (await rotasDoApp().resposta("/api/metrics")).text();
    const contadas = metricas
      .split("\n")
      .filter((l) => l.startsWith("provedores_llm_requisicoes_total{") && l.includes(`provedor_id="${id}"`))
      .reduce((soma, l) => soma + Number(l.split(" ").at(-1)), 0);
    expect(contadas).toBe(1);
  });

  it("streams progress in order: the run at connect, after each request, the final one equal to GET, then closes", async () => {
    const { id, modelo } = await llamaRapido();
    const b = await iniciar(id, { modelo, tokens_prompt: [32, 64], tokens_resposta: 16, concorrencias: [1, 2], repeticoes: 2 });
    const r = await api(`/${id}/benchmarks/${b.id}/eventos`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    const eventos = await eventosSSE(r);
    expect(eventos.length).toBeGreaterThanOrEqual(2);
    const feitas = eventos.map((e) => e.progresso.feitas);
    expect(feitas).toEqual([...feitas].sort((a, c) => a - c));
    expect(eventos.slice(0, -1).every((e) => e.estado === "executando")).toBe(true);
    // Once requests are done, the time left is estimated from the pace so far.
    expect(eventos.some((e) => e.estado === "executando" && typeof e.progresso.eta_segundos === "number")).toBe(true);
    const ultimo = eventos.at(-1)!;
    expect(ultimo.estado).toBe("concluido");
    expect(ultimo.progresso.feitas).toBe(12);
    expect(ultimo).toEqual(await (await api(`/${id}/benchmarks/${b.id}`)).json());
    // A finished run's stream: one event, closed.
    const depois = await eventosSSE(await api(`/${id}/benchmarks/${b.id}/eventos`));
    expect(depois).toEqual([ultimo]);
  });

  it("refuses a bad body, a profile over the cap, an unknown model and prompts beyond its context at once, sending nothing", async () => {
    const { falso, id, modelo } = await llamaRapido();
    const antes = geracoes(falso).length;
    const semModelo = await api(`/${id}/benchmarks`, { method: "POST", json: { preset: "rapido" } });
    expect(semModelo.status).toBe(400);
    expect(await semModelo.json()).toMatchObject({ erro: { codigo: "validacao", mensagem: expect.stringContaining("Informe o modelo") } });
    const preset = await api(`/${id}/benchmarks`, { method: "POST", json: { modelo, preset: "turbo" } });
    expect(preset.status).toBe(400);
    const excesso = await api(`/${id}/benchmarks`, {
      method: "POST",
      json: { modelo, tokens_prompt: [1, 2, 3, 4, 5, 6, 7, 8], concorrencias: [64, 32, 16, 8], repeticoes: 50 },
    });
    expect(excesso.status).toBe(400);
    expect(await excesso.json()).toMatchObject({
      erro: { codigo: "validacao", mensagem: expect.stringContaining("máximo por execução é 2000") },
    });
    const outro = await api(`/${id}/benchmarks`, { method: "POST", json: { modelo: "nao-existe", preset: "rapido" } });
    expect(outro.status).toBe(404);
    const corpo = (await outro.json()) as { erro: { codigo: string; mensagem: string } };
    expect(corpo.erro.codigo).toBe("modelo_nao_encontrado");
    expect(corpo.erro.mensagem).toContain(modelo);
    // The largest prompt and the answer beyond the model's context (8 192 here): 400, naming both.
    const grande = await api(`/${id}/benchmarks`, {
      method: "POST",
      json: { modelo, tokens_prompt: [128, 8000], tokens_resposta: 256, concorrencias: [1], repeticoes: 1 },
    });
    expect(grande.status).toBe(400);
    const semContexto = (await grande.json()) as { erro: { codigo: string; mensagem: string } };
    expect(semContexto.erro.codigo).toBe("validacao");
    expect(semContexto.erro.mensagem).toContain("8192 tokens");
    expect(semContexto.erro.mensagem).toContain("8000 + 256 = 8256");
    const provedor = await api(`/999999/benchmarks`, { method: "POST", json: { modelo, preset: "rapido" } });
    expect(provedor.status).toBe(404);
    expect(geracoes(falso).length).toBe(antes);
    expect((await banco().execute({ sql: "select count(*) as n from benchmarks where provedor_id = ?", args: [id] })).rows[0]!.n).toBe(0);
  });

  it("refuses an inactive provider (409) and a second run on the same provider (409, naming the running one)", async () => {
    const { falso, id, modelo } = await llamaRapido(1);
    const lento = { modelo, tokens_prompt: [32], tokens_resposta: 400, concorrencias: [1], repeticoes: 3 };
    const b = await iniciar(id, lento);
    const segundo = await api(`/${id}/benchmarks`, { method: "POST", json: { modelo, ...PERFIL_CURTO } });
    expect(segundo.status).toBe(409);
    const erro = (await segundo.json()) as { erro: { codigo: string; mensagem: string } };
    expect(erro.erro.codigo).toBe("benchmark_em_andamento");
    expect(erro.erro.mensagem).toContain(`execução ${b.id}`);
    const cancelado = await api(`/${id}/benchmarks/${b.id}`, { method: "DELETE" });
    expect(cancelado.status).toBe(200);
    expect(((await cancelado.json()) as Benchmark).estado).toBe("cancelado");
    // Cancelled, the provider takes a new run.
    const terceiro = await iniciar(id, { modelo, ...PERFIL_CURTO });
    expect((await esperarFim(id, terceiro.id)).estado).toBe("concluido");

    const inativo = await provedorTestado("llama_cpp", falso, { ativo: false });
    const r = await api(`/${inativo}/benchmarks`, { method: "POST", json: { modelo, ...PERFIL_CURTO } });
    expect(r.status).toBe(409);
    expect(await r.json()).toMatchObject({ erro: { codigo: "provedor_inativo" } });
  });

  it("cancels a running run: every upstream stream closes within 1 s, the cells done so far are kept", async () => {
    const { falso, id, modelo } = await llamaRapido(2);
    falso.velocidade = { prefillTokensS: 20_000, geracaoTokensS: 50 };
    // Each request takes 2 s (100 tokens at 50/s), so the DELETE lands in the middle of a round.
    const b = await iniciar(id, { modelo, tokens_prompt: [32], tokens_resposta: 100, concorrencias: [1, 2], repeticoes: 2 });
    // Wait until the concurrency-2 cell is under way (the first cell, 2 × 1 request, is done).
    await esperarAte(
      async () => {
        const agora = (await (await api(`/${id}/benchmarks/${b.id}`)).json()) as Benchmark;
        return agora.celulas.length === 1 && falso.emVooAgora === 2;
      },
      15_000,
      "a segunda célula em andamento",
    );
    const abandonadosAntes = falso.streamsAbandonados;
    const t = performance.now();
    const r = await api(`/${id}/benchmarks/${b.id}`, { method: "DELETE" });
    expect(r.status).toBe(200);
    const cancelado = (await r.json()) as Benchmark;
    await esperarAte(async () => falso.emVooAgora === 0, 1000, "os streams do servidor fechados");
    expect(performance.now() - t).toBeLessThan(1500);
    expect(falso.streamsAbandonados - abandonadosAntes).toBe(2);
    expect(cancelado.estado).toBe("cancelado");
    expect(cancelado.celulas.map((c) => c.concorrencia)).toEqual([1]);
    expect(await (await api(`/${id}/benchmarks/${b.id}`)).json()).toEqual(cancelado);
    // A finished run is deleted: 204, then 404.
    expect((await api(`/${id}/benchmarks/${b.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/${id}/benchmarks/${b.id}`)).status).toBe(404);
  });

  it("a heartbeat late by the database's clock (an outage, a skewed clock) does not end a run its instance still runs", async () => {
    const { id, modelo } = await llamaRapido(1);
    const b = await iniciar(id, { modelo, tokens_prompt: [32], tokens_resposta: 400, concorrencias: [1], repeticoes: 2 });
    await esperarAte(
      async () => ((await (await api(`/${id}/benchmarks/${b.id}`)).json()) as Benchmark).progresso.feitas >= 1,
      10_000,
      "uma requisição feita",
    );
    // A minute of silence in the database, as another instance would see it: this instance still runs it.
    await banco().execute({ sql: "update benchmarks set batimento_em = batimento_em - 60000 where id = ?", args: [b.id] });
    const agora = (await (await api(`/${id}/benchmarks/${b.id}`)).json()) as Benchmark;
    expect(agora.estado).toBe("executando");
    const fim = await esperarFim(id, b.id);
    expect(fim.estado, fim.erro ?? "").toBe("concluido");
  });

  it("a run another path ended in the database (judged interrupted elsewhere) stops and ends as its row says, SSE and GET alike", async () => {
    const { falso, id, modelo } = await llamaRapido(1);
    const b = await iniciar(id, { modelo, tokens_prompt: [32], tokens_resposta: 400, concorrencias: [1], repeticoes: 3 });
    await esperarAte(async () => falso.emVooAgora === 1, 10_000, "uma requisição no servidor");
    const sse = api(`/${id}/benchmarks/${b.id}/eventos`);
    await banco().execute({
      sql: "update benchmarks set estado = 'interrompido', erro = 'Interrompida por outra instância.' where id = ?",
      args: [b.id],
    });
    // The next heartbeat (every 1 s) finds the row ended: every request stops.
    await esperarAte(async () => falso.emVooAgora === 0, 3000, "os streams do servidor fechados");
    const eventos = await eventosSSE(await sse);
    const ultimo = eventos.at(-1)!;
    expect(ultimo).toMatchObject({ estado: "interrompido", erro: "Interrompida por outra instância." });
    expect(ultimo).toEqual(await (await api(`/${id}/benchmarks/${b.id}`)).json());
  });

  it("a run's slow first tokens do not move the router: ordinary traffic still goes to the faster provider", async () => {
    const modelo = modeloUnico("rota");
    const criar = (prefillTokensS: number) =>
      servidor(
        new LlamaCppFalso({
          modelos: [{ id: modelo, carregado: true, contexto: 8192 }],
          slots: 2,
          velocidade: { prefillTokensS, geracaoTokensS: 400 },
        }),
      );
    // The first (lower id: the tie-break) answers its first token in ~300 ms, the second at once.
    const lento = await criar(30);
    const rapido = await criar(20_000);
    const ids = [await provedorTestado("llama_cpp", lento), await provedorTestado("llama_cpp", rapido)] as const;
    const slug = async (id: number) => ((await (await api(`/${id}`)).json()) as { slug: string }).slug;
    const conversar = async (model: string) => {
      const r = await rotasDoApp().resposta("/v1/chat/completions", { json: { model, messages: MENSAGENS, stream: true } });
      expect(r.status).toBe(200);
      await r.text();
      return Number(r.headers.get("x-provedor-id"));
    };
    // One stream pinned to each: the router learns their times to first token.
    await conversar(`${await slug(ids[0])}/${modelo}`);
    await conversar(`${await slug(ids[1])}/${modelo}`);
    expect(await conversar(modelo)).toBe(ids[1]);
    // A run on the fast one with first tokens of ~1 s (256-token prompts at 250 tokens/s): not ordinary traffic.
    rapido.velocidade = { prefillTokensS: 250, geracaoTokensS: 400 };
    const fim = await esperarFim(
      ids[1],
      (await iniciar(ids[1], { modelo, tokens_prompt: [256], tokens_resposta: 4, concorrencias: [1], repeticoes: 2 })).id,
    );
    expect(fim.estado, fim.erro ?? "").toBe("concluido");
    rapido.velocidade = { prefillTokensS: 20_000, geracaoTokensS: 400 };
    expect(await conversar(modelo)).toBe(ids[1]);
  });

  it("refuses a provider the monitor knows offline, at once, naming it", async () => {
    const { falso, id, modelo } = await llamaRapido();
    await falso.definirFalha("recusar");
    try {
      // Three failed checks in a row make a provider offline (the monitor's rule; a connection test is a check).
      await esperarAte(
        async () => {
          await api(`/${id}/testar`, { method: "POST" });
          return ((await (await api(`/${id}`)).json()) as { status: string }).status === "offline";
        },
        10_000,
        "o provedor offline",
      );
      const r = await api(`/${id}/benchmarks`, { method: "POST", json: { modelo, ...PERFIL_CURTO } });
      expect(r.status).toBe(409);
      const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string } };
      expect(corpo.erro.codigo).toBe("provedor_offline");
      expect(corpo.erro.mensagem).toContain("offline");
    } finally {
      await falso.definirFalha(null);
    }
  });

  it("fails the run when every request of the first cell fails, with the server's reason", async () => {
    const { falso, id, modelo } = await llamaRapido();
    await falso.definirFalha("erro_500");
    try {
      const fim = await esperarFim(id, (await iniciar(id, { modelo, ...PERFIL_CURTO })).id);
      expect(fim.estado).toBe("falhou");
      expect(fim.erro).toContain("Todas as requisições da primeira medição falharam");
      expect(fim.celulas).toEqual([]);
      expect(fim.concluido_em).not.toBeNull();
    } finally {
      await falso.definirFalha(null);
    }
  });

  it("deleting the provider stops its running run and removes it", async () => {
    const { falso, id, modelo } = await llamaRapido(1);
    const b = await iniciar(id, { modelo, tokens_prompt: [32], tokens_resposta: 400, concorrencias: [1], repeticoes: 3 });
    await esperarAte(async () => falso.emVooAgora === 1, 10_000, "uma requisição no servidor");
    expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
    // The run reads its row at its next heartbeat (every 1 s): gone, it stops every request.
    await esperarAte(async () => falso.emVooAgora === 0, 3000, "os streams do servidor fechados");
    expect((await banco().execute({ sql: "select count(*) as n from benchmarks where id = ?", args: [b.id] })).rows[0]!.n).toBe(0);
  });

  it("compares runs of any provider by id, and names the ids not found", async () => {
    const a = await llamaRapido();
    const b = await llamaRapido();
    const ra = await esperarFim(a.id, (await iniciar(a.id, { modelo: a.modelo, ...PERFIL_CURTO })).id);
    const rb = await esperarFim(b.id, (await iniciar(b.id, { modelo: b.modelo, ...PERFIL_CURTO })).id);
    const r = await rotasDoApp().resposta(`/api/benchmarks?ids=${rb.id},${ra.id}`);
    expect(r.status).toBe(200);
    const corpo = (await r.json()) as { benchmarks: (Benchmark & { provedor_nome: string })[] };
    expect(corpo.benchmarks.map((x) => [x.id, x.provedor_id])).toEqual([
      [rb.id, b.id],
      [ra.id, a.id],
    ]);
    expect(corpo.benchmarks[0]!.provedor_nome).toContain("llama_cpp");
    const falta = await rotasDoApp().resposta(`/api/benchmarks?ids=${ra.id},99999998,99999999`);
    expect(falta.status).toBe(404);
    expect(((await falta.json()) as { erro: { mensagem: string } }).erro.mensagem).toContain("99999998, 99999999");
    expect((await rotasDoApp().resposta("/api/benchmarks?ids=a,b")).status).toBe(400);
  });
});
