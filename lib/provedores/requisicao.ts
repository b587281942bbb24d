import "server-only";
import { comoErroApp } from "../errors";
import { atenderModelo } from "../gateway/atender";
import type { EventoModelo, ResultadoModelo } from "../gateway/pedido";
import { quadroSSE } from "../http/sse";
import { RequisicaoLLM, type RespostaLLM } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { lerId } from "./interno";

/**
 * How the caller runs work after its answer is sent (Next's `after()` in route handlers).
 * The default still never delays the answer: the write is queued, not awaited.
 */
export type Depois = (tarefa: () => Promise<void>) => void;

export type OpcoesRequisicao = { signal?: AbortSignal; depois?: Depois };

/** One SSE frame of our own stream: `event: delta|fim|erro`. */
function quadrosRequisicao(eventos: readonly EventoModelo[]): Uint8Array {
  // The relay of a normalised stream writes one event at a time.
  const e = eventos[0]!;
  if (e.tipo === "delta") return quadroSSE(JSON.stringify({ conteudo: e.conteudo }), "delta");
  if (e.tipo === "fim") return quadroSSE(JSON.stringify(e.resposta), "fim");
  if (e.tipo === "erro") return quadroSSE(JSON.stringify({ codigo: e.erro.codigo, mensagem: e.erro.message }), "erro");
  return quadroSSE(e.dados);
}

/** Our dialect (RequisicaoLLM, the provider pinned by the path) as the pipeline's request, answered whole or streamed. */
function atender(idBruto: string | number, entrada: unknown, opcoes: OpcoesRequisicao, stream: boolean): Promise<ResultadoModelo> {
  const id = lerId(idBruto);
  const req = validar(RequisicaoLLM, stream ? { ...(entrada as object), stream: true } : entrada);
  const depois = opcoes.depois;
  return atenderModelo({
    rota: "/v1/chat/completions",
    modelo: req.modelo ?? null,
    provedorId: id,
    stream,
    entrada: { formato: "mensagens", mensagens: req.mensagens, configuracao: req.configuracao },
    sinal: opcoes.signal,
    recebidoEm: performance.now(),
    depois: depois ? (gravacao) => depois(() => gravacao) : semEspera,
    enquadrar: quadrosRequisicao,
  });
}

const semEspera = () => {};

/** One chat request, answered whole. Counted in the statistics whatever happens. */
export async function enviarRequisicao(idBruto: string | number, entrada: unknown, opcoes: OpcoesRequisicao = {}): Promise<RespostaLLM> {
  const r = await atender(idBruto, entrada, opcoes, false);
  if (r.tipo !== "resposta") throw comoErroApp(new Error("resposta inesperada do pipeline"));
  return r.resposta;
}

/**
 * A streamed answer's frames, and how to settle it once the writer is done, however it ended: a stream
 * never read (the response failed before its first frame) is cancelled upstream and recorded as such, where
 * its generator's `finally` would never run. A second call, or one after the stream ended, does nothing.
 */
export type StreamRequisicao = { quadros: AsyncIterable<Uint8Array>; descartar: () => void };

/**
 * One chat request, streamed. Resolves once the server has started answering (its first piece of text),
 * so a server that is down, rejects the key or lacks the model is still a plain JSON error with its
 * status. After that, the same events for every server type: deltas, then `fim` or `erro`.
 * Stopping the frames early, or the caller's signal (the caller left, or pressed stop), cancels the
 * upstream request.
 */
export async function abrirStreamRequisicao(
  idBruto: string | number,
  entrada: unknown,
  opcoes: OpcoesRequisicao = {},
): Promise<StreamRequisicao> {
  const r = await atender(idBruto, entrada, opcoes, true);
  if (r.tipo === "stream") return r;
  throw comoErroApp(new Error("resposta inesperada do pipeline"));
}
