import type { ServerResponse } from "node:http";
import { atenderAnthropic } from "./anthropic-nativo";
import { esperar, lerJson, type OpcoesServidorFalso, ServidorFalso, type Requisicao, Vagas } from "./base";
import { responderChatOpenAI, responderEmbeddingsOpenAI, type PedidoOpenAI } from "./openai-chat";
import { type PedidoResponses, recusaDoResponses, responderResponsesNativo } from "./responses-nativo";
import { type Medicao, statsLmStudio } from "./velocidade";

/** The chat routes, which run in one of the server's parallel predictions when a speed is set. */
const ROTAS_DE_CHAT = new Set(["POST /v1/chat/completions", "POST /v1/completions", "POST /api/v0/chat/completions"]);

export type OpcoesLmStudio = OpcoesServidorFalso & {
  /** "Max Concurrent Predictions": chats run at once under a set speed (0, the default here: no limit). */
  paralelo?: number;
};

/** `/api/v0/chat/completions`' additions to the OpenAI answer (shared/provider-apis.md): `stats`, `model_info`, `runtime`. */
function extrasApiV0(contexto: number) {
  return (_n: number, medicao?: Medicao, finish = "stop") => ({
    stats: medicao
      ? statsLmStudio(medicao, finish)
      : { tokens_per_second: 51.4, time_to_first_token: 0.111, generation_time: 0.954, stop_reason: "eosFound" },
    model_info: { arch: "llama", quant: "Q4_K_M", format: "gguf", context_length: contexto },
    runtime: { name: "llama.cpp-linux-x86_64-avx2", version: "1.50.2", supported_formats: ["gguf"] },
  });
}

/** LM Studio's server: OpenAI API under /v1, REST API under /api/v0; unknown paths answer 200 with an `error`. */
export class LmStudioFalso extends ServidorFalso {
  /** Pretend to be an LM Studio older than 0.3.6, without /api/v0. */
  semApiV0 = false;
  /** Pretend to be an LM Studio older than 0.4, without /api/v1 (model management). */
  semApiV1 = false;
  /** Pretend to be an LM Studio older than 0.4.1, without Anthropic's /v1/messages ("Unexpected endpoint"). */
  semMensagensAnthropic = false;
  /** Pretend to be an LM Studio older than 0.3.29, without /v1/responses (its unknown-route answer). */
  semResponses = false;
  /** What /api/v1/models/download can fetch (catalogue key → bytes); each status poll advances a third. */
  readonly catalogoDownload = new Map<string, number>([["ibm/granite-4-micro", 2_147_483_648]]);
  /** Download jobs fail halfway (a network error on LM Studio's side). */
  downloadFalha = false;
  private readonly trabalhos = new Map<string, { modelo: string; total: number; baixados: number }>();
  /** Chats run at once under a set speed (0: no limit); without one, chats take no slot, as before. */
  paralelo: number;
  readonly vagas = new Vagas(() => this.paralelo);

  constructor(opcoes: OpcoesLmStudio = {}) {
    super(opcoes);
    this.paralelo = opcoes.paralelo ?? 0;
  }

  protected override ocupaVaga(r: Requisicao): boolean {
    return this.velocidade !== null && ROTAS_DE_CHAT.has(`${r.metodo} ${r.caminho}`);
  }

  /** LM Studio's 404 for an unknown model (shared/provider-apis.md, "Unknown model"). */
  private modeloNaoEncontrado(res: ServerResponse, modelo: string | undefined): void {
    this.json(res, 404, {
      error: {
        message: `Model "${modelo}" not found. Please specify a valid model.`,
        type: "invalid_request_error",
        param: "model",
        code: "model_not_found",
      },
    });
  }

