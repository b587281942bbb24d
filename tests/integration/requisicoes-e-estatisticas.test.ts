import { createClient } from "@libsql/client";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OllamaFalso } from "../servidores/ollama";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import type { RequisicoesRecentes } from "@/lib/schemas/llm";
import { api, app, banco } from "../support/contexto";
import { criarProvedor, esperarEstatisticas, lerEstatisticas, lerEventos, MENSAGENS } from "../support/llm";

let ollama: OllamaFalso;
let llama: LlamaCppFalso;

beforeAll(async () => {
  ollama = await new OllamaFalso({ modelos: [{ id: "llama3.2:latest", carregado: true }], resposta: "um dois três quatro" }).iniciar();
  llama = await new LlamaCppFalso({ modelos: [{ id: "tiny" }], resposta: "ok" }).iniciar();
});
afterAll(async () => {
  await ollama.parar();
  await llama.parar();
});

async function erroDe(r: Response, status: number, codigo: string) {
  expect(r.status).toBe(status);
  const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string } };
  expect(corpo.erro.codigo).toBe(codigo);
  expect(corpo.erro.mensagem.length).toBeGreaterThan(10);
  return corpo.erro;
}

describe("POST /{id}/requisicao input", () => {
  it.each([
    [{}, "mensagens"],
    [{ mensagens: [] }, "mensagens"],
    [{ mensagens: [{ role: "robot", content: "x" }] }, "mensagens.0.role"],
    [{ mensagens: [{ role: "user", content: 5 }] }, "mensagens.0.content"],
    [{ mensagens: MENSAGENS, stream: "sim" }, "stream"],
    [{ mensagens: MENSAGENS, configuracao: { temperatura: -1 } }, "configuracao.temperatura"],
  ])("refuses %j with 400 validacao on %s, sends nothing upstream and counts nothing", async (corpo, campo) => {
    const id = await criarProvedor("ollama", ollama.url);
    const antes = ollama.recebidas.length;
    const r = await api(`/${id}/requisicao`, { method: "POST", json: corpo });
    expect(r.status).toBe(400);
    const erro = ((await r.json()) as { erro: { codigo: string; detalhes: { campos: Record<string, string[]> } } }).erro;
    expect(erro.codigo).toBe("validacao");
    expect(Object.keys(erro.detalhes.campos)).toContain(campo);
    expect(ollama.recebidas.length).toBe(antes);
    expect((await lerEstatisticas(id)).total_requisicoes).toBe(0);
  });

  it("malformed JSON is json_invalido; unknown provider is 404; malformed id is 400", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    await erroDe(await api(`/${id}/requisicao`, { method: "POST", body: "{mensagens" }), 400, "json_invalido");
    await erroDe(await api("/987654/requisicao", { method: "POST", json: { mensagens: MENSAGENS } }), 404, "nao_encontrado");
    await erroDe(await api("/987654/testar", { method: "POST" }), 404, "nao_encontrado");
    await erroDe(await api("/987654/modelos"), 404, "nao_encontrado");
    await erroDe(await api("/987654/estatisticas"), 404, "nao_encontrado");
    await erroDe(await api("/abc/requisicao", { method: "POST", json: { mensagens: MENSAGENS } }), 400, "validacao");
  });

  it("an inactive provider refuses requests with 409 provedor_inativo", async () => {
    const id = await criarProvedor("ollama", ollama.url, { ativo: false });
    const antes = ollama.recebidas.length;
    const erro = await erroDe(
      await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "llama3.2:latest" } }),
      409,
      "provedor_inativo",
    );
    expect(erro.mensagem).toContain("inativo");
    expect(ollama.recebidas.length).toBe(antes);
  });

  it("no model anywhere: 404 modelo_nao_encontrado saying what to do", async () => {
    const vazio = await new OllamaFalso({ modelos: [] }).iniciar();
    try {
      const id = await criarProvedor("ollama", vazio.url);
      const erro = await erroDe(
        await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } }),
        404,
        "modelo_nao_encontrado",
      );
      expect(erro.mensagem).toContain("modelo padrão");
    } finally {
      await vazio.parar();
    }
  });
});

