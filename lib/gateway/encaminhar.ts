import "server-only";
import type { RotaOpenAI } from "../adapters";
import { ErroApp } from "../errors";
import { CorpoChatOpenAI, CorpoCompletionOpenAI, CorpoEmbeddingsOpenAI } from "../schemas/openai";
import { validar } from "../schemas/validar";
import { atenderModelo } from "./atender";
import type { ProvedorRoteavel } from "./catalogo";
import type { Atendimento } from "./pedido";
import { quadrosOpenAI } from "./quadros-openai";

export type PedidoGateway = {
  rota: RotaOpenAI;
  corpo: unknown;
  /** The caller leaving cancels the upstream request. */
  signal: AbortSignal;
  /** performance.now() when the request arrived: the base of the overhead the app reports. */
  recebidoEm: number;
  /** Receives each statistics write, so a serverless caller can wait for them after answering. */
  gravacoes?: Promise<void>[];
};

export type { Atendimento, ProvedorRoteavel };

/** A stream handed to the writer, and how to settle it (see StreamModelo in lib/gateway/pedido.ts). */
export type StreamRepassado = { stream: AsyncIterable<Uint8Array>; descartar: () => void };

export type ResultadoGateway = (Atendimento & { tipo: "json"; texto: string }) | (Atendimento & { tipo: "stream" } & StreamRepassado);

const SCHEMAS = {
  "/v1/chat/completions": CorpoChatOpenAI,
  "/v1/completions": CorpoCompletionOpenAI,
  "/v1/embeddings": CorpoEmbeddingsOpenAI,
} as const;

/** A 4xx from the server (a bad parameter) is the caller's to fix: OpenAI's SDKs expect it as a 400. */
function paraChamador(erro: unknown): never {
  if (erro instanceof ErroApp) {
    const s = erro.statusServidor;
    if (erro.codigo === "provedor_erro" && s !== undefined && s >= 400 && s < 500) throw new ErroApp("validacao", erro.message);
  }
  throw erro;
}

/**
 * One OpenAI call (/v1): the body parsed in its dialect, routed by the pipeline to the providers that have the
 * model, in order, and the answer passed on as the server sent it.
 */
export async function encaminharOpenAI(p: PedidoGateway): Promise<ResultadoGateway> {
  const corpo = validar(SCHEMAS[p.rota], p.corpo);
  const stream = "stream" in corpo && corpo.stream === true;
  const opcoesStream = ("stream_options" in corpo ? corpo.stream_options : null) as { include_usage?: boolean } | null | undefined;
  const r = await atenderModelo({
    rota: p.rota,
    modelo: corpo.model,
    provedorId: null,
    stream,
    entrada: { formato: "openai", corpo, pediuUso: stream && opcoesStream?.include_usage === true },
    sinal: p.signal,
    recebidoEm: p.recebidoEm,
    depois: p.gravacoes ? (g) => void p.gravacoes!.push(g) : semEspera,
    enquadrar: quadrosOpenAI,
  }).catch(paraChamador);
  if (r.tipo === "stream")
    return { tipo: "stream", provedor: r.provedor, overheadMs: r.overheadMs, stream: r.quadros, descartar: r.descartar };
  if (r.tipo === "texto") return { tipo: "json", provedor: r.provedor, overheadMs: r.overheadMs, texto: r.texto };
  return { tipo: "json", provedor: r.provedor, overheadMs: r.overheadMs, texto: JSON.stringify(r.resposta) };
}

const semEspera = () => {};
