/** Every error this app reports, by its contract `codigo`. */
export type CodigoErro =
  | "validacao"
  | "json_invalido"
  | "corpo_muito_grande"
  | "nao_encontrado"
  | "metodo_nao_permitido"
  | "nome_duplicado"
  | "provedor_inativo"
  | "acao_nao_suportada"
  | "modelo_nao_encontrado"
  | "provedor_indisponivel"
  | "provedor_erro"
  | "provedor_autenticacao"
  | "provedor_timeout"
  | "nao_autorizado"
  | "acesso_negado"
  | "fora_do_escopo"
  | "limite_excedido"
  | "orcamento_esgotado"
  | "muitas_tentativas"
  | "fila_cheia"
  | "fila_espera_esgotada"
  | "host_nao_permitido"
  | "origem_nao_permitida"
  | "tipo_de_conteudo"
  | "cancelado"
  | "banco_indisponivel"
  | "servidor_encerrando"
  | "nao_implementado"
  | "benchmark_em_andamento"
  | "provedor_offline"
  | "interno";

/** The one codigo → HTTP status table. */
export const STATUS_HTTP: Record<CodigoErro, number> = {
  validacao: 400,
  json_invalido: 400,
  corpo_muito_grande: 413,
  nao_encontrado: 404,
  // A route of the table asked with a method it does not take (lib/http/despachar.ts): `Allow` lists those it does.
  metodo_nao_permitido: 405,
  nome_duplicado: 409,
  provedor_inativo: 409,
  // The server's type, mode or version cannot do it (e.g. unload on a llama-server without router mode).
  acao_nao_suportada: 409,
  modelo_nao_encontrado: 404,
  provedor_indisponivel: 502,
  provedor_erro: 502,
  provedor_autenticacao: 502,
  provedor_timeout: 504,
  nao_autorizado: 401,
  // An access key (lib/chaves) opens only the model doors: the management API, the pages and the metrics are the admin's.
  acesso_negado: 403,
  // A model, provider or door outside the key's scope: it exists, this key may not use it.
  fora_do_escopo: 403,
  // A key's rpm, tpm or concurrency limit: `Retry-After` says when there is room again.
  limite_excedido: 429,
  // A key's daily or monthly token budget is spent: the message says when it renews.
  orcamento_esgotado: 429,
  muitas_tentativas: 429,
  // Every provider that has the model is at its concurrency limit with its queue full (lib/fila): `Retry-After`
  // says when a place is likely free. The Anthropic door answers it 529, the Ollama door 503.
  fila_cheia: 429,
  // The request waited `fila_espera_segundos` in a provider's queue without a place.
  fila_espera_esgotada: 429,
  // Web safety (lib/http/portaria.ts): a foreign Host or Origin, or a write that is not JSON.
  host_nao_permitido: 403,
  origem_nao_permitida: 403,
  tipo_de_conteudo: 415,
  // The caller went away (closed the page, pressed stop); nobody reads this answer.
  cancelado: 499,
  // The database did not answer within DATABASE_TIMEOUT_SEGUNDOS (db/client.ts): the app is up, its storage is not.
  banco_indisponivel: 503,
  // A request that arrived after SIGTERM, on a kept-alive connection (servidor.ts): the process is going away.
  servidor_encerrando: 503,
  // A route of a dialect the app knows but cannot serve over its servers (Ollama's /api/create, /api/push, …).
  nao_implementado: 501,
  // A provider runs one benchmark at a time (lib/benchmarks), across instances: the message names the running one.
  benchmark_em_andamento: 409,
  // Work the app refuses to start on a server the monitor knows is down (a benchmark): a state to fix first, not a
  // gateway failure of this request.
  provedor_offline: 409,
  interno: 500,
};

/** Headers an error's answer carries with its status: when to come back from a 503 (the database's probe runs each second). */
const CABECALHOS_POR_CODIGO: Partial<Record<CodigoErro, Readonly<Record<string, string>>>> = {
  banco_indisponivel: { "retry-after": "5" },
  servidor_encerrando: { "retry-after": "5", connection: "close" },
};

