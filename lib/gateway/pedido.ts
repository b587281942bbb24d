import "server-only";
import type { ProvedorLLMLinha, TipoProvedor } from "@/db/schema";
import type { RotaDoServidor } from "../adapters";
import type { ErroApp } from "../errors";
import type { ConfiguracaoProvedor } from "../schemas/provedor";
import type { Mensagem, NomePorta, RespostaLLM } from "../schemas/llm";
import type { ProvedorRoteavel } from "./catalogo";
import type { Chamador } from "../chaves/chamador";

/**
 * What a door's dialect is parsed into: the one request every stage of the pipeline reads. No stage knows
 * which door it came through (the door's name is only a dimension of the statistics); what differs is what the
 * caller wants back: a server's answer relayed in the door's dialect (`passagem`), or the answer normalised for
 * every server type (`mensagens`).
 */
export type PedidoModelo = {
  porta: NomePorta;
  /** The model as asked: a bare id, `<slug>/<model>`, or null for the pinned provider's default. */
  modelo: string | null;
  /** A provider the caller pinned (`…/{id}/requisicao`): the only candidate. Null: routed by model. */
  provedorId: number | null;
  stream: boolean;
  entrada: EntradaPassagem | EntradaMensagens;
  /** The caller leaving cancels the upstream request. */
  sinal?: AbortSignal;
  /** performance.now() when the request arrived: the base of the overhead the app reports. */
  recebidoEm: number;
  /** Who is calling: the authorise stage checks an access key's scope and limits; the record names the key. */
  chamador: Chamador;
  /** Receives each statistics write, so the front door can wait for them after answering. */
  depois: (gravacao: Promise<void>) => void;
  /**
   * The call generates nothing (Anthropic's count_tokens): a key's tokens per minute and budgets are not charged,
   * and it takes no place in the provider's queue.
   */
  semTokens?: boolean;
  /**
   * A measurement, not usage (lib/benchmarks): its attempts write no statistics row and no Prometheus count; the
   * health store still hears each attempt (its end, and a failure of the server).
   */
  semEstatisticas?: true;
  /** Hears each attempt's end with what it records (null: nothing): a key's limits count the tokens it used. */
  aoEncerrarTentativa?: (dados: { sucesso: boolean; tokens_prompt?: number | null; tokens_resposta?: number | null } | null) => void;
};

/**
 * A door's request relayed to one of the server's own routes. The door plans each attempt once the candidate is
 * known: natively where this server speaks the door's dialect (`servidor.temRota`, learned once per provider),
 * else translated to a route it has (OpenAI chat on every server type). Only the plan differs per door.
 */
export type EntradaPassagem = {
  formato: "passagem";
  planejar: (servidor: ServidorDoPlano) => PlanoDeChamada | Promise<PlanoDeChamada>;
};

/** What a door may know of the candidate when it plans: its type, and whether it serves a route natively. */
export type ServidorDoPlano = {
  tipo: TipoProvedor;
  /** Whether this provider serves `rota` (learned once, cached with its models; see lib/provedores/rotas-nativas.ts). */
  temRota: (rota: RotaDoServidor) => Promise<boolean>;
};

/** How one attempt sends the request to one server, and turns the answer into the door's dialect. */
export type PlanoDeChamada = {
  rota: RotaDoServidor;
  /** The body the server gets; the attempt sets `model` to this candidate's id. Its `stream` asks for a stream. */
  corpo: Record<string, unknown>;
  /** The dialect the server answers in: how its stream is read (statistics, wholeness) and its usage found. */
  dialeto: DialetoDoServidor;
  /** The door's framing of the relayed events; one per attempt, so a translating framer may keep state. */
  enquadrar: Enquadrador;
  /** A whole answer: the server's JSON (parsed, and as text) into the door's JSON text. Omitted: passed on as sent. */
  converter?: (dados: unknown, texto: string) => string;
};

/** Tokens an answer used, as the statistics record them. */
export type Uso = { prompt: number | null; resposta: number | null };

