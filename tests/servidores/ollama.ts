import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { atenderAnthropic } from "./anthropic-nativo";
import { esperar, lerJson, type ModeloFalso, type OpcoesServidorFalso, ServidorFalso, type Requisicao, Vagas } from "./base";
import { responderChatOpenAI, responderEmbeddingsOpenAI, tokensDoPrompt, vetoresDe, type PedidoOpenAI } from "./openai-chat";
import { gerarNoRitmo, metricasOllama, TOKENS_PADRAO, tokensDeEnchimento, tokensPedidos, type Velocidade } from "./velocidade";

/** Like Ollama's, the sha256 of the model's bytes; here, of what describes it, so a different model has another. */
const digestDe = (m: ModeloFalso) =>
  createHash("sha256")
    .update(JSON.stringify([m.id, m.contexto, m.capacidades]))
    .digest("hex");

/** Like Ollama's model names: without a tag, `:latest` (`llama3.2` is `llama3.2:latest`). */
const nomeCompleto = (nome: string) => (nome && !nome.slice(nome.lastIndexOf("/") + 1).includes(":") ? `${nome}:latest` : nome);

type PedidoOllama = {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  options?: { temperature?: number; num_predict?: number; top_p?: number; stop?: string[]; seed?: number };
};

export type OpcoesOllama = OpcoesServidorFalso & {
  /** OLLAMA_MAX_LOADED_MODELS: how many models stay loaded (0, the default here: no limit). */
  modelosMax?: number;
  /** How long loading a model takes (0 by default). */
  cargaMs?: number;
  /** OLLAMA_NUM_PARALLEL: requests one model runs at once (0, the default here: no limit). */
  paralelo?: number;
};

/** The load_duration (ns) Ollama reports when the model was already loaded. */
const CARGA_JA_FEITA_NS = 1334875;

/**
 * Ollama's own API (shared/provider-apis.md): errors `{"error": "…"}`, chat streams NDJSON by default.
 * Its scheduler, as Ollama's sched.go: inference requests get a model's runner one at a time, in order; one for a
 * model not loaded loads it (`cargaMs`, reported as `load_duration` in ns), and past `modelosMax` first unloads the
 * least recently used model, once the requests that model is serving have ended (it never cuts them). Then each
 * waits for one of its model's `paralelo` slots.
 */
export class OllamaFalso extends ServidorFalso {
  modelosMax: number;
  cargaMs: number;
  paralelo: number;
  /** Loads so far, per model. */
  readonly cargasPorModelo = new Map<string, number>();
  /** Requests are given a runner one at a time, in arrival order. */
  private agenda: Promise<unknown> = Promise.resolve();
  /** Requests bound to each model's runner (waiting for a slot or being served): it unloads only at 0. */
  private readonly emUso = new Map<string, number>();
  private readonly aoFicarOcioso = new Map<string, (() => void)[]>();
  private readonly usadoEm = new Map<string, number>();
  private readonly vagasDe = new Map<string, Vagas>();

  constructor(opcoes: OpcoesOllama = {}) {
    super(opcoes);
    this.modelosMax = opcoes.modelosMax ?? 0;
    this.cargaMs = opcoes.cargaMs ?? 0;
    this.paralelo = opcoes.paralelo ?? 0;
  }

  /** Loads so far, over all models. */
  get cargas(): number {
    return [...this.cargasPorModelo.values()].reduce((a, b) => a + b, 0);
  }

  protected override ocupaVaga(r: Requisicao): boolean {
    const rota = `${r.metodo} ${r.caminho}`;
    if (rota === "POST /v1/chat/completions" || rota === "POST /v1/completions" || rota === "POST /v1/messages") return true;
    if (rota !== "POST /api/chat" && rota !== "POST /api/generate") return false;
    const lido = lerJson(r.corpoTexto);
    const pedido = (lido.ok && lido.valor && typeof lido.valor === "object" ? lido.valor : {}) as {
      messages?: unknown[];
      prompt?: unknown;
    };
    return r.caminho === "/api/chat" ? Boolean(pedido.messages?.length) : Boolean(pedido.prompt);
  }

