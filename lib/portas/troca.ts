import type { ErroApp } from "../errors";
import type { Chamador } from "../chaves/chamador";

/**
 * What every entry of the route table receives and returns, whichever server runs the app: servidor.ts builds
 * it from Node's request (the hot path, no Web Request in between), the App Router shells from a Web Request.
 * Handlers and doors only see this, so they answer the same under `npm start`, `next dev` and `next start`.
 */
export type Pedido = {
  metodo: string;
  /** The path, without the query, still percent-encoded. */
  caminho: string;
  consulta: URLSearchParams;
  /** The path's named parts (`:id`), decoded, as the route table matched them. */
  params: Readonly<Record<string, string>>;
  cabecalho: (nome: string) => string | null;
  /** The client's address (the socket's, never a header the client sent). */
  endereco: string;
  /** Aborts when the caller leaves (closed page, stop button, dropped connection). */
  sinal: AbortSignal;
  /** performance.now() when the request arrived: the base of the overhead the app reports. */
  recebidoEm: number;
  /** Who is calling, as the gate established it (lib/http/portaria.ts): the admin until it says otherwise. */
  chamador: Chamador;
  /** The body as JSON, refused past `limite` bytes (corpo_muito_grande) or when malformed (json_invalido). */
  json: (limite?: number) => Promise<unknown>;
  /**
   * Work that must finish after the answer is sent (statistics): the front door waits for it before it lets
   * go of the request, so a serverless platform does not freeze the process first.
   */
  depois: (tarefa: Promise<void>) => void;
};

/** A body is a whole text, or frames written one by one with backpressure (SSE). */
export type CorpoResposta = string | AsyncIterable<Uint8Array | string> | null;

export type Resposta = {
  status: number;
  cabecalhos?: Readonly<Record<string, string>>;
  corpo?: CorpoResposta;
  /** Called once when the body has been written whole or abandoned (the caller left, a write failed). */
  aoTerminar?: () => void;
};

export type Manipulador = (pedido: Pedido) => Promise<Resposta>;

/** A door renders the one error table in its dialect's shape (the contract's `{erro}`, OpenAI's `{error}`, …). */
export type FormatoDeErro = (erro: ErroApp) => Resposta;

/**
 * A way in: its error shape, and what it answers for a path under its prefix that no entry serves. Every
 * route-table entry names its door, so an answer's dialect comes from the entry, never from the path's look.
 */
export type Porta = {
  nome: string;
  formatoDeErro: FormatoDeErro;
  /** The 404's message for a path of this door that the table does not serve. */
  rotaInexistente: (caminho: string) => string;
};
