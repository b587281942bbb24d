import "server-only";
import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";
import { codigoDeSistema, ErroApp } from "../errors";
import { juntarBytes, PassouDoLimite } from "../protocolo/bytes";
import { doProcesso } from "../unico-por-processo";
import type { AlvoProvedor } from "./tipos";

// Every server in provider-apis.md keeps connections open (Keep-Alive: timeout=5): reuse them. No socket cap: a
// cap would queue calls inside Node, unseen and unbounded; every wait is the provider's queue's (lib/fila), bounded
// and recorded, and a provider without a limit gets a socket per call.
const agentes = {
  "http:": new http.Agent({
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: Number.POSITIVE_INFINITY,
    maxFreeSockets: 64,
    timeout: 4000,
  }),
  "https:": new https.Agent({
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: Number.POSITIVE_INFINITY,
    maxFreeSockets: 64,
    timeout: 4000,
  }),
};

/** A whole (non-streamed) answer larger than this is refused: no model list or chat answer comes near it. */
const LIMITE_RESPOSTA_BYTES = 16 * 1024 * 1024;
/** However lively, a stream ends after this long. */
export const LIMITE_STREAM_MS = 30 * 60 * 1000;

/** What the process's shutdown does to an upstream call still open after the grace period. */
type Encerravel = { encerrarPorSaida(): void };

// Every upstream call open in this process, whichever bundle opened it (lib/unico-por-processo.ts): what a shutdown ends.
const abertas = doProcesso("chamadasAbertas", () => ({ prazos: new Set<Encerravel>(), encerrado: false }));

/**
 * The process is shutting down and the grace period is over: every upstream call still open ends as if the
 * server had failed (`provedor_erro`, "servidor encerrando"), so each door's own error path sends its error
 * event and records the request. Calls opened after this end at once. Returns how many were open.
 */
export function encerrarChamadasAbertas(): number {
  abertas.encerrado = true;
  const quantas = abertas.prazos.size;
  for (const prazo of [...abertas.prazos]) prazo.encerrarPorSaida();
  return quantas;
}

/**
 * Deadlines of one upstream call, which also follow the caller's abort and the process's shutdown:
 * - a silence: the provider's timeout, counted from the request and restarted only by `renovar()`, which
 *   the stream readers call per whole event (a byte trickling in is no progress);
 * - a total: everything, headers and body, within `totalMs` — the provider's timeout for a whole answer,
 *   LIMITE_STREAM_MS for a stream.
 */
class Prazo implements Encerravel {
  motivo: "timeout" | "total" | "cancelado" | "encerrando" | null = null;
  /** The request a deadline cuts (a request of its own, not an AbortSignal: one fewer per call on the hot path). */
  private pedido: ClientRequest | null = null;
  readonly emStream: boolean;
  private silencio: NodeJS.Timeout | undefined;
  private ultimoSinal = 0;
  private readonly total: NodeJS.Timeout;
  private readonly aoCancelar = () => this.abortar("cancelado");

  constructor(
    private readonly ms: number,
    totalMs: number,
    private readonly externo?: AbortSignal,
  ) {
    this.emStream = totalMs > ms;
    abertas.prazos.add(this);
    externo?.addEventListener("abort", this.aoCancelar, { once: true });
    this.total = setTimeout(() => this.abortar(this.emStream ? "total" : "timeout"), totalMs);
    this.renovar();
    // Checked once everything is armed, so that ending now also clears the timers and the listener just set.
    if (abertas.encerrado) this.abortar("encerrando");
    else if (externo?.aborted) this.abortar("cancelado");
  }

  /**
   * A stream renews on every event: the time is only noted, and the one silence timer, when it fires,
   * waits again for what is left (no timer cleared and set per event on the hot path).
   */
  renovar() {
    this.ultimoSinal = performance.now();
    if (!this.silencio && !this.motivo) this.armarSilencio(this.ms);
  }

  private armarSilencio(ms: number) {
    this.silencio = setTimeout(() => {
      const resta = this.ultimoSinal + this.ms - performance.now();
      if (resta > 1) this.armarSilencio(resta);
      else this.abortar("timeout");
    }, ms);
  }

  /** From now on a deadline or the caller's abort cuts this request (at once if one already happened). */
  vigiar(pedido: ClientRequest) {
    this.pedido = pedido;
    if (this.motivo) pedido.destroy(new Error(this.motivo));
  }