  /** Runs `passo` when the requests before it have their runner (Ollama's scheduler handles one at a time). */
  private agendar<T>(passo: () => Promise<T>): Promise<T> {
    const vez = this.agenda.then(passo);
    this.agenda = vez.catch(() => {});
    return vez;
  }

  /** Loads a model not loaded: first unloads the least recently used past `modelosMax`, once it is idle. */
  private async carregar(m: ModeloFalso, esperaMs: number): Promise<void> {
    while (this.modelosMax > 0) {
      const outros = this.modelos.filter((x) => x.carregado && x.id !== m.id);
      if (outros.length < this.modelosMax) break;
      const [lru] = outros.sort((a, b) => (this.usadoEm.get(a.id) ?? 0) - (this.usadoEm.get(b.id) ?? 0));
      if (!lru) break;
      await this.ocioso(lru.id);
      lru.carregado = false;
    }
    if (esperaMs) await esperar(esperaMs);
    m.carregado = true;
    this.usadoEm.set(m.id, Date.now());
    this.cargasPorModelo.set(m.id, (this.cargasPorModelo.get(m.id) ?? 0) + 1);
  }

  private ocioso(id: string): Promise<void> {
    if (!this.emUso.get(id)) return Promise.resolve();
    return new Promise((resolve) => this.aoFicarOcioso.set(id, [...(this.aoFicarOcioso.get(id) ?? []), resolve]));
  }

  /**
   * An inference request's turn: its model's runner (loaded now if needed), then one of its slots. The load's
   * duration in ns (0 when the model was loaded), or null when the client left meanwhile.
   */
  private async executar(res: ServerResponse, m: ModeloFalso): Promise<number | null> {
    const cargaNs = await this.agendar(async () => {
      if (this.fechada(res)) return null;
      const inicio = performance.now();
      const carregou = !m.carregado;
      if (carregou) await this.carregar(m, this.cargaMs);
      const ns = carregou ? Math.max(1, Math.round((performance.now() - inicio) * 1e6)) : 0;
      if (this.fechada(res)) return null;
      this.emUso.set(m.id, (this.emUso.get(m.id) ?? 0) + 1);
      this.usadoEm.set(m.id, Date.now());
      res.once("close", () => {
        const n = (this.emUso.get(m.id) ?? 1) - 1;
        this.emUso.set(m.id, n);
        this.usadoEm.set(m.id, Date.now());
        if (n > 0) return;
        const esperando = this.aoFicarOcioso.get(m.id) ?? [];
        this.aoFicarOcioso.delete(m.id);
        for (const e of esperando) e();
      });
      return ns;
    });
    if (cargaNs === null) return null;
    const vagas = this.vagasDe.get(m.id) ?? new Vagas(() => this.paralelo);
    this.vagasDe.set(m.id, vagas);
    return (await this.ocuparVaga(res, vagas)) ? cargaNs : null;
  }

  /** Its version (`/api/version`): from 0.14 it serves Anthropic's /v1/messages (no count_tokens). */
  versao = "0.12.3";
  /** Pretend to be an Ollama older than 0.1.38, without /api/ps. */
  semApiPs = false;
  /** /api/show answers 500 (a broken model file), while the rest of the API works. */
  showQuebrado = false;
  /**
   * What /api/pull can fetch, by full name (`name:tag`; a name without a tag is pulled as `:latest`): each
   * model's layers (digest, bytes). Anything else: "file does not exist".
   */
  readonly catalogoPull = new Map<string, { digest: string; total: number }[]>([
    [
      "llama3.2:1b",
      [
        { digest: "sha256:74701a8c35f6c8d9a4b91f3f3497643001d63e0c7a84e085bed452548fa88d45", total: 1_321_082_688 },
        { digest: "sha256:966de95ca8a62200913e3f8bfbf84c8494536f1b94b49166851e76644e966396", total: 1_429 },
      ],
    ],
  ]);
  /** Time between two progress lines of a pull. */
  passoPullMs = 40;
  /** Progress lines per layer. */
  passosPorCamada = 10;
  /** A pull that stops sending halfway (parar) or fails halfway with an error line (falhar). */
  falhaPull: "parar" | "falhar" | null = null;
  /** Pulls whose client went away before the end (the app cancelled). */
  pullsCancelados = 0;

