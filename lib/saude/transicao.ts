import "server-only";
import type { StatusProvedor } from "@/db/schema";
import type { CodigoErro, ErroApp } from "../errors";

/** Failures in a row (checks, or refused requests) that make a provider offline. */
export const FALHAS_PARA_OFFLINE = 3;
/** A check slower than this still counts as an answer, but the provider shows as unstable. */
export const CHECAGEM_LENTA_MS = 2000;

/**
 * What one observation said. A check brings its latency; a request that succeeded proves the server
 * serves, but a generation's time says nothing about health, so it brings none.
 */
export type Observacao =
  | { ok: true; carregando: boolean; latenciaMs: number | null }
  | { ok: false; codigo: CodigoErro; motivo: string; decisiva?: boolean };

export type Situacao = { status: StatusProvedor; falhas_seguidas: number; motivo: string | null };

const FORA: readonly StatusProvedor[] = ["desconhecido", "offline", "erro"];

/**
 * The status after one observation, with hysteresis: an answer makes a provider `online` at once (or
 * `carregando` while it loads a model, `instavel` when it answered slowly); a failure makes a provider
 * that was answering `instavel`, and only the third in a row `offline` (or `erro` when the server answers,
 * wrongly: a rejected key, not the expected API). A provider never seen answering is down at its first failure,
 * and so is one whose failure is `decisiva` (a connection test the user asked for is taken at its word).
 */
export function proximaSituacao(atual: Situacao, o: Observacao): Situacao {
  if (o.ok) {
    if (o.carregando) return { status: "carregando", falhas_seguidas: 0, motivo: "O servidor está carregando o modelo." };
    if (o.latenciaMs !== null && o.latenciaMs > CHECAGEM_LENTA_MS) {
      return { status: "instavel", falhas_seguidas: 0, motivo: `Respondeu, mas devagar: ${o.latenciaMs} ms.` };
    }
    return { status: "online", falhas_seguidas: 0, motivo: null };
  }
  // Counted up to the threshold: past it, another failure changes nothing (and writes nothing).
  const falhas = Math.min(atual.falhas_seguidas + 1, FALHAS_PARA_OFFLINE);
  const queda: StatusProvedor = o.codigo === "provedor_indisponivel" || o.codigo === "provedor_timeout" ? "offline" : "erro";
  if (falhas >= FALHAS_PARA_OFFLINE || FORA.includes(atual.status) || o.decisiva) {
    // Already down for the same kind of reason: the first reason stays (it says when it began).
    if (atual.status === queda) return { ...atual, falhas_seguidas: falhas };
    return { status: queda, falhas_seguidas: falhas, motivo: o.motivo };
  }
  return {
    status: "instavel",
    falhas_seguidas: falhas,
    motivo: `${falhas === 1 ? "1 falha" : `${falhas} falhas seguidas`} (offline na ${FALHAS_PARA_OFFLINE}ª): ${o.motivo}`,
  };
}

/** A server that says it is loading a model (llama.cpp's 503 "Loading model") is up, not failing. */
export function observacaoDoErro(erro: ErroApp, decisiva = false): Observacao {
  if (erro.statusServidor === 503 && /carregando o modelo/i.test(erro.message)) return { ok: true, carregando: true, latenciaMs: null };
  return { ok: false, codigo: erro.codigo, motivo: erro.message, decisiva };
}