  encerrarPorSaida() {
    this.abortar("encerrando");
  }

  private abortar(motivo: "timeout" | "total" | "cancelado" | "encerrando") {
    if (this.motivo) return;
    this.motivo = motivo;
    this.encerrar();
    this.pedido?.destroy(new Error(motivo));
  }

  encerrar() {
    abertas.prazos.delete(this);
    clearTimeout(this.silencio);
    clearTimeout(this.total);
    this.externo?.removeEventListener("abort", this.aoCancelar);
  }
}

export type OpcoesHttp = {
  metodo?: "GET" | "POST" | "DELETE";
  corpo?: unknown;
  signal?: AbortSignal;
  /** The answer is a stream read event by event (see Prazo); otherwise it must arrive whole within the timeout. */
  stream?: boolean;
  /** For a stream that may rightly last longer than LIMITE_STREAM_MS (a model download). */
  duracaoMaximaMs?: number;
  /** A whole answer past this many bytes is refused and cut (default LIMITE_RESPOSTA_BYTES). */
  limiteBytes?: number;
};

/** An open answer whose body is read as it arrives; `fechar()` must be called when done. */
export type RespostaAberta = {
  status: number;
  tipoConteudo: string;
  corpo: AsyncIterable<Buffer>;
  /**
   * The whole body (up to the call's limiteBytes, LIMITE_RESPOSTA_BYTES by default), then closed: read with the stream's events, which costs
   * the hot path far less than an async iterator. Use this or `corpo`, never both.
   */
  inteira: () => Promise<Buffer>;
  /** A whole event of a stream arrived: the silence deadline starts again. */
  progresso: () => void;
  /**
   * Ends the answer. `lida`: the caller has all it needs ([DONE], Ollama's `done`), and the body's last
   * bytes are briefly read instead of cutting the connection, so it goes back to the pool; otherwise
   * (an error, the caller leaving) an unfinished answer is cut at once, which stops the generation.
   */
  fechar: (lida?: boolean) => void;
};

/** How long the last bytes of an answer already read may take before the connection is cut anyway. */
const ESPERA_FIM_MS = 2000;

export type RespostaJson = { status: number; dados: unknown };

/** The one HTTP layer for every adapter: timeout, keep-alive, Bearer key, failures → contract codes. */
export class ClienteHttp {
  constructor(private readonly alvo: AlvoProvedor) {}

  get timeoutMs(): number {
    return this.alvo.timeout_segundos * 1000;
  }

