import type { ServerResponse } from "node:http";
import { atenderAnthropic } from "./anthropic-nativo";
import { lerJson, type OpcoesServidorFalso, ServidorFalso, type Requisicao, Vagas } from "./base";
import { responderChatOpenAI, responderEmbeddingsOpenAI, tokensDoPrompt, type PedidoOpenAI } from "./openai-chat";
import { type PedidoResponses, recusaDoResponses, responderResponsesNativo } from "./responses-nativo";
import { timingsLlama } from "./velocidade";

const SERVIDOR = { server: "llama.cpp" };

/** The routes that run in a slot: generation, and embeddings (which take one too). */
const ROTAS_NUMA_VAGA = new Set([
  "POST /v1/chat/completions",
  "POST /chat/completions",
  "POST /v1/completions",
  "POST /completions",
  "POST /v1/responses",
  "POST /responses",
  "POST /v1/messages",
  "POST /v1/embeddings",
  "POST /embeddings",
]);

export type OpcoesLlamaCpp = OpcoesServidorFalso & {
  /** Parallel slots (`-np`), 1 by default: what /props says in `total_slots` and /slots lists. */
  slots?: number;
};

/**
 * The fake tokenizer's pieces: one per word (its leading space kept, so the pieces rejoin into the text), but a
 * bracketed word (a benchmark's nonce) splits as a real tokenizer splits one: its brackets, then 3 characters at
 * a time. A prompt's size then has a fixed part beyond its words, as on a real server.
 */
export function pecasDoTexto(texto: string): string[] {
  return (texto.match(/\s*\S+/g) ?? []).flatMap((p) => {
    const m = /^(\s*)\[([^\]\s]+)\]$/.exec(p);
    return m ? [`${m[1]}[`, ...(m[2]!.match(/.{1,3}/g) ?? []), "]"] : [p];
  });
}

/** The request with its text content as pieces apart, so the word count of the chat's prompt sees them. */
function emPecas(p: PedidoOpenAI): PedidoOpenAI {
  if (typeof p !== "object" || p === null) return p;
  const separar = (t: string) => (/\[[^\]\s]+\]/.test(t) ? pecasDoTexto(t).join(" ") : t);
  return {
    ...p,
    ...(typeof p.prompt === "string" ? { prompt: separar(p.prompt) } : {}),
    ...(Array.isArray(p.messages)
      ? {
          messages: p.messages.map((m) => (typeof m.content === "string" && m.role !== "tool" ? { ...m, content: separar(m.content) } : m)),
        }
      : {}),
  };
}

/** llama.cpp's llama-server, as captured in shared/provider-apis.md: one loaded model, errors `{error:{code,message,type}}`. */
export class LlamaCppFalso extends ServidorFalso {
  /** Started without `--embeddings`: /v1/embeddings answers 501. */
  semEmbeddings = false;
  /**
   * The model's chat template, which the real /props carries as `chat_template` (tool-calling templates run
   * past 64 KiB). Left out when unset, as the short captured body in provider-apis.md shows it.
   */
  templateDoChat: string | null = null;
  /** An older build, without Anthropic's /v1/messages and count_tokens: 404 "File Not Found" like any unknown path. */
  semMensagensAnthropic = false;
  /** A build from before `/v1/responses` (late 2025): the route answers 404 "File Not Found". */
  semResponses = false;
  /** Its parallel slots (`-np`): a request beyond them waits inside the server for one (never refused). */
  slots: number;
  readonly vagas = new Vagas(() => this.slots);
  /** /tokenize's vocabulary: one id per distinct word piece, from 100 (1 and 2 are BOS and EOS, as in llama's vocab). */
  private readonly vocabulario = new Map<string, number>();
  private readonly pecas = new Map<number, string>();

  constructor(opcoes: OpcoesLlamaCpp = {}) {
    super(opcoes);
    this.slots = opcoes.slots ?? 1;
  }

  protected override ocupaVaga(r: Requisicao): boolean {
    return ROTAS_NUMA_VAGA.has(`${r.metodo} ${r.caminho}`);
  }

  private erro(res: ServerResponse, code: number, type: string, message: string, extra: Record<string, unknown> = {}) {
    this.json(res, code, { error: { code, message, type, ...extra } }, { ...SERVIDOR, connection: "close" });
  }

