import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import type { RotaOpenAI } from "../adapters";
import type { ErroApp } from "../errors";
import type { ConfiguracaoProvedor } from "../schemas/provedor";
import type { Mensagem, RespostaLLM } from "../schemas/llm";
import type { ProvedorRoteavel } from "./catalogo";

/**
 * What a door's dialect is parsed into: the one request every stage of the pipeline reads. No stage knows
 * which door it came through; what differs is what the caller wants back: the server's own OpenAI answer
 * passed on (`openai`), or the answer normalised for every server type (`mensagens`).
 */
export type PedidoModelo = {
  /** The OpenAI route the call maps to (a chat in messages is /v1/chat/completions). */
  rota: RotaOpenAI;
  /** The model as asked: a bare id, `<slug>/<model>`, or null for the pinned provider's default. */
  modelo: string | null;
  /** A provider the caller pinned (`…/{id}/requisicao`): the only candidate. Null: routed by model. */
  provedorId: number | null;
  stream: boolean;
  entrada: EntradaOpenAI | EntradaMensagens;
  /** The caller leaving cancels the upstream request. */
  sinal?: AbortSignal;
  /** performance.now() when the request arrived: the base of the overhead the app reports. */
  recebidoEm: number;
  /** Receives each statistics write, so the front door can wait for them after answering. */
  depois: (gravacao: Promise<void>) => void;
  /** The door's framing of the relayed events (one call per write). */
  enquadrar: Enquadrador;
};

/** The caller's OpenAI body (messages, prompt or input, and the parameters), sent as given with each candidate's model. */
export type EntradaOpenAI = {
  formato: "openai";
  corpo: Record<string, unknown>;
  /** The caller asked for the usage chunk (the app asks for it anyway, for the statistics). */
  pediuUso: boolean;
};

/** A chat in messages, sent through each server's native API and answered normalised. */
export type EntradaMensagens = {
  formato: "mensagens";
  mensagens: Mensagem[];
  /** The request's settings, over the provider's defaults field by field. */
  configuracao: ConfiguracaoProvedor | undefined;
};

/** What the relay hands the door, in order: normalised pieces, or the server's OpenAI chunks as it sent them. */
export type EventoModelo =
  | { tipo: "delta"; conteudo: string }
  | { tipo: "chunk"; dados: string }
  | { tipo: "fim"; resposta: RespostaLLM | null }
  | { tipo: "erro"; erro: ErroApp };

/** Turns the events of one write into its bytes, in the door's framing (SSE for both doors today). */
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

/** Who answered, and how long the app took from receiving the request to sending it upstream. */
export type Atendimento = { provedor: ProvedorRoteavel; overheadMs: number };

export type ResultadoModelo =
  | (Atendimento & { tipo: "resposta"; resposta: RespostaLLM })
  | (Atendimento & { tipo: "texto"; texto: string })
  | (Atendimento & { tipo: "stream" } & StreamModelo);