  protected async rotear(r: Requisicao, res: ServerResponse): Promise<void> {
    // Ollama has no auth of its own; a reverse proxy in front of it answers 401 for a wrong key.
    if (!this.chaveConfere(r)) return this.json(res, 401, { error: "unauthorized" });
    if (this.falha === "erro_500") return this.json(res, 500, { error: "llama runner process has terminated: exit status 2" });
    const rota = `${r.metodo} ${r.caminho}`;
    switch (rota) {
      case "GET /":
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        return void res.end("Ollama is running");
      case "GET /api/version":
        return this.json(res, 200, { version: this.versao });
      case "GET /api/tags":
        return this.json(res, 200, {
          models: this.modelos.map((m) => ({
            name: m.id,
            model: m.id,
            modified_at: "2025-05-04T17:37:44-07:00",
            size: m.tamanho ?? 2019393189,
            digest: digestDe(m),
            details: {
              parent_model: "",
              format: "gguf",
              family: m.familia ?? "llama",
              families: [m.familia ?? "llama"],
              parameter_size: m.parametros ?? "3.2B",
              quantization_level: m.quantizacao ?? "Q4_K_M",
            },
          })),
        });
      case "GET /api/ps":
        if (this.semApiPs) break;
        return this.json(res, 200, {
          models: this.modelos
            .filter((m) => m.carregado)
            .map((m) => ({
              name: m.id,
              model: m.id,
              size: m.tamanho ?? 2019393189,
              digest: digestDe(m),
              details: { family: m.familia ?? "llama" },
              expires_at: "2099-06-04T14:38:31-07:00",
              size_vram: 5137025024,
              context_length: m.contextoCarregado ?? Math.min(m.contexto ?? 131072, 4096),
            })),
        });
      case "POST /api/show":
        return this.show(r, res);
      case "POST /api/chat":
        return this.chat(r, res);
      case "POST /api/embed":
        return this.embed(r, res);
      case "POST /api/embeddings":
        return this.embeddingsLegado(r, res);
      case "POST /api/generate":
        return this.generate(r, res);
      case "DELETE /api/delete":
        return this.excluir(r, res);
      case "POST /api/pull":
        return this.pull(r, res);
      case "GET /v1/models":
        return this.json(res, 200, {
          object: "list",
          data: this.modelos.length
            ? this.modelos.map((m) => ({ id: m.id, object: "model", created: 1746405464, owned_by: "library" }))
            : null,
        });
      case "POST /v1/chat/completions":
      case "POST /v1/completions":
      case "POST /v1/embeddings":
        return this.openai(r, res);
    }
    if (rota === "POST /v1/messages" && temMensagensAnthropic(this.versao)) return this.mensagensAnthropic(r, res);
    // Gin's answer for a route it does not have.
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404 page not found");
  }