  protected async rotear(r: Requisicao, res: ServerResponse): Promise<void> {
    const rota = `${r.metodo} ${r.caminho}`;
    if (this.falha === "carregando") return this.erro(res, 503, "unavailable_error", "Loading model");
    if (this.falha === "erro_500") return this.erro(res, 500, "server_error", "internal error: llama_decode failed");
    if (rota === "GET /health" || rota === "GET /v1/health") return this.json(res, 200, { status: "ok" }, SERVIDOR);
    if (!this.chaveConfere(r)) return this.erro(res, 401, "authentication_error", "Invalid API Key");
    const modelo = this.modelos[0]!;
    // Before anything else the request waits for a slot (and, under `lento`, is held in it).
    if (this.ocupaVaga(r) && !(await this.ocuparVaga(res, this.vagas))) return;
    const jsonInvalido = (res: ServerResponse, e: string) =>
      this.erro(res, 500, "server_error", `[json.exception.parse_error.101] parse error at line 1, column 1: ${e}`);
    if (
      !this.semMensagensAnthropic &&
      (await atenderAnthropic(this, r, res, {
        modelo: modelo.id,
        contagem: true,
        jsonInvalido,
        recusar: (res, status, tipo, mensagem) => this.erro(res, status, tipo, mensagem),
        contexto: modelo.contexto,
        cabecalhos: SERVIDOR,
      }))
    )
      return;
    switch (rota) {
      case "GET /v1/models":
      case "GET /models":
        return this.json(
          res,
          200,
          {
            models: [
              {
                name: modelo.id,
                model: modelo.id,
                modified_at: "",
                size: "",
                digest: "",
                type: "model",
                description: "",
                tags: [""],
                capabilities: ["completion"],
                parameters: "",
                details: { parent_model: "", format: "gguf", family: "", families: [""], parameter_size: "", quantization_level: "" },
              },
            ],
            object: "list",
            data: [
              {
                id: modelo.id,
                aliases: [modelo.id],
                tags: [],
                object: "model",
                created: 1795533450,
                owned_by: "llamacpp",
                meta: {
                  vocab_type: 1,
                  n_vocab: 32000,
                  n_ctx: modelo.contexto ?? 2048,
                  n_ctx_train: 2048,
                  n_embd: 64,
                  n_params: 4178240,
                  size: modelo.tamanho ?? 16712960,
                  ftype: modelo.quantizacao ?? "all F32",
                },
              },
            ],
          },
          SERVIDOR,
        );
      case "GET /props":
        return this.json(
          res,
          200,
          {
            model_alias: modelo.id,
            model_path: `models/${modelo.id}.gguf`,
            build_info: "b1-de3ff81",
            total_slots: this.slots,
            default_generation_settings: { n_ctx: modelo.contexto ?? 2048 },
            modalities: { vision: false, audio: false },
            ...(this.templateDoChat === null ? {} : { chat_template: this.templateDoChat }),
          },
          SERVIDOR,
        );
      case "GET /slots":
        // One object per slot; `is_processing` while a request runs in it.
        return this.json(
          res,
          200,
          Array.from({ length: Math.max(this.slots, 1) }, (_, id) => ({
            id,
            id_task: id < this.vagas.ocupadas ? id + 1 : -1,
            n_ctx: modelo.contexto ?? 2048,
            speculative: false,
            is_processing: id < this.vagas.ocupadas,
          })),
          SERVIDOR,
        );
      case "POST /v1/embeddings":
      case "POST /embeddings": {
        if (this.semEmbeddings)
          return this.erro(res, 501, "not_supported_error", "This server does not support embeddings. Start it with `--embeddings`");
        const lido = lerJson(r.corpoTexto);
        return responderEmbeddingsOpenAI(res, lido.ok ? (lido.valor as { input?: unknown }) : {}, modelo.id, (m) =>
          this.erro(res, 400, "invalid_request_error", m),
        );
      }
      case "POST /v1/completions":
      case "POST /completions":
      case "POST /v1/chat/completions":
      case "POST /chat/completions": {
        const lido = lerJson(r.corpoTexto);
        if (!lido.ok)
          return this.erro(res, 500, "server_error", `[json.exception.parse_error.101] parse error at line 1, column 1: ${lido.erro}`);
        // Counted as the tokenizer sees it: a bracketed word in pieces (see pecasDoTexto).
        const pedido = emPecas(lido.valor as PedidoOpenAI);
        if (r.caminho.endsWith("/completions") && !r.caminho.includes("chat")) {
          if (pedido.prompt === undefined) return this.erro(res, 400, "invalid_request_error", '"prompt" must be provided');
        } else {
          if (pedido.messages === undefined) return this.erro(res, 400, "invalid_request_error", "'messages' is required");
          if (!Array.isArray(pedido.messages)) return this.erro(res, 400, "invalid_request_error", "Expected 'messages' to be an array");
        }
        // The server's context (`-c`, the model's `contexto` here) bounds the prompt.
        const nPrompt = tokensDoPrompt(pedido);
        if (modelo.contexto !== undefined && nPrompt > modelo.contexto) {
          return this.erro(
            res,
            400,
            "exceed_context_size_error",
            `request (${nPrompt} tokens) exceeds the available context size (${modelo.contexto} tokens), try increasing it`,
            { n_prompt_tokens: nPrompt, n_ctx: modelo.contexto },
          );
        }
        // An unknown `model` is not an error: the loaded model answers and says its name.
        return responderChatOpenAI(
          this,
          res,
          pedido,
          modelo.id,
          (n, medicao) => ({
            timings: medicao
              ? timingsLlama(medicao)
              : {
                  cache_n: 0,
                  prompt_n: 9,
                  prompt_ms: 3.016,
                  prompt_per_token_ms: 0.335,
                  prompt_per_second: 2984.08,
                  predicted_n: n,
                  predicted_ms: 1.821,
                  predicted_per_token_ms: 0.91,
                  predicted_per_second: 1098.29,
                },
          }),
          SERVIDOR,
        );
      }
      case "POST /tokenize":
        return this.tokenizar(r, res);
      case "POST /detokenize":
        return this.destokenizar(r, res);
      case "POST /v1/responses":
      case "POST /responses": {
        if (this.semResponses) return this.erro(res, 404, "not_found_error", "File Not Found");
        const lido = lerJson(r.corpoTexto);
        if (!lido.ok)
          return this.erro(res, 500, "server_error", `[json.exception.parse_error.101] parse error at line 1, column 1: ${lido.erro}`);
        const recusa = recusaDoResponses(lido.valor as PedidoResponses);
        if (recusa) return this.erro(res, 400, "invalid_request_error", recusa);
        const timings = { cache_n: 29, prompt_n: 1, prompt_ms: 0.6, predicted_n: 3, predicted_ms: 1.9 };
        return responderResponsesNativo(this, res, lido.valor as PedidoResponses, modelo.id, { timings }, SERVIDOR);
      }
      default:
        return this.erro(res, 404, "not_found_error", "File Not Found");
    }
  }

