import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { api, banco } from "../support/contexto";
import { criarFalso, criarProvedor, lerEstatisticas, lerEventos, MENSAGENS } from "../support/llm";

const RESPOSTA = "Olá! Eu sou um modelo de teste muito educado.";

type Caso = { tipo: TipoProvedor; modelo: string; versao: string | undefined };

const CASOS: Caso[] = [
  { tipo: "lm_studio", modelo: "qwen/qwen3-4b", versao: undefined },
  { tipo: "llama_cpp", modelo: "tiny-random-llama", versao: "b1-de3ff81" },
  { tipo: "ollama", modelo: "llama3.2:latest", versao: "0.12.3" },
  { tipo: "openai_compativel", modelo: "gpt-local", versao: undefined },
];

describe.each(CASOS)("$tipo against its test server", ({ tipo, modelo, versao }) => {
  let falso: ServidorFalso;
  let id: number;

  beforeAll(async () => {
    falso = await criarFalso(tipo, {
      resposta: RESPOSTA,
      modelos: [
        { id: modelo, carregado: true, contexto: 8192, quantizacao: "Q4_K_M", familia: "llama", parametros: "3.2B", tamanho: 2019393189 },
        ...(tipo === "llama_cpp" ? [] : [{ id: "outro-modelo", carregado: false }]),
      ],
    }).iniciar();
    // pasted with /v1, as users do
    id = await criarProvedor(tipo, `${falso.url}/v1`, { timeout_segundos: 2 });
  });
  afterAll(() => falso.parar());
  afterEach(() => falso.definirFalha(null));

  it("testar: success with latency, version and models; status, latency and cache saved", async () => {
    const r = await api(`/${id}/testar`, { method: "POST" });
    expect(r.status).toBe(200);
    const t = (await r.json()) as {
      sucesso: boolean;
      latencia_ms: number;
      versao?: string;
      modelos: { modelo: string }[];
      mensagem: string;
      testado_em: string;
    };
    expect(t.sucesso).toBe(true);
    expect(t.latencia_ms).toBeGreaterThan(0);
    expect(t.versao).toBe(versao);
    expect(t.modelos.map((m) => m.modelo)).toContain(modelo);
    expect(t.mensagem).toMatch(/^Conectado em \d+ ms/);
    const linha = (
      await banco().execute({ sql: "select status, ultima_latencia_ms, ultimo_teste_em from provedores_llm where id = ?", args: [id] })
    ).rows[0]!;
    expect(linha.status).toBe("online");
    expect(Number(linha.ultima_latencia_ms)).toBe(t.latencia_ms);
    expect(Number(linha.ultimo_teste_em)).toBe(new Date(t.testado_em).getTime());
    const cache = await banco().execute({ sql: "select modelo from modelos_provedores where provedor_id = ?", args: [id] });
    expect(cache.rows.map((l) => l.modelo)).toContain(modelo);
  });

  it("modelos: served from the cache, refreshed from the server on ?atualizar=true, with what the server knows", async () => {
    const doCache = (await (await api(`/${id}/modelos`)).json()) as {
      origem: string;
      modelos: Record<string, unknown>[];
      atualizado_em: string;
    };
    expect(doCache.origem).toBe("cache");
    const novo = await api(`/${id}/modelos?atualizar=true`);
    const lista = (await novo.json()) as {
      origem: string;
      desatualizado: boolean;
      modelos: Record<string, unknown>[];
      atualizado_em: string;
    };
    expect(lista.origem).toBe("servidor");
    expect(lista.desatualizado).toBe(false);
    expect(new Date(lista.atualizado_em).getTime()).toBeGreaterThanOrEqual(new Date(doCache.atualizado_em).getTime());
    const m = lista.modelos.find((x) => x.modelo === modelo)!;
    expect(m).toBeDefined();
    if (tipo === "lm_studio") expect(m).toMatchObject({ carregado: true, quantizacao: "Q4_K_M", contexto_max: 8192, familia: "llama" });
    if (tipo === "llama_cpp")
      expect(m).toMatchObject({
        carregado: true,
        quantizacao: "Q4_K_M",
        contexto_max: 8192,
        tamanho_bytes: 2019393189,
        parametros: "4.2M",
      });
    if (tipo === "ollama")
      expect(m).toMatchObject({
        carregado: true,
        quantizacao: "Q4_K_M",
        familia: "llama",
        parametros: "3.2B",
        tamanho_bytes: 2019393189,
        contexto_max: 8192,
      });
    if (tipo === "openai_compativel") expect(m).toMatchObject({ carregado: null, contexto_max: null });
    if (tipo !== "llama_cpp" && tipo !== "openai_compativel") {
      expect(lista.modelos.find((x) => x.modelo === "outro-modelo")).toMatchObject({ carregado: false });
    }
  });

  it("requisicao: answers the normalised shape, with tokens and tokens/s", async () => {
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo } });
    expect(r.status, await r.clone().text()).toBe(200);
    const resposta = (await r.json()) as Record<string, unknown> & { tokens: Record<string, number | null> };
    expect(resposta).toMatchObject({ conteudo: RESPOSTA, modelo, provedor_id: id, finish_reason: "stop" });
    expect(resposta.tokens.resposta).toBe(9);
    expect(resposta.tokens.total).toBe((resposta.tokens.prompt ?? 0) + 9);
    expect(resposta.tempo_resposta_ms).toBeGreaterThan(0);
    expect(resposta.tokens_por_segundo).toBeGreaterThan(0);
    if (tipo === "llama_cpp") expect(resposta.tokens_por_segundo).toBe(1098.29); // timings.predicted_per_second
    if (tipo === "ollama") expect(resposta.tokens_por_segundo).toBe(50); // eval_count / eval_duration × 1e9 (20 ms a token)
  });

  it("requisicao: the provider's generation settings reach the server in its own words", async () => {
    await api(`/${id}`, { method: "PUT", json: { configuracao: { temperatura: 0.2, max_tokens: 3 } } });
    const antes = falso.recebidas.length;
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, configuracao: { top_p: 0.5 } } });
    const resposta = (await r.json()) as { conteudo: string; finish_reason: string; tokens: { resposta: number } };
    expect(resposta.finish_reason).toBe("length");
    expect(resposta.tokens.resposta).toBe(3);
    const enviado = JSON.parse(falso.recebidas.slice(antes).find((x) => x.metodo === "POST")!.corpoTexto) as Record<string, unknown>;
    if (tipo === "ollama") {
      expect(enviado).toMatchObject({ model: modelo, stream: false, options: { temperature: 0.2, num_predict: 3, top_p: 0.5 } });
    } else {
      expect(enviado).toMatchObject({ model: modelo, stream: false, temperature: 0.2, max_tokens: 3, top_p: 0.5 });
    }
    await api(`/${id}`, { method: "PUT", json: { configuracao: {} } });
  });

  it("requisicao with stream: the same events for every type, ending with the answer's fields", async () => {
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, stream: true } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    const eventos = await lerEventos(r);
    const deltas = eventos.filter((e) => e.evento === "delta");
    expect(deltas.length).toBe(9);
    expect(deltas.map((e) => e.dados.conteudo).join("")).toBe(RESPOSTA);
    const fim = eventos.at(-1)!;
    expect(fim.evento).toBe("fim");
    expect(fim.dados).toMatchObject({ conteudo: RESPOSTA, modelo, provedor_id: id, finish_reason: "stop" });
    expect((fim.dados.tokens as { resposta: number }).resposta).toBe(9);
    expect(fim.dados.tempo_primeiro_token_ms).toBeGreaterThan(0);
    expect(fim.dados.tokens_por_segundo).toBeGreaterThan(0);
    // stream_options.include_usage asked of OpenAI-style servers
    if (tipo !== "ollama") {
      const enviado = JSON.parse(falso.recebidas.at(-1)!.corpoTexto) as Record<string, unknown>;
      expect(enviado).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    }
  });

  it("streamed answers leave the connection to the server open for the next request", async () => {
    await lerEventos(await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, stream: true } }));
    const antes = falso.conexoes;
    for (let i = 0; i < 5; i++) {
      const eventos = await lerEventos(
        await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, stream: true } }),
      );
      expect(eventos.at(-1)!.evento).toBe("fim");
    }
    expect(falso.conexoes - antes).toBe(0);
  });

  it("without `modelo`, uses the provider's default, else the first cached model (loaded first)", async () => {
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
    expect(((await r.json()) as { modelo: string }).modelo).toBe(modelo);
    const antes = falso.recebidas.length;
    await api(`/${id}`, { method: "PUT", json: { modelo_padrao: modelo } });
    await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
    expect(JSON.parse(falso.recebidas.slice(antes).find((x) => x.metodo === "POST")!.corpoTexto).model).toBe(modelo);
  });

  it("an unknown model: 404 modelo_nao_encontrado, except llama-server, whose loaded model answers", async () => {
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "nao-existe" } });
    if (tipo === "llama_cpp") {
      expect(r.status).toBe(200);
      expect(((await r.json()) as { modelo: string }).modelo).toBe(modelo);
    } else {
      expect(r.status).toBe(404);
      const erro = ((await r.json()) as { erro: { codigo: string; mensagem: string } }).erro;
      expect(erro.codigo).toBe("modelo_nao_encontrado");
      expect(erro.mensagem).toContain("modelo");
    }
  });

  /** A case that left the provider offline is refused by the breaker: a connection test that answers brings it back. */
  async function voltarOnline(): Promise<void> {
    await falso.definirFalha(null);
    expect(((await (await api(`/${id}/testar`, { method: "POST" })).json()) as { sucesso: boolean }).sucesso).toBe(true);
  }

  it.each([
    ["recusar", 502, "provedor_indisponivel", /conexão recusada/],
    ["travar", 504, "provedor_timeout", /não respondeu em 2 s/],
    ["erro_500", 502, "provedor_erro", /HTTP 500/],
    ["lixo", 502, "provedor_erro", /não é JSON/],
    ["nao_autorizado", 502, "provedor_autenticacao", /API key/],
  ] as const)("failure %s: %i %s with a pt-BR reason, counted, testar says why", async (falha, status, codigo, mensagem) => {
    await voltarOnline();
    const antes = (await lerEstatisticas(id)).total_requisicoes;
    await falso.definirFalha(falha);
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo } });
    expect(r.status).toBe(status);
    const erro = ((await r.json()) as { erro: { codigo: string; mensagem: string } }).erro;
    expect(erro.codigo).toBe(codigo);
    expect(erro.mensagem).toMatch(mensagem);
    expect((await lerEstatisticas(id)).total_requisicoes).toBe(antes + 1);
    const ultimo = (
      await banco().execute({
        sql: "select sucesso, codigo_erro from requisicoes_provedores where provedor_id = ? order by id desc limit 1",
        args: [id],
      })
    ).rows[0]!;
    expect(ultimo).toMatchObject({ sucesso: 0, codigo_erro: codigo });

    const teste = (await (await api(`/${id}/testar`, { method: "POST" })).json()) as {
      sucesso: boolean;
      erro: { codigo: string };
      mensagem: string;
    };
    expect(teste.sucesso).toBe(false);
    expect(teste.erro.codigo).toBe(codigo);
    const estado = (await banco().execute({ sql: "select status from provedores_llm where id = ?", args: [id] })).rows[0]!.status;
    expect(estado).toBe(codigo === "provedor_indisponivel" || codigo === "provedor_timeout" ? "offline" : "erro");
  });

  it("a provider testar found offline is refused at once by the breaker, not asked until it answers again", async () => {
    await falso.definirFalha("recusar");
    expect(((await (await api(`/${id}/testar`, { method: "POST" })).json()) as { sucesso: boolean }).sucesso).toBe(false);
    await falso.definirFalha(null);
    const antes = falso.recebidas.length;
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo } });
    expect(r.status).toBe(502);
    expect(((await r.json()) as { erro: { codigo: string; mensagem: string } }).erro.mensagem).toMatch(/está offline há/);
    expect(falso.recebidas.length).toBe(antes);
    await voltarOnline();
    expect((await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo } })).status).toBe(200);
  });

  it("a slow first byte within the timeout is still an answer", async () => {
    await voltarOnline();
    await falso.definirFalha("lento", 400);
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, stream: true } });
    expect(r.status).toBe(200);
    const fim = (await lerEventos(r)).at(-1)!;
    expect(fim.evento).toBe("fim");
    expect(fim.dados.tempo_primeiro_token_ms).toBeGreaterThanOrEqual(400);
  });

  it("a stream cut midway ends with an erro event and is counted as an error", async () => {
    const antes = (await lerEstatisticas(id)).requisicoes_erro;
    await voltarOnline();
    await falso.definirFalha("cortar_stream");
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo, stream: true } });
    expect(r.status).toBe(200);
    const eventos = await lerEventos(r);
    const ultimo = eventos.at(-1)!;
    expect(ultimo.evento).toBe("erro");
    expect(ultimo.dados.codigo).toBe("provedor_erro");
    expect(String(ultimo.dados.mensagem)).toMatch(/stream|conexão/);
    expect(eventos.some((e) => e.evento === "fim")).toBe(false);
    expect((await lerEstatisticas(id)).requisicoes_erro).toBe(antes + 1);
  });

  it("when the server is down, the cached models are still served, marked stale", async () => {
    await api(`/${id}/testar`, { method: "POST" });
    await falso.definirFalha("recusar");
    const r = await api(`/${id}/modelos?atualizar=true`);
    expect(r.status).toBe(200);
    const lista = (await r.json()) as { origem: string; desatualizado: boolean; erro: { codigo: string }; modelos: { modelo: string }[] };
    expect(lista).toMatchObject({ origem: "cache", desatualizado: true, erro: { codigo: "provedor_indisponivel" } });
    expect(lista.modelos.map((m) => m.modelo)).toContain(modelo);
  });

  it("sends the provider's API key as a Bearer token", async () => {
    falso.apiKey = "sk-chave-do-servidor";
    try {
      const semChave = (await (await api(`/${id}/testar`, { method: "POST" })).json()) as { sucesso: boolean; erro: { codigo: string } };
      expect(semChave).toMatchObject({ sucesso: false, erro: { codigo: "provedor_autenticacao" } });
      await api(`/${id}`, { method: "PUT", json: { api_key: "sk-chave-do-servidor" } });
      const comChave = (await (await api(`/${id}/testar`, { method: "POST" })).json()) as { sucesso: boolean };
      expect(comChave.sucesso).toBe(true);
      expect(falso.recebidas.at(-1)!.cabecalhos.authorization).toBe("Bearer sk-chave-do-servidor");
    } finally {
      falso.apiKey = undefined;
      await api(`/${id}`, { method: "PUT", json: { api_key: null } });
    }
  });
});