  /** Sends a request and resolves once the status and headers arrive. */
  async abrir(caminho: string, opcoes: OpcoesHttp = {}): Promise<RespostaAberta> {
    const url = new URL(this.alvo.base_url + caminho);
    const modulo = url.protocol === "https:" ? https : http;
    const total = opcoes.stream ? Math.max(opcoes.duracaoMaximaMs ?? LIMITE_STREAM_MS, this.timeoutMs) : this.timeoutMs;
    const prazo = new Prazo(this.timeoutMs, total, opcoes.signal);
    const corpo = opcoes.corpo === undefined ? undefined : Buffer.from(JSON.stringify(opcoes.corpo));
    const cabecalhos: Record<string, string> = { accept: "application/json, text/event-stream, application/x-ndjson" };
    if (corpo) {
      cabecalhos["content-type"] = "application/json";
      cabecalhos["content-length"] = String(corpo.byteLength);
    }
    if (this.alvo.api_key) cabecalhos.authorization = `Bearer ${this.alvo.api_key}`;

    const enviar = () =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const req = modulo.request(url, {
          method: opcoes.metodo ?? (corpo ? "POST" : "GET"),
          headers: cabecalhos,
          agent: agentes[url.protocol === "https:" ? "https:" : "http:"],
        });
        prazo.vigiar(req);
        req.on("response", resolve);
        req.on("error", (e) => reject(Object.assign(e, { reutilizado: req.reusedSocket })));
        req.end(corpo);
      });

    let resposta: IncomingMessage;
    try {
      try {
        resposta = await enviar();
      } catch (e) {
        // A kept-alive socket the server had already closed: the request never reached it, send it again.
        if (!(e as { reutilizado?: boolean }).reutilizado || codigoDeSistema(e) !== "ECONNRESET") throw e;
        resposta = await enviar();
      }
    } catch (e) {
      prazo.encerrar();
      throw this.falhaDeRede(e, prazo, false);
    }

    const self = this;
    async function* ler(): AsyncGenerator<Buffer> {
      try {
        // Leaving early does not cut the connection here: `fechar` decides (see RespostaAberta).
        for await (const pedaco of resposta.iterator({ destroyOnReturn: false })) yield pedaco as Buffer;
        if (!resposta.complete) throw new Error("resposta incompleta");
      } catch (e) {
        throw self.falhaDeRede(e, prazo, true);
      } finally {
        prazo.encerrar();
      }
    }
    const limite = opcoes.limiteBytes ?? LIMITE_RESPOSTA_BYTES;
    const inteira = async () => {
      try {
        return await juntarBytes(resposta, limite);
      } catch (e) {
        if (!resposta.complete) resposta.destroy();
        // The cause says "too large" to a caller that reads that as an answer (discovery).
        if (e instanceof PassouDoLimite) {
          throw Object.assign(new ErroApp("provedor_erro", `A resposta do servidor passou de ${emMiBOuKiB(limite)}.`), { cause: e });
        }
        throw self.falhaDeRede(e, prazo, true);
      } finally {
        prazo.encerrar();
      }
    };
    return {
      status: resposta.statusCode ?? 0,
      tipoConteudo: String(resposta.headers["content-type"] ?? ""),
      // Made on demand: a whole answer (`inteira`) never needs the generator.
      corpo: { [Symbol.asyncIterator]: ler },
      inteira,
      progresso: () => prazo.renovar(),
      fechar: (lida = false) => {
        prazo.encerrar();
        if (resposta.complete || resposta.destroyed) return;
        if (!lida) return void resposta.destroy();
        const cortar = setTimeout(() => resposta.destroy(), ESPERA_FIM_MS).unref();
        resposta.once("close", () => clearTimeout(cortar)).on("data", () => {});
      },
    };
  }

  /** Reads a whole JSON answer; non-2xx statuses and LM Studio's 200-with-`error` become ErroApp. */
  async json(caminho: string, opcoes: OpcoesHttp = {}): Promise<RespostaJson> {
    const r = await this.abrir(caminho, opcoes);
    const texto = await lerTexto(r);
    let dados: unknown;
    try {
      dados = texto.length ? JSON.parse(texto) : null;
    } catch {
      if (r.status >= 400) throw erroDeStatus(r.status, texto, this.alvo);
      throw new ErroApp(
        "provedor_erro",
        `O servidor em ${this.alvo.base_url} respondeu algo que não é JSON em ${caminho} (HTTP ${r.status}): confira o tipo do provedor e a porta.`,
      );
    }
    if (r.status >= 400) throw erroDeStatus(r.status, dados, this.alvo);
    const erroEmbutido = mensagemDeErro(dados);
    if (erroEmbutido) throw new ErroApp("provedor_erro", `O servidor respondeu com erro em ${caminho}: ${erroEmbutido}`);
    return { status: r.status, dados };
  }

  private falhaDeRede(e: unknown, prazo: Prazo, noMeio: boolean): ErroApp {
    if (e instanceof ErroApp) return e;
    if (prazo.motivo === "total") {
      return new ErroApp("provedor_timeout", `A resposta passou do limite de ${LIMITE_STREAM_MS / 60_000} min e foi encerrada.`);
    }
    if (prazo.motivo === "timeout") {
      return new ErroApp(
        "provedor_timeout",
        noMeio
          ? prazo.emStream
            ? `O servidor ficou mais de ${this.alvo.timeout_segundos} s sem enviar nada novo no meio da resposta.`
            : `O servidor não terminou de enviar a resposta em ${this.alvo.timeout_segundos} s.`
          : `O servidor em ${this.alvo.base_url} não respondeu em ${this.alvo.timeout_segundos} s. Ele pode estar carregando um modelo: tente de novo ou aumente o timeout.`,
      );
    }
    if (prazo.motivo === "cancelado") return new ErroApp("cancelado", "A requisição foi cancelada por quem a fez.");
    if (prazo.motivo === "encerrando") {
      const erro = new ErroApp(
        "provedor_erro",
        "Servidor encerrando: a resposta foi interrompida antes do fim. Tente de novo em instantes.",
      );
      erro.porEncerramento = true;
      return erro;
    }
    const codigo = codigoDeSistema(e);
    const host = new URL(this.alvo.base_url).host;
    if (noMeio) {
      return new ErroApp("provedor_erro", "A conexão com o servidor caiu no meio da resposta (stream interrompido).");
    }
    switch (codigo) {
      case "ECONNREFUSED":
        return new ErroApp(
          "provedor_indisponivel",
          `Nenhum servidor respondendo em ${this.alvo.base_url} (conexão recusada). Confira se ele está rodando e se a porta está certa.`,
        );
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return new ErroApp("provedor_indisponivel", `Não foi possível encontrar o endereço "${host}" (DNS). Confira a URL.`);
      case "ECONNRESET":
      case "EPIPE":
      case "ECONNABORTED":
        return new ErroApp("provedor_indisponivel", `O servidor em ${this.alvo.base_url} fechou a conexão sem responder.`);
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return new ErroApp("provedor_indisponivel", `A máquina ${host} não está acessível pela rede.`);
      default:
        return new ErroApp("provedor_indisponivel", `Não foi possível falar com ${this.alvo.base_url}${codigo ? ` (${codigo})` : ""}.`);
    }
  }
}

function emMiBOuKiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** Reads an open answer whole, as text (up to the call's limiteBytes), and closes it. */
export async function lerTexto(r: RespostaAberta): Promise<string> {
  return (await r.inteira()).toString("utf8");
}

/** Reads an open answer whole and parses it as JSON when it is JSON (else keeps the text). */
export async function lerCorpoSolto(r: RespostaAberta): Promise<unknown> {
  const texto = await lerTexto(r);
  try {
    return JSON.parse(texto);
  } catch {
    return texto;
  }
}

/** The message inside the error bodies these servers send: `{error: {message}}`, `{error: "…"}`. */
export function mensagemDeErro(dados: unknown): string | null {
  if (!dados || typeof dados !== "object" || !("error" in dados)) return null;
  const erro = (dados as { error: unknown }).error;
  if (typeof erro === "string") return erro;
  if (erro && typeof erro === "object" && "message" in erro) return String((erro as { message: unknown }).message);
  return erro ? JSON.stringify(erro) : null;
}

/** A non-2xx answer, classified into the contract's codes. */
export function erroDeStatus(status: number, dados: unknown, alvo: Pick<AlvoProvedor, "base_url">): ErroApp {
  const erro = classificarStatus(status, dados, alvo);
  erro.statusServidor = status;
  return erro;
}

function classificarStatus(status: number, dados: unknown, alvo: Pick<AlvoProvedor, "base_url">): ErroApp {
  const msg = mensagemDeErro(dados) ?? (typeof dados === "string" ? dados.slice(0, 200) : "");
  const doServidor = msg ? `: ${msg}` : "";
  if (status === 401 || status === 403) {
    return new ErroApp(
      "provedor_autenticacao",
      `O servidor recusou o acesso (HTTP ${status})${doServidor}. Confira a API key do provedor.`,
    );
  }
  const codigo = (dados as { error?: { code?: unknown } } | null)?.error?.code;
  if (/no models loaded/i.test(msg)) {
    return new ErroApp("modelo_nao_encontrado", `Nenhum modelo carregado no servidor${doServidor}`);
  }
  if ((status === 404 || status === 400) && (codigo === "model_not_found" || /model.*not found/i.test(msg))) {
    return new ErroApp("modelo_nao_encontrado", `O servidor não tem esse modelo${doServidor}. Atualize a lista de modelos.`);
  }
  if (status === 503 && /loading/i.test(msg)) {
    return new ErroApp("provedor_erro", `O servidor está carregando o modelo (HTTP 503). Tente de novo em instantes.`);
  }
  if (status >= 500) return new ErroApp("provedor_erro", `O servidor respondeu com erro HTTP ${status}${doServidor}`);
  if (status === 404) {
    return new ErroApp(
      "provedor_erro",
      `O servidor em ${alvo.base_url} não conhece esse endereço (HTTP 404)${doServidor}. Confira o tipo do provedor e a URL.`,
    );
  }
  return new ErroApp("provedor_erro", `O servidor recusou a requisição (HTTP ${status})${doServidor}`);
}
