/** Every error this app reports, by its contract `codigo`. */
export type CodigoErro =
  | "validacao"
  | "json_invalido"
  | "corpo_muito_grande"
  | "nao_encontrado"
  | "nome_duplicado"
  | "provedor_inativo"
  | "acao_nao_suportada"
  | "modelo_nao_encontrado"
  | "provedor_indisponivel"
  | "provedor_erro"
  | "provedor_autenticacao"
  | "provedor_timeout"
  | "nao_autorizado"
  | "muitas_tentativas"
  | "host_nao_permitido"
  | "origem_nao_permitida"
  | "tipo_de_conteudo"
  | "cancelado"
  | "banco_indisponivel"
  | "interno";

/** The one codigo → HTTP status table. */
export const STATUS_HTTP: Record<CodigoErro, number> = {
  validacao: 400,
  json_invalido: 400,
  corpo_muito_grande: 413,
  nao_encontrado: 404,
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
  muitas_tentativas: 429,
  // Web safety (lib/seguranca/portaria.ts): a foreign Host or Origin, or a write that is not JSON.
  host_nao_permitido: 403,
  origem_nao_permitida: 403,
  tipo_de_conteudo: 415,
  // The caller went away (closed the page, pressed stop); nobody reads this answer.
  cancelado: 499,
  // The database did not answer within DATABASE_TIMEOUT_SEGUNDOS (db/client.ts): the app is up, its storage is not.
  banco_indisponivel: 503,
  interno: 500,
};

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

  readonly [MARCA_ERRO_APP] = true;
  readonly codigo: CodigoErro;
  readonly detalhes?: unknown;
  /** For an error a provider answered: its HTTP status (the gateway passes a 4xx on as the caller's fault). */
  statusServidor?: number;

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

/** Paths answered in OpenAI's wire format, errors included. */
export function caminhoOpenAI(caminho: string): boolean {
  return /^\/v1(\/|$|\?)/.test(caminho);
}

/** The error's body for the path it answers: OpenAI's shape on /v1, the contract's everywhere else. */
export function corpoDoErro(erro: ErroApp, caminho: string): CorpoErro | CorpoErroOpenAI {
  return caminhoOpenAI(caminho) ? erroNoFormatoOpenAI(erro) : erro.toJSON();
}

const MENSAGEM_INTERNA = "Ocorreu um erro interno. Tente novamente; se persistir, verifique os logs do servidor.";

/** Anything thrown becomes an ErroApp; unknown causes are logged (without request data) and hidden. */
export function comoErroApp(erro: unknown): ErroApp {
  // drizzle wraps what the database client threw (a deadline's ErroApp among them) in its own error, as `cause`.
  for (let e: unknown = erro; e; e = (e as { cause?: unknown }).cause) if (e instanceof ErroApp) return e;
  console.error("[provedores-llm] erro inesperado:", erro instanceof Error ? (erro.stack ?? erro.message) : erro);
  return new ErroApp("interno", MENSAGEM_INTERNA);
}