/** The headers that go with this error's status (none for most). */
export function cabecalhosDoErro(erro: ErroApp): Readonly<Record<string, string>> {
  const doCodigo = CABECALHOS_POR_CODIGO[erro.codigo] ?? SEM_CABECALHOS;
  return erro.cabecalhos ? { ...doCodigo, ...erro.cabecalhos } : doCodigo;
}
const SEM_CABECALHOS: Readonly<Record<string, string>> = Object.freeze({});

/** Field → messages, as the forms show them next to each input. */
export type ErrosDeCampo = Record<string, string[]>;

export type CorpoErro = {
  erro: { codigo: CodigoErro; mensagem: string; detalhes?: unknown };
};

// Next bundles each route with its own copy of this module, and servidor.ts has another: an ErroApp made by one
// copy (the shared database client's, say) must still be an ErroApp to the others.
const MARCA_ERRO_APP = Symbol.for("provedores-llm.ErroApp");

export class ErroApp extends Error {
  static [Symbol.hasInstance](valor: unknown): boolean {
    return typeof valor === "object" && valor !== null && MARCA_ERRO_APP in valor;
  }

  readonly codigo: CodigoErro;
  readonly detalhes?: unknown;
  /** For an error a provider answered: its HTTP status (the gateway passes a 4xx on as the caller's fault). */
  statusServidor?: number;
  /** The error type a server named in Anthropic's own dialect (overloaded_error…), kept for the Anthropic door. */
  tipoAnthropic?: string;
  /**
   * The app's own shutdown cut this call (lib/encerramento.ts `ehEncerramento`): the door's client still sees the
   * server's `provedor_erro`, but the server did nothing wrong and no other provider should be tried.
   */
  porEncerramento?: true;
  /**
   * Headers this one error's answer carries beyond its code's: a key's limit says when there is room again
   * (`Retry-After`) and OpenAI's `x-ratelimit-*` (lib/chaves/limites).
   */
  cabecalhos?: Record<string, string>;

  constructor(codigo: CodigoErro, mensagem: string, detalhes?: unknown) {
    super(mensagem);
    this.name = "ErroApp";
    this.codigo = codigo;
    this.detalhes = detalhes;
  }

  get status(): number {
    return STATUS_HTTP[this.codigo];
  }

  toJSON(): CorpoErro {
    return {
      erro: {
        codigo: this.codigo,
        mensagem: this.message,
        ...(this.detalhes === undefined ? {} : { detalhes: this.detalhes }),
      },
    };
  }
}

// On the prototype, not enumerable: the mark travels with every instance without showing in a copy or a log.
Object.defineProperty(ErroApp.prototype, MARCA_ERRO_APP, { value: true });

/** Past this many links a `cause` chain is not followed further (a cycle, or a pathological wrapper). */
const PROFUNDIDADE_CAUSAS = 16;

/** The error, then its `cause`, its cause's cause…: what wraps what (drizzle wraps the client's error, say). */
export function* causas(erro: unknown): Generator<unknown> {
  let e = erro;
  for (let i = 0; e && i < PROFUNDIDADE_CAUSAS; i++, e = (e as { cause?: unknown }).cause) yield e;
}

/** The first ErroApp in the error's cause chain, if any. */
export function erroAppEm(erro: unknown): ErroApp | undefined {
  for (const e of causas(erro)) if (e instanceof ErroApp) return e;
  return undefined;
}

/** The first system error code (`ECONNRESET`, `SQLITE_BUSY`, …) in the error's cause chain. */
export function codigoDeSistema(erro: unknown): string | undefined {
  for (const e of causas(erro)) {
    const codigo = (e as { code?: unknown }).code;
    if (typeof codigo === "string") return codigo;
  }
  return undefined;
}

/** The error body OpenAI's API sends, which its SDKs turn into their own error classes (by status). */
export type CorpoErroOpenAI = { error: { message: string; type: string; param: string | null; code: string | null } };