describe("servers a user really runs", () => {
  // Each test starts its own server; all are stopped after it, pass or fail.
  const iniciados: ServidorFalso[] = [];
  const iniciar = <T extends ServidorFalso>(falso: T): Promise<T> => {
    iniciados.push(falso);
    return falso.iniciar();
  };
  afterEach(() => Promise.all(iniciados.splice(0).map((f) => f.parar())));

  it("llama-server still loading its model: testar says so (503 'Loading model')", async () => {
    const falso = await iniciar(new LlamaCppFalso());
    await falso.definirFalha("carregando");
    const id = await criarProvedor("llama_cpp", falso.url);
    const t = (await (await api(`/${id}/testar`, { method: "POST" })).json()) as {
      sucesso: boolean;
      erro: { codigo: string };
      mensagem: string;
    };
    expect(t).toMatchObject({ sucesso: false, erro: { codigo: "provedor_erro" } });
    expect(t.mensagem).toContain("carregando o modelo");
  });

  it("an Ollama registered as llama.cpp (or the reverse) is told apart", async () => {
    const ollama = await iniciar(new OllamaFalso());
    const llama = await iniciar(new LlamaCppFalso());
    const comoLlama = await criarProvedor("llama_cpp", ollama.url);
    const t1 = (await (await api(`/${comoLlama}/testar`, { method: "POST" })).json()) as { sucesso: boolean; mensagem: string };
    expect(t1.sucesso).toBe(false);
    const comoOllama = await criarProvedor("ollama", llama.url);
    const t2 = (await (await api(`/${comoOllama}/testar`, { method: "POST" })).json()) as { sucesso: boolean; mensagem: string };
    expect(t2.sucesso).toBe(false);
    expect(t2.mensagem).toContain("não como um Ollama");
  });

  it("an LM Studio without /api/v0 (older than 0.3.6) still lists its models through /v1", async () => {
    const falso = await iniciar(new LmStudioFalso({ modelos: [{ id: "antigo", carregado: true }] }));
    falso.semApiV0 = true;
    const id = await criarProvedor("lm_studio", falso.url);
    const lista = (await (await api(`/${id}/modelos?atualizar=true`)).json()) as {
      origem: string;
      modelos: { modelo: string; carregado: boolean | null }[];
    };
    expect(lista.origem).toBe("servidor");
    expect(lista.modelos).toEqual([expect.objectContaining({ modelo: "antigo", carregado: null })]);
  });

  it("an Ollama older than /api/ps still lists its models, loaded state unknown", async () => {
    const falso = await iniciar(new OllamaFalso({ modelos: [{ id: "velho:latest", carregado: true }] }));
    falso.semApiPs = true;
    const id = await criarProvedor("ollama", falso.url);
    const t = (await (await api(`/${id}/testar`, { method: "POST" })).json()) as {
      sucesso: boolean;
      modelos: { modelo: string; carregado: boolean | null }[];
    };
    expect(t.sucesso).toBe(true);
    expect(t.modelos).toEqual([expect.objectContaining({ modelo: "velho:latest", carregado: null })]);
  });

  it("Ollama: every model's context window from /api/show, asked once per model; embedding models are not the default", async () => {
    const falso = await iniciar(
      new OllamaFalso({
        modelos: [
          { id: "nomic-embed-text:latest", carregado: false, contexto: 2048, familia: "nomic-bert", capacidades: ["embedding"] },
          { id: "qwen2.5:7b", carregado: false, contexto: 32768, familia: "qwen2" },
          { id: "llama3.2:latest", carregado: true, contexto: 131072, contextoCarregado: 8192 },
        ],
      }),
    );
    const id = await criarProvedor("ollama", falso.url);
    type Modelo = { modelo: string; contexto_max: number | null; carregado: boolean; detalhes: Record<string, unknown> };
    const lista = async () => ((await (await api(`/${id}/modelos?atualizar=true`)).json()) as { modelos: Modelo[] }).modelos;
    const porNome = (ms: Modelo[]) => Object.fromEntries(ms.map((m) => [m.modelo, m]));
    const m = porNome(await lista());
    expect(m["qwen2.5:7b"]).toMatchObject({ contexto_max: 32768, carregado: false, detalhes: { contexto_carregado: null, tipo: "llm" } });
    expect(m["llama3.2:latest"]).toMatchObject({ contexto_max: 131072, carregado: true, detalhes: { contexto_carregado: 8192 } });
    expect(m["nomic-embed-text:latest"]).toMatchObject({ contexto_max: 2048, detalhes: { tipo: "embedding", capacidades: ["embedding"] } });
    const pedidosShow = () => falso.recebidas.filter((r) => r.caminho === "/api/show");
    expect(
      pedidosShow()
        .map((r) => JSON.parse(r.corpoTexto).model)
        .sort(),
    ).toEqual(["llama3.2:latest", "nomic-embed-text:latest", "qwen2.5:7b"]);

    // A model's digest fixes what /api/show says of it: a second refresh does not ask again.
    expect(porNome(await lista())["qwen2.5:7b"]!.contexto_max).toBe(32768);
    expect(pedidosShow()).toHaveLength(3);

    // Without a default, a request uses the first chat model: the loaded one, never the embedding model.
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { modelo: string }).modelo).toBe("llama3.2:latest");
  });

  it("Ollama whose /api/show fails: the list is still served, the loaded model's window from /api/ps", async () => {
    const falso = await iniciar(
      new OllamaFalso({
        modelos: [
          { id: "a:latest", carregado: true, contexto: 65536, contextoCarregado: 4096 },
          ...["b", "c", "d", "e", "f", "g", "h"].map((n) => ({ id: `${n}:latest`, carregado: false, contexto: 65536 })),
        ],
      }),
    );
    falso.showQuebrado = true;
    const id = await criarProvedor("ollama", falso.url);
    const t = (await (await api(`/${id}/testar`, { method: "POST" })).json()) as {
      sucesso: boolean;
      modelos: { modelo: string; contexto_max: number | null }[];
    };
    expect(t.sucesso).toBe(true);
    expect(t.modelos).toHaveLength(8);
    expect(t.modelos.find((m) => m.modelo === "a:latest")!.contexto_max).toBe(4096);
    expect(t.modelos.filter((m) => m.contexto_max === null)).toHaveLength(7);
    // After a failure no more are asked: a hanging /api/show costs one timeout, not one per model.
    expect(falso.recebidas.filter((r) => r.caminho === "/api/show").length).toBeLessThan(8);

    falso.showQuebrado = false;
    const depois = (await (await api(`/${id}/modelos?atualizar=true`)).json()) as { modelos: { contexto_max: number | null }[] };
    expect(depois.modelos.map((m) => m.contexto_max)).toEqual(Array(8).fill(65536));
  });

  it("LM Studio with nothing loaded: modelo_nao_encontrado with its message", async () => {
    const falso = await iniciar(new LmStudioFalso({ modelos: [{ id: "descarregado", carregado: false }] }));
    const id = await criarProvedor("lm_studio", falso.url);
    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "descarregado" } });
    expect(r.status).toBe(404);
    const erro = ((await r.json()) as { erro: { codigo: string; mensagem: string } }).erro;
    expect(erro.codigo).toBe("modelo_nao_encontrado");
    expect(erro.mensagem).toContain("Nenhum modelo carregado");
  });
});