  /** NDJSON as Ollama streams it: manifest, each layer as it grows, verifying, writing, success. */
  private async pull(r: Requisicao, res: ServerResponse): Promise<void> {
    const lido = lerJson(r.corpoTexto);
    const nome = nomeCompleto(lido.ok ? String((lido.valor as { model?: string; name?: string }).model ?? "") : "");
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    const linha = (o: unknown) => !res.destroyed && res.write(`${JSON.stringify(o)}\n`);
    linha({ status: "pulling manifest" });
    const camadas = this.catalogoPull.get(nome);
    if (!camadas) {
      linha({ error: "pull model manifest: file does not exist" });
      return void res.end();
    }
    const passos = camadas.length * this.passosPorCamada;
    let feitos = 0;
    for (const c of camadas) {
      for (let i = 1; i <= this.passosPorCamada; i++) {
        await esperar(this.passoPullMs);
        if (res.destroyed) {
          this.pullsCancelados += 1;
          return;
        }
        feitos += 1;
        if (feitos > passos / 2 && this.falhaPull === "falhar") {
          linha({ error: "max retries exceeded: write /root/.ollama/models/blobs/partial: no space left on device" });
          return void res.end();
        }
        if (feitos > passos / 2 && this.falhaPull === "parar") {
          // stalls: the connection stays open, nothing more comes
          await new Promise<void>((fim) => res.on("close", () => fim()));
          this.pullsCancelados += 1;
          return;
        }
        linha({
          status: `pulling ${c.digest}`,
          digest: c.digest,
          total: c.total,
          completed: Math.round((c.total * i) / this.passosPorCamada),
        });
      }
    }
    linha({ status: "verifying sha256 digest" });
    linha({ status: "writing manifest" });
    if (!this.modelos.some((m) => m.id === nome))
      this.modelos.push({ id: nome, carregado: false, tamanho: camadas.reduce((n, c) => n + c.total, 0) });
    linha({ status: "success" });
    res.end();
  }

  /** Only what the app uses: no prompt (a chat: no messages) loads the model (keep_alive ≠ 0) or unloads it (keep_alive 0). */
  private async generate(r: Requisicao, res: ServerResponse): Promise<void> {
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return this.json(res, 400, { error: "invalid character 'x' looking for beginning of value" });
    const pedido = lido.valor as { model?: string; keep_alive?: number | string; prompt?: string; options?: { num_ctx?: number } };
    const modelo = this.modelos.find((m) => m.id === pedido.model);
    if (!modelo) return this.json(res, 404, { error: `model '${pedido.model ?? ""}' not found` });
    if (pedido.prompt) {
      const cargaNs = await this.executar(res, modelo);
      if (cargaNs === null) return;
      return this.gerar(res, modelo.id, pedido as PedidoOllama & { prompt: string }, cargaNs);
    }
    const descarregar = pedido.keep_alive === 0 || pedido.keep_alive === "0";
    if (!descarregar) await this.agendar(async () => (modelo.carregado ? undefined : this.carregar(modelo, this.cargaMs)));
    // A load takes a while (atrasoMs); the answer comes when the model is in memory.
    if (!descarregar && this.atrasoMs && this.falha === null) await esperar(this.atrasoMs);
    modelo.carregado = !descarregar;
    if (!descarregar && pedido.options?.num_ctx) modelo.contextoCarregado = pedido.options.num_ctx;
    const vazio = r.caminho === "/api/chat" ? { message: { role: "assistant", content: "" } } : { response: "" };
    return this.json(res, 200, {
      model: modelo.id,
      created_at: new Date().toISOString(),
      ...vazio,
      done: true,
      done_reason: descarregar ? "unload" : "load",
    });
  }

