import type { ServerResponse } from "node:http";
import { lerJson, type OpcoesServidorFalso, ServidorFalso, type Requisicao, Vagas } from "./base";
import { responderChatOpenAI, responderEmbeddingsOpenAI, type PedidoOpenAI } from "./openai-chat";

/** The body fields a strict server knows (the `estrito` fault): OpenAI's chat and legacy completion parameters but `stream_options`. */
const CAMPOS_CONHECIDOS = new Set([
  "model",
  "messages",
  "prompt",
  "stream",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "n",
  "stop",
  "seed",
  "user",
  "tools",
  "tool_choice",
  "response_format",
  "frequency_penalty",
  "presence_penalty",
  "logit_bias",
  "logprobs",
  "top_logprobs",
  "echo",
  "suffix",
  "best_of",
]);

/**
 * A generic OpenAI-compatible server (what `openai_compativel` is for: a proxy or gateway such as LiteLLM or
 * vLLM's server in front of a model): only the OpenAI routes, the key checked before anything else, errors
 * in OpenAI's shape `{"error":{"message","type","param","code"}}`. The faults that belong to such a server and
 * not to the local ones (see base.ts) live here: `estrito`, `chave_no_stream`, `erro_imediato` and `corpo_nulo`.
 */
export class OpenAICompativelFalso extends ServidorFalso {
  /** Chats run at once under a set speed (0, the default: no limit); without one, chats take no slot, as before. */
  paralelo: number;
  readonly vagas = new Vagas(() => this.paralelo);

  constructor(opcoes: OpcoesServidorFalso & { paralelo?: number } = {}) {
    super(opcoes);
    this.paralelo = opcoes.paralelo ?? 0;
  }

  protected override ocupaVaga(r: Requisicao): boolean {
    return this.velocidade !== null && r.metodo === "POST" && (r.caminho === "/v1/chat/completions" || r.caminho === "/v1/completions");
  }

  private erro(res: ServerResponse, status: number, type: string, message: string, code: string | null = null): void {
    this.json(res, status, { error: { message, type, param: null, code } });
  }

  protected async rotear(r: Requisicao, res: ServerResponse): Promise<void> {
    if (this.falha === "erro_500") return this.erro(res, 500, "api_error", "Internal server error");
    if (!this.chaveConfere(r)) return this.erro(res, 401, "invalid_request_error", "Invalid API key.", "invalid_api_key");
    const rota = `${r.metodo} ${r.caminho}`;
    if (rota === "GET /v1/models") {
      return this.json(res, 200, {
        object: "list",
        data: this.modelos.map((m) => ({ id: m.id, object: "model", created: 1_700_000_000, owned_by: "proxy" })),
      });
    }
    if (rota !== "POST /v1/chat/completions" && rota !== "POST /v1/completions" && rota !== "POST /v1/embeddings") {
      return this.erro(res, 404, "invalid_request_error", `Unknown request URL: ${rota}.`);
    }
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return this.erro(res, 400, "invalid_request_error", "We could not parse the JSON body of your request.");
    const pedido = lido.valor as PedidoOpenAI & Record<string, unknown>;
    const modelo = this.modelos.find((m) => m.id === pedido.model);
    if (!modelo) return this.erro(res, 404, "invalid_request_error", `The model \`${pedido.model}\` does not exist.`, "model_not_found");
    if (rota === "POST /v1/embeddings") {
      return responderEmbeddingsOpenAI(res, pedido as { input?: unknown }, modelo.id, (m) =>
        this.erro(res, 400, "invalid_request_error", m),
      );
    }
    if (this.falha === "estrito") {
      const desconhecido = Object.keys(pedido).find((campo) => !CAMPOS_CONHECIDOS.has(campo));
      if (desconhecido) return this.erro(res, 400, "invalid_request_error", `Unrecognized request argument supplied: ${desconhecido}`);
    }
    if (this.falha === "corpo_nulo" && !pedido.stream) return this.json(res, 200, null);
    if (this.falha === "erro_imediato" && pedido.stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const erro = { error: { message: "Upstream model is overloaded, please retry.", type: "server_error", param: null, code: null } };
      res.end(`data: ${JSON.stringify(erro)}\n\n`);
      return;
    }
    // The key this request carried, refused by the proxy's upstream after the answer started.
    const enviada = /^Bearer (.*)$/.exec(r.cabecalhos.authorization ?? "")?.[1] ?? "";
    const erroNoMeio =
      this.falha === "chave_no_stream" && pedido.stream
        ? {
            error: {
              message: `Incorrect API key provided: ${enviada}.`,
              type: "invalid_request_error",
              param: null,
              code: "invalid_api_key",
            },
          }
        : undefined;
    // A proxy has no timings of its own: at a set speed, the client times the answer itself.
    if (this.ocupaVaga(r) && !(await this.ocuparVaga(res, this.vagas))) return;
    return responderChatOpenAI(this, res, pedido, modelo.id, undefined, {}, erroNoMeio);
  }
}