/** The same ErroApp, same status, in OpenAI's shape: what `/v1` answers. */
export function erroNoFormatoOpenAI(erro: ErroApp): CorpoErroOpenAI {
  const s = erro.status;
  const type =
    s === 401
      ? "authentication_error"
      : s === 403
        ? "permission_error"
        : s === 429
          ? "rate_limit_error"
          : s >= 500
            ? "api_error"
            : "invalid_request_error";
  const campos = (erro.detalhes as { campos?: Record<string, unknown> } | undefined)?.campos;
  const param = erro.codigo === "modelo_nao_encontrado" ? "model" : campos ? (Object.keys(campos)[0] ?? null) : null;
  const code =
    erro.codigo === "modelo_nao_encontrado" ? "model_not_found" : erro.codigo === "nao_autorizado" ? "invalid_api_key" : erro.codigo;
  return { error: { message: erro.message, type, param, code } };
}

/** The app's own "busy": a provider's queue full, or waited out (each door says it its own way). */
export const ehOcupado = (erro: ErroApp): boolean => erro.codigo === "fila_cheia" || erro.codigo === "fila_espera_esgotada";

/** The error body Anthropic's API sends, which its SDKs turn into their own error classes (by status). */
export type CorpoErroAnthropic = { type: "error"; error: { type: string; message: string } };

/**
 * A server's own 4xx (a parameter it refuses, a model it lacks) is the caller's to fix, not the server's failure:
 * its status, or null for any other error. Each door shows it its own way (OpenAI's and Anthropic's 400, Ollama's
 * status as the server gave it).
 */
export function statusDoServidorParaOChamador(erro: ErroApp): number | null {
  const s = erro.codigo === "provedor_erro" ? erro.statusServidor : undefined;
  return s !== undefined && s >= 400 && s < 500 ? s : null;
}

/**
 * The same ErroApp in Anthropic's shape and statuses: a server's 4xx (a bad parameter) is the caller's to fix
 * (400); a busy server (its 429, 503 or 529: a full queue, a model still loading) is Anthropic's 529
 * `overloaded_error`, which its SDKs retry; the rest keeps the status of the one table.
 */
export function erroNoFormatoAnthropic(erro: ErroApp): { status: number; corpo: CorpoErroAnthropic } {
  const servidor = erro.codigo === "provedor_erro" ? erro.statusServidor : undefined;
  const ocupado = servidor === 429 || servidor === 503 || servidor === 529 || ehOcupado(erro);
  const status = ocupado ? 529 : statusDoServidorParaOChamador(erro) !== null ? 400 : erro.status;
  const type =
    status === 401
      ? "authentication_error"
      : status === 403
        ? "permission_error"
        : status === 404
          ? "not_found_error"
          : status === 413
            ? "request_too_large"
            : status === 429
              ? "rate_limit_error"
              : status === 529
                ? "overloaded_error"
                : status === 504
                  ? "timeout_error"
                  : status >= 500
                    ? "api_error"
                    : "invalid_request_error";
  // A server's own Anthropic error type (its mid-stream error event) reaches the client as the server said it.
  const doServidor = servidor !== undefined ? erro.tipoAnthropic : undefined;
  return { status, corpo: { type: "error", error: { type: doServidor ?? type, message: erro.message } } };
}

const MENSAGEM_INTERNA = "Ocorreu um erro interno. Tente novamente; se persistir, verifique os logs do servidor.";

/** Anything thrown becomes an ErroApp; unknown causes are logged (without request data) and hidden. */
export function comoErroApp(erro: unknown): ErroApp {
  // drizzle wraps what the database client threw (a deadline's ErroApp among them) in its own error, as `cause`.
  const conhecido = erroAppEm(erro);
  if (conhecido) return conhecido;
  console.error("[provedores-llm] erro inesperado:", erro instanceof Error ? (erro.stack ?? erro.message) : erro);
  return new ErroApp("interno", MENSAGEM_INTERNA);
}