  /** A prompt on /api/generate: chat's lines with `response` in place of `message`, NDJSON unless stream is false. */
  private async gerar(res: ServerResponse, modelo: string, pedido: PedidoOllama & { prompt: string }, cargaNs: number): Promise<void> {
    if (this.velocidade) {
      const prompt = tokensDoPrompt({ prompt: pedido.prompt });
      return this.responderNoRitmo(this.velocidade, res, modelo, "response", prompt, pedido, cargaNs);
    }
    const tokens = this.tokens();
    const criado = new Date().toISOString();
    const fim = {
      model: modelo,
      created_at: criado,
      response: "",
      done: true,
      done_reason: "stop",
      context: [1, 2, 3],
      total_duration: 4883583458 + cargaNs,
      load_duration: cargaNs || CARGA_JA_FEITA_NS,
      prompt_eval_count: tokensDoPrompt({ prompt: pedido.prompt }),
      prompt_eval_duration: 342546000,
      eval_count: tokens.length,
      eval_duration: tokens.length * 20_000_000,
    };
    if (pedido.stream === false) return this.json(res, 200, { ...fim, response: tokens.join("") });
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    const linhas = [
      ...tokens.map((t) => `${JSON.stringify({ model: modelo, created_at: criado, response: t, done: false })}\n`),
      `${JSON.stringify(fim)}\n`,
    ];
    if (await this.escreverPedacos(res, linhas)) res.end();
  }

  /**
   * /api/chat (`message`) or /api/generate (`response`) at the set speed: exactly `options.num_predict` tokens
   * (128 when unset or negative), NDJSON lines from the first token on (stream is the default), the final line
   * (or the whole answer) with the durations measured, in ns; with `comTimings: false` only the counts.
   */
  private async responderNoRitmo(
    velocidade: Velocidade,
    res: ServerResponse,
    modelo: string,
    campo: "message" | "response",
    prompt: number,
    pedido: PedidoOllama,
    cargaNs: number,
  ): Promise<void> {
    const pedidos = tokensPedidos(pedido.options?.num_predict);
    const tokens = tokensDeEnchimento(this.tokens(), pedidos ?? TOKENS_PADRAO);
    const motivo = pedidos === undefined ? "stop" : "length";
    const criado = new Date().toISOString();
    const conteudo = (t: string) => (campo === "message" ? { message: { role: "assistant", content: t } } : { response: t });
    const linha = (o: unknown) => `${JSON.stringify(o)}\n`;
    const transmitir = pedido.stream !== false;
    const m = await gerarNoRitmo(res, velocidade, prompt, tokens.length, (de, ate) => {
      if (!transmitir) return;
      if (de === 0) res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write(
        tokens
          .slice(de, ate)
          .map((t) => linha({ model: modelo, created_at: criado, ...conteudo(t), done: false }))
          .join(""),
      );
    });
    if (!m) return;
    const fim = {
      model: modelo,
      created_at: criado,
      ...conteudo(transmitir ? "" : tokens.join("")),
      done: true,
      done_reason: motivo,
      ...(campo === "response" ? { context: [1, 2, 3] } : {}),
      ...metricasOllama(m, cargaNs, velocidade.comTimings !== false),
    };
    if (!transmitir) return this.json(res, 200, fim);
    if (!res.headersSent) res.writeHead(200, { "content-type": "application/x-ndjson" });
    res.end(linha(fim));
  }

  private excluir(r: Requisicao, res: ServerResponse): void {
    const lido = lerJson(r.corpoTexto);
    const nome = lido.ok ? (lido.valor as { model?: string; name?: string }).model : undefined;
    const i = this.modelos.findIndex((m) => m.id === nome);
    if (i < 0) return this.json(res, 404, { error: `model '${nome ?? ""}' not found` });
    this.modelos.splice(i, 1);
    res.writeHead(200, { "content-length": 0 });
    res.end();
  }