  protected async rotear(r: Requisicao, res: ServerResponse): Promise<void> {
    if (this.falha === "erro_500") return this.json(res, 500, { error: "Internal server error" });
    if (!this.chaveConfere(r)) {
      return this.json(res, 401, { error: { message: "Invalid or missing API token", type: "invalid_request", code: "invalid_api_key" } });
    }
    const rota = `${r.metodo} ${r.caminho}`;
    if (rota === "GET /v1/models") {
      return this.json(res, 200, {
        object: "list",
        data: this.modelos.map((m) => ({ id: m.id, object: "model", owned_by: "organization_owner" })),
      });
    }
    if (rota === "GET /api/v0/models" && !this.semApiV0) {
      return this.json(res, 200, {
        object: "list",
        data: this.modelos.map((m) => ({
          id: m.id,
          object: "model",
          type: "llm",
          publisher: "lmstudio-community",
          arch: m.familia ?? "llama",
          compatibility_type: "gguf",
          quantization: m.quantizacao ?? "Q4_K_M",
          state: m.carregado ? "loaded" : "not-loaded",
          max_context_length: m.contexto ?? 131072,
          ...(m.carregado ? { loaded_context_length: m.contextoCarregado ?? 4096 } : {}),
        })),
      });
    }
    if (!this.semApiV1 && rota === "GET /api/v1/models") {
      return this.json(res, 200, {
        models: this.modelos.map((m) => ({
          type: "llm",
          key: m.id,
          loaded_instances: m.carregado ? [{ id: m.id, config: { context_length: m.contextoCarregado ?? 4096 } }] : [],
          max_context_length: m.contexto ?? 131072,
          format: "gguf",
        })),
      });
    }
    if (!this.semApiV1 && rota === "POST /api/v1/models/load") {
      const lido = lerJson(r.corpoTexto);
      const pedido = (lido.ok ? lido.valor : {}) as { model?: string; context_length?: number };
      const modelo = this.modelos.find((m) => m.id === pedido.model);
      if (!modelo) return this.modeloNaoEncontrado(res, pedido.model);
      if (this.atrasoMs && this.falha === null) await esperar(this.atrasoMs);
      modelo.carregado = true;
      modelo.contextoCarregado = pedido.context_length ?? 4096;
      return this.json(res, 200, { type: "llm", instance_id: modelo.id, load_time_seconds: 9.1, status: "loaded" });
    }
    if (!this.semApiV1 && rota === "POST /api/v1/models/download") {
      const lido = lerJson(r.corpoTexto);
      const modelo = String((lido.ok ? (lido.valor as { model?: string }) : {}).model ?? "");
      if (this.modelos.some((m) => m.id === modelo)) return this.json(res, 200, { status: "already_downloaded" });
      const total = this.catalogoDownload.get(modelo);
      if (total === undefined) return this.modeloNaoEncontrado(res, modelo);
      const job_id = `job_${this.trabalhos.size + 1}`;
      this.trabalhos.set(job_id, { modelo, total, baixados: 0 });
      return this.json(res, 200, { job_id, status: "downloading", total_size_bytes: total, started_at: new Date().toISOString() });
    }
    if (!this.semApiV1 && r.metodo === "GET" && r.caminho.startsWith("/api/v1/models/download/status/")) {
      const job_id = decodeURIComponent(r.caminho.slice("/api/v1/models/download/status/".length));
      const t = this.trabalhos.get(job_id);
      if (!t) return this.json(res, 404, { error: { message: `No download job "${job_id}".`, type: "invalid_request_error" } });
      t.baixados = Math.min(t.total, t.baixados + Math.ceil(t.total / 3));
      const falhou = this.downloadFalha && t.baixados > t.total / 2;
      const status = falhou ? "failed" : t.baixados >= t.total ? "completed" : "downloading";
      if (status === "completed" && !this.modelos.some((m) => m.id === t.modelo)) this.modelos.push({ id: t.modelo, carregado: false });
      return this.json(res, 200, {
        job_id,
        status,
        total_size_bytes: t.total,
        downloaded_bytes: t.baixados,
        bytes_per_second: 52_428_800,
        started_at: new Date().toISOString(),
      });
    }
    if (!this.semApiV1 && rota === "POST /api/v1/models/unload") {
      const lido = lerJson(r.corpoTexto);
      const instancia = (lido.ok ? (lido.valor as { instance_id?: string }) : {}).instance_id;
      const modelo = this.modelos.find((m) => m.id === instancia && m.carregado);
      if (!modelo) return this.json(res, 404, { error: { message: `No loaded instance "${instancia}".`, type: "invalid_request_error" } });
      modelo.carregado = false;
      return this.json(res, 200, { instance_id: instancia });
    }
    if (!this.semMensagensAnthropic && rota === "POST /v1/messages") {
      const lido = lerJson(r.corpoTexto);
      const nome = lido.ok ? (lido.valor as { model?: string }).model : undefined;
      // LM Studio's docs do not show this route's errors: Anthropic's shape, which its Anthropic clients read.
      const recusar = (res: ServerResponse, status: number, type: string, message: string) =>
        this.json(res, status, { type: "error", error: { type, message } });
      if (lido.ok && !nome) return recusar(res, 400, "invalid_request_error", "'model' field is required");
      const modelo = this.modelos.find((m) => m.id === nome);
      if (lido.ok && !modelo) return recusar(res, 404, "not_found_error", `Model "${nome}" not found. Please specify a valid model.`);
      const jsonInvalido = (res: ServerResponse) => recusar(res, 400, "invalid_request_error", "Invalid JSON in request body");
      if (await atenderAnthropic(this, r, res, { modelo: modelo?.id ?? "", contagem: false, jsonInvalido, recusar })) return;
    }
    if (rota === "POST /v1/embeddings") {
      const lido = lerJson(r.corpoTexto);
      const pedido = (lido.ok ? lido.valor : {}) as { model?: string; input?: unknown; encoding_format?: unknown };
      const modelo = this.modelos.find((m) => m.id === pedido.model);
      if (!modelo) {
        return this.modeloNaoEncontrado(res, pedido.model);
      }
      return responderEmbeddingsOpenAI(res, pedido, modelo.id, (m) => this.json(res, 400, { error: m }));
    }
    if (
      rota === "POST /v1/chat/completions" ||
      rota === "POST /v1/completions" ||
      (rota === "POST /api/v0/chat/completions" && !this.semApiV0)
    ) {
      const lido = lerJson(r.corpoTexto);
      if (!lido.ok) return this.json(res, 400, { error: `'messages' field is required` });
      const pedido = lido.valor as PedidoOpenAI;
      if (!this.modelos.some((m) => m.carregado)) {
        // Only the message is documented (404 in 0.3.5, 400 later): match on "No models loaded".
        return this.json(res, 400, {
          error: { message: "No models loaded. Please load a model in the developer page or use the `lms load` command." },
        });
      }
      const modelo = this.modelos.find((m) => m.id === pedido.model);
      if (!modelo) {
        return this.modeloNaoEncontrado(res, pedido.model);
      }
      if (this.ocupaVaga(r) && !(await this.ocuparVaga(res, this.vagas))) return;
      const extras = r.caminho.startsWith("/api/v0/") ? extrasApiV0(modelo.contextoCarregado ?? 4096) : undefined;
      return responderChatOpenAI(this, res, pedido, modelo.id, extras);
    }
    if (rota === "POST /v1/responses" && !this.semResponses) {
      const lido = lerJson(r.corpoTexto);
      const pedido = (lido.ok ? lido.valor : {}) as PedidoResponses;
      const recusa = lido.ok ? recusaDoResponses(pedido) : "Invalid JSON in request body";
      if (recusa) return this.json(res, 400, { error: { message: recusa, type: "invalid_request_error", param: null, code: null } });
      const modelo = this.modelos.find((m) => m.id === pedido.model);
      if (!modelo) return this.modeloNaoEncontrado(res, pedido.model);
      return responderResponsesNativo(this, res, pedido, modelo.id);
    }
    return this.json(res, 200, { error: `Unexpected endpoint or method. (${r.metodo} ${r.caminho})` });
  }
}
