import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OllamaFalso } from "../servidores/ollama";
import { LlamaCppFalso } from "../servidores/llama-cpp";
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
      const idTravado = await criarProvedor("ollama", travado.url, { timeout_segundos: 3 });
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
    const id = await criarProvedor("llama_cpp", llama.url);
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

  it("percentiles come from the per-request log (nearest rank)", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    const agora = Date.now();
    const tempos = Array.from({ length: 20 }, (_, i) => (i + 1) * 10); // 10 … 200 ms
    for (const t of tempos) {
      await banco().execute({
        sql: "insert into requisicoes_provedores (provedor_id, criado_em, sucesso, tempo_resposta_ms) values (?, ?, 1, ?)",
        args: [id, agora - 1000, t],
      });
    }
    const r = (await (await api(`/${id}/estatisticas?periodo=1h`)).json()) as { p50_ms: number; p95_ms: number };
    expect(r.p50_ms).toBe(100);
    expect(r.p95_ms).toBe(190);
  });

  it("deleting a provider removes its request log too", async () => {
    const id = await criarProvedor("llama_cpp", llama.url);
    await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
    await lerEstatisticas(id);
    expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(204);
    const n = await banco().execute({ sql: "select count(*) n from requisicoes_provedores where provedor_id = ?", args: [id] });
    expect(Number(n.rows[0]!.n)).toBe(0);
  });

  it("no request body, key or model output ever reaches the log", async () => {
    const { arquivoLog } = app();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(arquivoLog, "utf8")).not.toContain("Diga olá");
  });
});