/** What a relay does with one event it read (bits: pass it on, and/or it ends the answer). */
export const OMITIR = 0;
export const PASSAR = 1;
export const FIM = 2;
export type Destino = number;

/** How a server's answer in one dialect is read: a fresh reader per stream, and the usage of a whole answer. */
export type DialetoDoServidor = {
  leitor: () => LeitorDoStream;
  usoDoJson: (dados: unknown) => Uso;
};

/**
 * Reads one server stream, event by event (an SSE event's data, an NDJSON line): throws the server's own error
 * event as an ErroApp; says what to do with each event; keeps the usage and whether text came.
 */
export interface LeitorDoStream {
  ler(dados: string): Destino;
  /** The stream is whole though it closed before its end event (OpenAI: every choice has its finish_reason). */
  readonly inteira: boolean;
  /** The last event read carried text (the first one is the statistics' first token). */
  readonly comTexto: boolean;
  /** The last event's JSON, when reading it meant parsing it (undefined otherwise): handed to the framer with it. */
  readonly json?: unknown;
  readonly uso: Uso;
  /** The message of a stream cut before it was whole. */
  readonly corte: string;
  /**
   * Set when the stream ended in a failure the dialect reports as an ordinary end event (Responses'
   * `response.failed`): the event is passed on, and the attempt is recorded as this error, not a success.
   */
  readonly falha?: ErroApp | null;
}

/** A chat in messages, sent through each server's native API and answered normalised. */
export type EntradaMensagens = {
  formato: "mensagens";
  mensagens: Mensagem[];
  /** The request's settings, over the provider's defaults field by field. */
  configuracao: ConfiguracaoProvedor | undefined;
  /** The door's framing of the normalised pieces (one call per write). */
  enquadrar: Enquadrador;
};

/** What the relay hands the door, in order: normalised pieces, or the server's OpenAI chunks as it sent them. */
export type EventoModelo =
  | { tipo: "delta"; conteudo: string }
  /**
   * One event of the server's stream as it sent it (in the server's dialect: the plan's framer knows which), and
   * its JSON when the dialect's reader already parsed it (a translating framer then parses nothing twice).
   */
  | { tipo: "chunk"; dados: string; json?: unknown }
  | { tipo: "fim"; resposta: RespostaLLM | null }
  | { tipo: "erro"; erro: ErroApp };

/** Turns the events of one write into its bytes, in the door's framing (SSE, NDJSON). */
export type Enquadrador = (eventos: readonly EventoModelo[]) => Uint8Array;

/** One provider the pick stage offers, with the model to ask it for (null: its default, looked up once it is tried). */
export type Candidato = { provedor: ProvedorRoteavel; modelo: string | null; linha?: ProvedorLLMLinha };

/**
 * A stream and how to settle it: `descartar` ends the attempt (upstream closed, counted as cancelled) unless the
 * stream already settled it, and does nothing on a second call. The writer calls it once it is done, however it
 * ended: a stream it never read (the response failed before the first frame) would otherwise never run its
 * `finally`, and the attempt would stay in flight with no statistics row.
 */
export type StreamModelo = { quadros: AsyncIterable<Uint8Array>; descartar: () => void };

/**
 * Who answered, how long the app took from receiving the request to sending it upstream (its wait in the
 * provider's queue apart); a limited key's
 * answer also carries its rate-limit headers (OpenAI's `x-ratelimit-*`).
 */
export type Atendimento = {
  provedor: ProvedorRoteavel;
  overheadMs: number;
  /** How long the request waited in the provider's queue (lib/fila) before it was sent. */
  filaMs: number;
  cabecalhos?: Readonly<Record<string, string>>;
};

export type ResultadoModelo =
  | (Atendimento & { tipo: "resposta"; resposta: RespostaLLM })
  | (Atendimento & { tipo: "texto"; texto: string })
  | (Atendimento & { tipo: "stream" } & StreamModelo);