describe("streaming failures before the first token", () => {
  it.each([
    ["erro_500", 502, "provedor_erro"],
    ["nao_autorizado", 502, "provedor_autenticacao"],
    ["recusar", 502, "provedor_indisponivel"],
  ] as const)("%s: a plain JSON error with its status, counted", async (falha, status, codigo) => {
    const falso = await new OllamaFalso({ modelos: [{ id: "m", carregado: true }] }).iniciar();
    try {
      const id = await criarProvedor("ollama", falso.url);
      await falso.definirFalha(falha);
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "m", stream: true } });
      await erroDe(r, status, codigo);
      const stats = await lerEstatisticas(id);
      expect(stats.requisicoes_erro).toBe(1);
    } finally {
      await falso.definirFalha(null);
      await falso.parar();
    }
  });
});

describe("an Ollama error after output started", () => {
  it("ends the stream with an erro event carrying the server's reason, counted as an error", async () => {
    const falso = await new OllamaFalso({ modelos: [{ id: "m", carregado: true }], resposta: "um dois três" }).iniciar();
    try {
      const id = await criarProvedor("ollama", falso.url);
      await falso.definirFalha("erro_no_stream");
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "m", stream: true } });
      expect(r.status).toBe(200);
      const eventos = await lerEventos(r);
      expect(
        eventos
          .filter((e) => e.evento === "delta")
          .map((e) => e.dados.conteudo)
          .join(""),
      ).toBe("um dois");
      expect(eventos.at(-1)).toEqual({
        evento: "erro",
        dados: { codigo: "provedor_erro", mensagem: expect.stringContaining("out of memory") },
      });
      expect((await lerEstatisticas(id)).requisicoes_erro).toBe(1);
    } finally {
      await falso.parar();
    }
  });
});

describe("cancellation", () => {
  it("closing the stream cancels the upstream request and counts it as cancelled", async () => {
    const lento = await new OllamaFalso({
      modelos: [{ id: "m", carregado: true }],
      resposta: Array.from({ length: 50 }, (_, i) => `p${i}`).join(" "),
      atrasoEntreTokensMs: 100,
    }).iniciar();
    try {
      const id = await criarProvedor("ollama", lento.url);
      const controle = new AbortController();
      const r = await api(`/${id}/requisicao`, {
        method: "POST",
        json: { mensagens: MENSAGENS, modelo: "m", stream: true },
        signal: controle.signal,
      });
      expect(r.status).toBe(200);
      const leitor = r.body!.getReader();
      const { value } = await leitor.read();
      expect(new TextDecoder().decode(value)).toContain("event: delta");
      controle.abort();
      const fim = Date.now() + 5000;
      while (lento.streamsAbandonados === 0 && Date.now() < fim) await new Promise((r) => setTimeout(r, 50));
      expect(lento.streamsAbandonados).toBe(1);
      const stats = await esperarEstatisticas(id, 1);
      expect(stats.requisicoes_erro).toBe(1);
      const linha = (await banco().execute({ sql: "select codigo_erro from requisicoes_provedores where provedor_id = ?", args: [id] }))
        .rows[0]!;
      expect(linha.codigo_erro).toBe("cancelado");
    } finally {
      await lento.parar();
    }
  });
});