  /** The id of a word piece, given on first sight. */
  private idDe(peca: string): number {
    let id = this.vocabulario.get(peca);
    if (id === undefined) {
      id = 100 + this.vocabulario.size;
      this.vocabulario.set(peca, id);
      this.pecas.set(id, peca);
    }
    return id;
  }

  /**
   * `POST /tokenize {content, add_special?, with_pieces?}` → `{tokens: [ids]}` (`[{id, piece}]` with with_pieces): the
   * pieces of pecasDoTexto, as the fake counts a prompt (a chat's prompt_tokens add 4 for the template, not here);
   * add_special puts BOS (id 1) first.
   */
  private tokenizar(r: Requisicao, res: ServerResponse): void {
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok)
      return this.erro(res, 500, "server_error", `[json.exception.parse_error.101] parse error at line 1, column 1: ${lido.erro}`);
    const pedido = (lido.valor ?? {}) as { content?: unknown; add_special?: boolean; with_pieces?: boolean };
    const texto = typeof pedido.content === "string" ? pedido.content : "";
    const pecas = pecasDoTexto(texto).map((peca) => ({ id: this.idDe(peca), piece: peca }));
    if (pedido.add_special) pecas.unshift({ id: 1, piece: "<s>" });
    return this.json(res, 200, { tokens: pedido.with_pieces ? pecas : pecas.map((p) => p.id) }, SERVIDOR);
  }

  /** `POST /detokenize {tokens}` → `{content}`: the pieces of known ids, joined (BOS, EOS and unknown ids give nothing). */
  private destokenizar(r: Requisicao, res: ServerResponse): void {
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok)
      return this.erro(res, 500, "server_error", `[json.exception.parse_error.101] parse error at line 1, column 1: ${lido.erro}`);
    const ids = (lido.valor as { tokens?: unknown } | null)?.tokens;
    const conteudo = Array.isArray(ids) ? ids.map((id) => this.pecas.get(Number(id)) ?? "").join("") : "";
    return this.json(res, 200, { content: conteudo }, SERVIDOR);
  }
}