  private show(r: Requisicao, res: ServerResponse): void {
    if (!r.corpoTexto) return this.json(res, 400, { error: "missing request body" });
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return this.json(res, 400, { error: "invalid character 'x' looking for beginning of value" });
    const pedido = lido.valor as { model?: string; name?: string };
    const nome = pedido.model || pedido.name;
    if (!nome) return this.json(res, 400, { error: "model is required" });
    const m = this.modelos.find((x) => x.id === nome);
    if (!m) return this.json(res, 404, { error: `model '${nome}' not found` });
    if (this.showQuebrado) return this.json(res, 500, { error: "unable to load model file" });
    const arquitetura = m.familia ?? "llama";
    return this.json(res, 200, {
      modelfile: `FROM ${m.id}`,
      parameters: 'stop "<|eot_id|>"',
      template: "{{ .Prompt }}",
      details: {
        parent_model: "",
        format: "gguf",
        family: arquitetura,
        families: [arquitetura],
        parameter_size: m.parametros ?? "3.2B",
        quantization_level: m.quantizacao ?? "Q4_K_M",
      },
      model_info: {
        "general.architecture": arquitetura,
        "general.parameter_count": 3212749888,
        [`${arquitetura}.context_length`]: m.contexto ?? 131072,
        [`${arquitetura}.embedding_length`]: 3072,
      },
      capabilities: m.capacidades ?? ["completion", "tools"],
      modified_at: "2025-05-04T17:37:44-07:00",
    });
  }

  /** Ollama's Anthropic endpoint (0.14+): errors in Anthropic's shape `{type:"error", error:{type, message}}`. */
  private async mensagensAnthropic(r: Requisicao, res: ServerResponse): Promise<void> {
    const erro = (status: number, type: string, message: string) => this.json(res, status, { type: "error", error: { type, message } });
    const lido = lerJson(r.corpoTexto);
    const nome = lido.ok ? (lido.valor as { model?: string }).model : undefined;
    if (lido.ok && !nome) return erro(400, "invalid_request_error", "model is required");
    const modelo = this.modelos.find((m) => m.id === nome);
    if (lido.ok && !modelo) return erro(404, "not_found_error", `model '${nome}' not found`);
    if (modelo && (await this.executar(res, modelo)) === null) return;
    const jsonInvalido = () => erro(400, "invalid_request_error", "invalid character 'x' looking for beginning of value");
    await atenderAnthropic(this, r, res, {
      modelo: nome ?? "",
      contagem: false,
      jsonInvalido,
      recusar: (_, status, tipo, mensagem) => erro(status, tipo, mensagem),
      semToolChoice: true,
    });
  }

  /** Ollama's OpenAI endpoints: errors `{"error":{"message","type","param","code"}}` (shared/provider-apis.md). */
  private async openai(r: Requisicao, res: ServerResponse): Promise<void> {
    const erro = (status: number, message: string) =>
      this.json(res, status, {
        error: {
          message,
          type: status === 404 ? "not_found_error" : status === 400 ? "invalid_request_error" : "api_error",
          param: null,
          code: null,
        },
      });
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return erro(400, "invalid character 'x' looking for beginning of value");
    const pedido = lido.valor as PedidoOpenAI & { input?: unknown };
    if (!pedido.model) return erro(400, "model is required");
    const modelo = this.modelos.find((m) => m.id === pedido.model);
    if (!modelo) return erro(404, `model '${pedido.model}' not found`);
    if (r.caminho === "/v1/embeddings") return responderEmbeddingsOpenAI(res, pedido, modelo.id, (m) => erro(400, m));
    if ((await this.executar(res, modelo)) === null) return;
    return responderChatOpenAI(this, res, pedido, modelo.id);
  }

  private embed(r: Requisicao, res: ServerResponse): void {
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return this.json(res, 400, { error: "invalid character 'x' looking for beginning of value" });
    const pedido = lido.valor as { model?: string; input?: unknown };
    if (!pedido.model) return this.json(res, 400, { error: "model is required" });
    if (!this.modelos.some((m) => m.id === pedido.model)) return this.json(res, 404, { error: `model '${pedido.model}' not found` });
    const v = vetoresDe(pedido.input);
    if (!v) return this.json(res, 400, { error: "invalid input type" });
    return this.json(res, 200, {
      model: pedido.model,
      embeddings: v.vetores,
      total_duration: 14143917,
      load_duration: 1019500,
      prompt_eval_count: v.tokens,
    });
  }