describe("a broken provider never takes the app down", () => {
  it("while one server hangs, the app answers the list and another provider's requests", async () => {
    const travado = await new OllamaFalso({ modelos: [{ id: "m", carregado: true }] }).iniciar();
    try {
      await travado.definirFalha("travar");
      // No limit: the ten wait inside the hung server itself (with Ollama's default of 1 they would wait in the
      // app's queue one after another; tests/integration/fila.test.ts covers that).
      const idTravado = await criarProvedor("ollama", travado.url, { timeout_segundos: 3, max_concorrencia: 0 });
      const idBom = await criarProvedor("llama_cpp", llama.url);
      const pendentes = Array.from({ length: 10 }, () =>
        api(`/${idTravado}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "m" } }),
      );
      const inicio = Date.now();
      expect((await api("")).status).toBe(200);
      const bom = await api(`/${idBom}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
      expect(bom.status).toBe(200);
      expect(Date.now() - inicio).toBeLessThan(2000);
      const travadas = await Promise.all(pendentes);
      expect(travadas.map((r) => r.status)).toEqual(Array(10).fill(504));
    } finally {
      await travado.parar();
    }
  });
});

describe("statistics", () => {
  it("200 concurrent requests give exactly 200 in the counters and the log", async () => {
    // No limit: the counters are what is measured here, not the queue (a burst past fila_max is refused).
    const id = await criarProvedor("llama_cpp", llama.url, { max_concorrencia: 0 });
    const respostas = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: i % 2 === 0 } }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(respostas.filter((s) => s === 200)).toHaveLength(200);
    const stats = await lerEstatisticas(id);
    expect(stats.total_requisicoes).toBe(200);
    expect(stats.requisicoes_sucesso).toBe(200);
    expect(stats.taxa_sucesso).toBe(1);
    const log = await banco().execute({ sql: "select count(*) n from requisicoes_provedores where provedor_id = ?", args: [id] });
    expect(Number(log.rows[0]!.n)).toBe(200);
    const contadores = await banco().execute({
      sql: "select sum(requisicoes) n from estatisticas_provedores where provedor_id = ?",
      args: [id],
    });
    expect(Number(contadores.rows[0]!.n)).toBe(200);
  });

  // SQLite would otherwise move its WAL into the database file inside a commit on the request loop (10–40 ms
  // each time); a worker thread does it every second instead. The rows are then in the main file itself: a
  // copy of that file alone (no -wal) holds them, which SQLite's own checkpoint at 1000 pages would not yet.
  it.skipIf(app().modoBanco !== "arquivo")(
    "statistics reach the database file itself within seconds, checkpointed off the request loop",
    async () => {
      const id = await criarProvedor("llama_cpp", llama.url);
      await Promise.all(
        Array.from({ length: 30 }, () =>
          api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } }).then((r) => r.arrayBuffer()),
        ),
      );
      const arquivo = app().databaseUrl.slice("file:".length);
      const pasta = mkdtempSync(path.join(tmpdir(), "copia-banco-"));
      let noArquivo = 0;
      for (let tentativa = 0; tentativa < 40 && noArquivo < 30; tentativa++) {
        await new Promise((r) => setTimeout(r, 250));
        const copia = path.join(pasta, `${tentativa}.db`);
        copyFileSync(arquivo, copia);
        const leitor = createClient({ url: `file:${copia}` });
        try {
          const r = await leitor.execute({ sql: "select count(*) n from requisicoes_provedores where provedor_id = ?", args: [id] });
          noArquivo = Number(r.rows[0]!.n);
        } catch {
          // Copied in the middle of a checkpoint: the next copy will do.
        } finally {
          leitor.close();
        }
      }
      rmSync(pasta, { recursive: true, force: true });
      expect(noArquivo).toBe(30);
    },
  );

  it("a request already answered is in the statistics read right after it, plain or streamed", async () => {
    const id = await criarProvedor("llama_cpp", llama.url);
    for (let i = 1; i <= 6; i++) {
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: i % 2 === 0 } });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
      const stats = (await (await api(`/${id}/estatisticas?periodo=1h`)).json()) as { total_requisicoes: number };
      expect(stats.total_requisicoes).toBe(i);
    }
  });

  it("reports totals, success rate, average, p50/p95, tokens, loaded models, last activity and a series", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    await api(`/${id}/testar`, { method: "POST" });
    for (let i = 0; i < 3; i++)
      await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "llama3.2:latest" } });
    await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "nao-existe" } });
    const s = await lerEstatisticas(id);
    expect(s).toMatchObject({
      total_requisicoes: 4,
      requisicoes_sucesso: 3,
      requisicoes_erro: 1,
      taxa_sucesso: 0.75,
      modelos_carregados: 1,
    });
    // 3 answers × (prompt + 4 answer tokens), from the server's own counts
    expect(s.tokens_totais).toBe(3 * (4 + 5 + 4));
    expect(s.tempo_medio_resposta_ms).toBeGreaterThan(0);
    expect(s.p50_ms).toBeGreaterThan(0);
    expect(s.p95_ms!).toBeGreaterThanOrEqual(s.p50_ms!);
    expect(Date.now() - new Date(s.ultima_atividade!).getTime()).toBeLessThan(60_000);
    expect(s.serie.length).toBeGreaterThanOrEqual(60);
    expect(s.serie.reduce((n, p) => n + p.requisicoes, 0)).toBe(4);
    expect(s.serie.reduce((n, p) => n + p.erros, 0)).toBe(1);

    for (const periodo of ["24h", "7d", "30d"]) {
      const r = (await (await api(`/${id}/estatisticas?periodo=${periodo}`)).json()) as { total_requisicoes: number; serie: unknown[] };
      expect(r.total_requisicoes).toBe(4);
      expect(r.serie.length).toBeGreaterThan(0);
    }
    await erroDe(await api(`/${id}/estatisticas?periodo=2h`), 400, "validacao");
  });

  it("percentiles cover every request of the period: 10 000 slow then 50 000 fast give a slow p99 and a fast p50", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    // The app's own writer, from this process, into the app's database: 60 000 requests in seconds.
    process.env.DATABASE_URL = app().databaseUrl;
    const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
    const agora = Date.now();
    const registro = (i: number, tempo: number) =>
      registrarRequisicao({
        provedor_id: id,
        porta: "requisicao",
        criado_em: agora - 30 * 60_000 + i,
        modelo: tempo > 1000 ? "lento" : "rapido",
        stream: true,
        sucesso: true,
        codigo_erro: null,
        tempo_resposta_ms: tempo,
        tempo_primeiro_token_ms: tempo / 10,
        tokens_prompt: 1,
        tokens_resposta: 1,
        chave_id: null,
      });
    // 10 000 slow ones (2 s … 3 s), written before 50 000 fast ones (10 … 20 ms)
    for (let i = 0; i < 10_000; i++) void registro(i, 2000 + (i % 1000));
    for (let i = 0; i < 50_000; i++) void registro(10_000 + i, 10 + (i % 10));
    await gravarPendentes();
    // Writing 60 000 rows kept this process busy for seconds: the app closed the idle kept-alive connection
    // meanwhile (its keepAliveTimeout), and the client's own timers, late, have not dropped it yet. Let them run,
    // so the read does not go out on a socket the other side already closed.
    await new Promise((r) => setTimeout(r, 1500));

    const s = await lerEstatisticas(id);
    expect(s.total_requisicoes).toBe(60_000);
    // nearest rank over all 60 000, one in six slow: p50 is fast, p95 and p99 are slow
    expect(s.p50_ms).toBeGreaterThan(10 * 0.95);
    expect(s.p50_ms).toBeLessThan(20 * 1.05);
    expect(s.p95_ms).toBeGreaterThan(2000 * 0.95);
    expect(s.p99_ms).toBeGreaterThan(2900 * 0.95);
    expect(s.p99_ms).toBeLessThan(3000 * 1.05);
    expect(s.p95_primeiro_token_ms).toBeGreaterThan(200 * 0.95);
    expect(s.por_modelo).toEqual([
      expect.objectContaining({ modelo: "rapido", requisicoes: 50_000, erros: 0 }),
      expect.objectContaining({ modelo: "lento", requisicoes: 10_000, erros: 0 }),
    ]);
    const lento = s.por_modelo.find((m) => m.modelo === "lento")!;
    expect(lento.p95_ms).toBeGreaterThan(2900 * 0.95);
    // the per-request log keeps only the newest 10 000 rows: all fast, yet the percentiles saw the slow ones
    const log = await banco().execute({
      sql: "select count(*) n, max(tempo_resposta_ms) t from requisicoes_provedores where provedor_id = ?",
      args: [id],
    });
    expect(Number(log.rows[0]!.n)).toBe(10_000);
    expect(Number(log.rows[0]!.t)).toBeLessThan(100);
  }, 120_000);

  it("percentiles are exact to within 5% (nearest rank over the histogram)", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    process.env.DATABASE_URL = app().databaseUrl;
    const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
    const tempos = Array.from({ length: 20 }, (_, i) => (i + 1) * 10); // 10 … 200 ms
    for (const t of tempos)
      void registrarRequisicao({
        provedor_id: id,
        porta: "requisicao",
        criado_em: Date.now() - 1000,
        modelo: null,
        stream: false,
        sucesso: true,
        codigo_erro: null,
        tempo_resposta_ms: t,
        tempo_primeiro_token_ms: null,
        tokens_prompt: null,
        tokens_resposta: null,
        chave_id: null,
      });
    await gravarPendentes();
    const r = await lerEstatisticas(id);
    expect(Math.abs(r.p50_ms! - 100) / 100).toBeLessThanOrEqual(0.05);
    expect(Math.abs(r.p95_ms! - 190) / 190).toBeLessThanOrEqual(0.05);
    expect(Math.abs(r.p99_ms! - 200) / 200).toBeLessThanOrEqual(0.05);
    // no streamed answers: no time-to-first-token percentiles
    expect(r.p50_primeiro_token_ms).toBeNull();
    expect(r.por_modelo).toEqual([expect.objectContaining({ modelo: "", requisicoes: 20 })]);
  });

  it("every period's series adds up to its total, each request in the point that holds its time", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    process.env.DATABASE_URL = app().databaseUrl;
    const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
    const agora = Date.now();
    // one request every 37 minutes over the last 29 days, none on a round hour or day
    const instantes = Array.from({ length: (29 * 24 * 60) / 37 }, (_, i) => agora - 60_000 - i * 37 * 60_000 - 13_000);
    for (const criado_em of instantes)
      void registrarRequisicao({
        provedor_id: id,
        porta: "requisicao",
        criado_em,
        modelo: "m",
        stream: false,
        sucesso: true,
        codigo_erro: null,
        tempo_resposta_ms: 50,
        tempo_primeiro_token_ms: null,
        tokens_prompt: null,
        tokens_resposta: null,
        chave_id: null,
      });
    await gravarPendentes();
    for (const [periodo, duracao, passo] of [
      ["1h", 3_600_000, 60_000],
      ["24h", 86_400_000, 3_600_000],
      ["7d", 7 * 86_400_000, 6 * 3_600_000],
      ["30d", 30 * 86_400_000, 86_400_000],
    ] as const) {
      const s = await lerEstatisticas(id, periodo);
      const esperado = instantes.filter((t) => t >= agora - duracao + 60_000).length;
      expect(s.total_requisicoes).toBeGreaterThanOrEqual(esperado);
      expect(s.serie.reduce((n, p) => n + p.requisicoes, 0)).toBe(s.total_requisicoes);
      const ultimo = instantes[0]!;
      const ponto = s.serie.find((p) => new Date(p.inicio).getTime() === Math.floor(ultimo / passo) * passo);
      expect(ponto?.requisicoes).toBeGreaterThanOrEqual(1);
      expect(s.p50_ms! / 50).toBeCloseTo(1, 1);
    }
  });

  it("streamed answers give time-to-first-token percentiles; every percentile is ordered", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    for (let i = 0; i < 6; i++) {
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: i % 2 === 0 } });
      await r.arrayBuffer();
    }
    const s = await lerEstatisticas(id);
    expect(s.p50_primeiro_token_ms).toBeGreaterThan(0);
    expect(s.p95_primeiro_token_ms!).toBeGreaterThanOrEqual(s.p50_primeiro_token_ms!);
    expect(s.p99_primeiro_token_ms!).toBeGreaterThanOrEqual(s.p95_primeiro_token_ms!);
    expect(s.p99_ms!).toBeGreaterThanOrEqual(s.p95_ms!);
    expect(s.p95_ms!).toBeGreaterThanOrEqual(s.p50_ms!);
  });

  it("deleting a provider removes its request log, counters and histograms too", async () => {
    const id = await criarProvedor("llama_cpp", llama.url);
    await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
    await lerEstatisticas(id);
    const tabelas = ["requisicoes_provedores", "estatisticas_provedores", "estatisticas_modelos", "histogramas_latencia"];
    const contar = async (tabela: string) =>
      Number((await banco().execute({ sql: `select count(*) n from ${tabela} where provedor_id = ?`, args: [id] })).rows[0]!.n);
    for (const tabela of tabelas) expect(await contar(tabela)).toBeGreaterThan(0);
    expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
    for (const tabela of tabelas) expect(await contar(tabela)).toBe(0);
  });

  it("a batch that still holds requests of a provider deleted meanwhile writes the others, and nothing of the deleted one", async () => {
    const vivo = await criarProvedor("ollama", ollama.url);
    const apagado = await criarProvedor("ollama", ollama.url);
    process.env.DATABASE_URL = app().databaseUrl;
    const { registrarRequisicao, gravarPendentes } = await import("@/lib/estatisticas/registrar");
    expect((await api(`/${apagado}`, { method: "DELETE" })).status).toBe(204);
    const registro = (provedor_id: number, tempo: number) =>
      registrarRequisicao({
        provedor_id,
        porta: "requisicao",
        criado_em: Date.now(),
        modelo: "m",
        stream: false,
        sucesso: true,
        codigo_erro: null,
        tempo_resposta_ms: tempo,
        tempo_primeiro_token_ms: null,
        tokens_prompt: 2,
        tokens_resposta: 3,
        chave_id: null,
      });
    for (let i = 0; i < 30; i++) void registro(i % 2 ? vivo : apagado, 10 + i);
    await gravarPendentes();
    const s = await lerEstatisticas(vivo);
    expect(s.total_requisicoes).toBe(15);
    expect(s.tokens_totais).toBe(75);
    const tabelas = ["requisicoes_provedores", "estatisticas_provedores", "estatisticas_modelos", "histogramas_latencia"];
    for (const tabela of tabelas) {
      const n = (await banco().execute({ sql: `select count(*) n from ${tabela} where provedor_id = ?`, args: [apagado] })).rows[0]!.n;
      expect(Number(n)).toBe(0);
    }
  });

  it("GET /{id}/requisicoes lists the latest requests, newest first, one page at a time", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    for (let i = 0; i < 27; i++) {
      const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: i === 26 } });
      await r.arrayBuffer();
    }
    const falha = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "nao-existe" } });
    expect(falha.status).toBe(404);

    const r1 = await api(`/${id}/requisicoes`);
    expect(r1.status).toBe(200);
    const p1 = (await r1.json()) as RequisicoesRecentes;
    expect(p1).toMatchObject({ pagina: 1, por_pagina: 25, total: 28, paginas: 2 });
    expect(p1.requisicoes).toHaveLength(25);
    expect(p1.requisicoes[0]).toMatchObject({ sucesso: false, codigo_erro: "modelo_nao_encontrado", modelo: "nao-existe" });
    expect(p1.requisicoes[1]).toMatchObject({ sucesso: true, stream: true, modelo: "llama3.2:latest", tokens_resposta: 4 });
    expect(p1.requisicoes[1]!.tempo_primeiro_token_ms).toBeGreaterThan(0);
    const ids = p1.requisicoes.map((q) => q.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    // nothing of the conversation is kept: only what the list shows
    expect(JSON.stringify(p1)).not.toContain("Diga olá");

    const p2 = (await (await api(`/${id}/requisicoes?pagina=2`)).json()) as RequisicoesRecentes;
    expect(p2.requisicoes).toHaveLength(3);
    expect(Math.max(...p2.requisicoes.map((q) => q.id))).toBeLessThan(Math.min(...ids));
    const p5 = (await (await api(`/${id}/requisicoes?pagina=2&por_pagina=5`)).json()) as RequisicoesRecentes;
    expect(p5.requisicoes.map((q) => q.id)).toEqual(ids.slice(5, 10));

    await erroDe(await api(`/${id}/requisicoes?pagina=0`), 400, "validacao");
    await erroDe(await api(`/${id}/requisicoes?por_pagina=1000`), 400, "validacao");
    await erroDe(await api(`/${id}/requisicoes?pagina=dois`), 400, "validacao");
    await erroDe(await api("/999999/requisicoes"), 404, "nao_encontrado");
  });

  it("no request body, key or model output ever reaches the log", async () => {
    const { arquivoLog } = app();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(arquivoLog, "utf8")).not.toContain("Diga olá");
  });
});
