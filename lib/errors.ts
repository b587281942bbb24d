/** Every error this app reports, by its contract `codigo`. */
export type CodigoErro =
  | "validacao"
  | "json_invalido"
  | "corpo_muito_grande"
  | "nao_encontrado"
  | "nome_duplicado"
  | "provedor_inativo"
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
  | "interno";

/** The one codigo → HTTP status table. */
export const STATUS_HTTP: Record<CodigoErro, number> = {
  validacao: 400,
  json_invalido: 400,
  corpo_muito_grande: 413,
  nao_encontrado: 404,
  nome_duplicado: 409,
  provedor_inativo: 409,
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
  interno: 500,
};

/** Field → messages, as the forms show them next to each input. */
export type ErrosDeCampo = Record<string, string[]>;

export type CorpoErro = {
  erro: { codigo: CodigoErro; mensagem: string; detalhes?: unknown };
};

export class ErroApp extends Error {
  readonly codigo: CodigoErro;
  readonly detalhes?: unknown;

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

const MENSAGEM_INTERNA = "Ocorreu um erro interno. Tente novamente; se persistir, verifique os logs do servidor.";

/** Anything thrown becomes an ErroApp; unknown causes are logged (without request data) and hidden. */
export function comoErroApp(erro: unknown): ErroApp {
  if (erro instanceof ErroApp) return erro;
  console.error("[provedores-llm] erro inesperado:", erro instanceof Error ? erro.stack ?? erro.message : erro);
  return new ErroApp("interno", MENSAGEM_INTERNA);
}