  /** The legacy /api/embeddings: one `prompt`, one `embedding` (not normalised, unlike /api/embed's), no model field. */
  private embeddingsLegado(r: Requisicao, res: ServerResponse): void {
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return this.json(res, 400, { error: "invalid character 'x' looking for beginning of value" });
    const pedido = lido.valor as { model?: string; prompt?: unknown };
    if (!this.modelos.some((m) => m.id === pedido.model)) return this.json(res, 404, { error: `model '${pedido.model ?? ""}' not found` });
    const v = vetoresDe(typeof pedido.prompt === "string" ? pedido.prompt : "");
    return this.json(res, 200, { embedding: v?.vetores[0] ?? [] });
  }

  private async chat(r: Requisicao, res: ServerResponse): Promise<void> {
    if (!r.corpoTexto) return this.json(res, 400, { error: "missing request body" });
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return this.json(res, 400, { error: "invalid character 'x' looking for beginning of value" });
    const pedido = lido.valor as PedidoOllama;
    if (!pedido.model) return this.json(res, 400, { error: "model is required" });
    const modelo = this.modelos.find((m) => m.id === pedido.model);
    if (!modelo) return this.json(res, 404, { error: `model '${pedido.model}' not found` });
    // No messages: a load (or, keep_alive 0, an unload), answered as generate answers one.
    if (!pedido.messages?.length) return this.generate(r, res);
    const cargaNs = await this.executar(res, modelo);
    if (cargaNs === null) return;
    if (this.velocidade) {
      const prompt = tokensDoPrompt({ messages: pedido.messages });
      return this.responderNoRitmo(this.velocidade, res, pedido.model, "message", prompt, pedido, cargaNs);
    }

    let tokens = this.tokens();
    let motivo = "stop";
    const limite = pedido.options?.num_predict;
    if (limite !== undefined && limite >= 0 && tokens.length > limite) {
      tokens = tokens.slice(0, limite);
      motivo = "length";
    }
    const prompt = tokensDoPrompt({ messages: pedido.messages });
    const criado = new Date().toISOString();
    const metricas = {
      total_duration: 4883583458 + cargaNs,
      load_duration: cargaNs || CARGA_JA_FEITA_NS,
      prompt_eval_count: prompt,
      prompt_eval_duration: 342546000,
      eval_count: tokens.length,
      eval_duration: tokens.length * 20_000_000,
    };

    // stream defaults to true
    if (pedido.stream === false) {
      return this.json(res, 200, {
        model: pedido.model,
        created_at: criado,
        message: { role: "assistant", content: tokens.join("") },
        done: true,
        done_reason: motivo,
        ...metricas,
      });
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    if (this.falha === "erro_no_stream") {
      // An error after output started: a final {"error"} line, and the status stays 200.
      const inicio = tokens
        .slice(0, 2)
        .map(
          (t) =>
            `${JSON.stringify({ model: pedido.model, created_at: criado, message: { role: "assistant", content: t }, done: false })}\n`,
        );
      if (
        await this.escreverPedacos(res, [
          ...inicio,
          `${JSON.stringify({ error: "an error was encountered while running the model: CUDA error: out of memory" })}\n`,
        ])
      )
        res.end();
      return;
    }
    const linhas = [
      ...tokens.map(
        (t) => `${JSON.stringify({ model: pedido.model, created_at: criado, message: { role: "assistant", content: t }, done: false })}\n`,
      ),
      `${JSON.stringify({ model: pedido.model, created_at: criado, message: { role: "assistant", content: "" }, done: true, done_reason: motivo, ...metricas })}\n`,
    ];
    if (await this.escreverPedacos(res, linhas)) res.end();
  }
}

/** Whether an Ollama of this version serves Anthropic's /v1/messages (from 0.14). */
function temMensagensAnthropic(versao: string): boolean {
  const [maior = 0, menor = 0] = versao.split(".").map(Number);
  return maior > 0 || menor >= 14;
}
