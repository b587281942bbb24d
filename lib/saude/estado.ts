import "server-only";
import { bancoDisponivel } from "@/db/client";
import type { ProvedorLLMLinha, StatusProvedor } from "@/db/schema";
import { duracao } from "../duracao";
import { ErroApp } from "../errors";
import { doProcesso } from "../unico-por-processo";
import type { Situacao } from "./transicao";

/**
 * The one health store: what this process knows of each provider's health — its status as the monitor,
 * connection tests and requests observed it (the database holds the same: status, falhas_seguidas), the
 * breaker, and the router's own readings (requests in flight, recent latency, a failure a moment ago).
 * The router, the monitor and the pages read it here; only lib/saude/observar.ts changes the status.
 */

export type LinhaAcompanhada = Pick<ProvedorLLMLinha, "id" | "nome" | "status" | "falhas_seguidas" | "intervalo_verificacao_segundos">;

/** A provider's status as last observed, and what the breaker needs to refuse it. */
export type Acompanhamento = Situacao & {
  nome: string;
  intervaloMs: number;
  /** When the status last changed (or was first seen), for "offline há 3 min". */
  desde: number;
  /** When the circuit breaker last let a request through to an offline provider. */
  passagemEm: number;
};

export type SaudeProvedor = {
  /** Null until the provider is followed (its row read), and again once it changed (esquecer). */
  situacao: Acompanhamento | null;
  /** Attempts of this process under way: from their start to their last byte, failure or cancellation. */
  emVoo: number;
  /** Moving average of the time to the first byte of an answer. */
  latenciaMs: number | null;
  /** When an attempt last failed because of the server (unreachable, timed out, a 5xx, a cut answer). */
  falhouEm: number | null;
  /** This process's status writes queued, or kept for when the database returns: while any is, memory is newer than the row. */
  porGravar: number;
  /** When the last of them ended: a row read before it (the catalogue's, a cached one) may still be served a moment. */
  gravadoEm: number;
};

/**
 * A row read this long after this process's last status write is taken as newer than memory: longer than the
 * short-lived copies of a row (the gateway's catalogue, the request's row, 2 s each) can outlive that write.
 */
const FRESCOR_DA_LINHA_MS = 5000;

/**
 * How an attempt ended: `falhou` says the server is unwell (unreachable, timed out, cut its answer) and marks
 * it for a while; `erro` is an error about this request only (the server's own error event), which does not.
 */
export type FimDaTentativa = "ok" | "falhou" | "erro" | "cancelado";

const saudes = doProcesso("saudeProvedores", () => new Map<number, SaudeProvedor>());

function entrada(id: number): SaudeProvedor {
  let s = saudes.get(id);
  if (!s) {
    s = { situacao: null, emVoo: 0, latenciaMs: null, falhouEm: null, porGravar: 0, gravadoEm: 0 };
    saudes.set(id, s);
  }
  return s;
}

/** What is known of a provider, for reading only (undefined: nothing yet). */
export function saudeDe(id: number): Readonly<SaudeProvedor> | undefined {
  return saudes.get(id);
}

/** The provider's followed status, for the writer of observations (lib/saude/observar.ts). */
export function acompanhamentoDe(id: number): Acompanhamento | null {
  return saudes.get(id)?.situacao ?? null;
}

export function statusAtual(id: number): StatusProvedor | undefined {
  return saudes.get(id)?.situacao?.status;
}

/**
 * Starts following a provider from its stored status, or refreshes its name and interval — and its status and
 * failures too, when the row says otherwise and this process has no status write of its own that the row may not
 * show yet (another instance, or a cron round, wrote it): the pages read the row, and requests must agree.
 */
export function acompanhar(linha: LinhaAcompanhada): void {
  const s = entrada(linha.id);
  const a = s.situacao;
  if (a) {
    a.nome = linha.nome;
    a.intervaloMs = linha.intervalo_verificacao_segundos * 1000;
    if (
      (a.status !== linha.status || a.falhas_seguidas !== linha.falhas_seguidas) &&
      s.porGravar === 0 &&
      Date.now() - s.gravadoEm > FRESCOR_DA_LINHA_MS &&
      bancoDisponivel()
    ) {
      if (a.status !== linha.status) {
        a.desde = Date.now();
        a.motivo = null;
        // Just learnt offline: refused from now for an interval, as if this process had seen it fail.
        a.passagemEm = Date.now();
      }
      a.status = linha.status;
      a.falhas_seguidas = linha.falhas_seguidas;
    }
    return;
  }
  s.situacao = {
    status: linha.status,
    falhas_seguidas: linha.falhas_seguidas,
    motivo: null,
    nome: linha.nome,
    intervaloMs: linha.intervalo_verificacao_segundos * 1000,
    desde: Date.now(),
    passagemEm: 0,
  };
}

/**
 * Forgets a provider's status (deleted, or its address changed): the next observation starts from its row.
 * The router's readings stay: the attempts in flight are still this process's, and end as they will.
 */
/** A status write of this process was queued (`true`) or ended, written or not (`false`): lib/saude/observar.ts. */
export function gravacaoDeStatus(id: number, pendente: boolean): void {
  const s = entrada(id);
  if (pendente) s.porGravar += 1;
  else {
    s.porGravar -= 1;
    s.gravadoEm = Date.now();
  }
}

export function esquecer(id: number): void {
  const s = saudes.get(id);
  if (s) s.situacao = null;
}

/**
 * Offline as this process knows it — exactly what the pages show: a server never seen answering is offline at
 * its first failure, one that was answering at its third in a row (the hysteresis of lib/saude/transicao.ts),
 * whoever observed it (the monitor, a connection test, requests, or the row another process wrote).
 */
export function sabidamenteOffline(id: number): boolean {
  return saudes.get(id)?.situacao?.status === "offline";
}

/**
 * The circuit breaker: a provider known offline is refused at once with the stored reason, instead of
 * making the caller wait for its timeout; one request per check interval still goes through, as a probe, and
 * its answer (first byte) makes the provider online again. On whether or not the monitor runs: the probe is
 * the way back without it (MONITOR=desligado, Vercel, a shutdown under way).
 * Returns the refusal, or null to go ahead.
 */
export function recusaDoDisjuntor(id: number): ErroApp | null {
  if (!sabidamenteOffline(id)) return null;
  const a = saudes.get(id)!.situacao!;
  const agora = Date.now();
  if (agora - a.passagemEm >= a.intervaloMs) {
    a.passagemEm = agora;
    return null;
  }
  return new ErroApp(
    "provedor_indisponivel",
    `O provedor "${a.nome}" está offline há ${duracao(agora - a.desde)}${a.motivo ? ` (${a.motivo.replace(/\.$/, "")})` : ""}. ` +
      `Nova tentativa em até ${duracao(a.intervaloMs - (agora - a.passagemEm))}; a página do provedor mostra quando ele voltar.`,
  );
}

/** An attempt started: in flight until its last byte, its failure or its cancellation (`terminou`). */
export function comecou(id: number): void {
  entrada(id).emVoo += 1;
}

/**
 * The server answered: the provider answers again. `primeiroByteMs`, the time to a stream's first byte, feeds the
 * router's moving average; null for a whole answer, whose time is the generation's, not the server's readiness.
 */
export function respondeu(id: number, primeiroByteMs: number | null): void {
  const s = entrada(id);
  if (primeiroByteMs !== null) s.latenciaMs = s.latenciaMs === null ? primeiroByteMs : s.latenciaMs * 0.8 + primeiroByteMs * 0.2;
  s.falhouEm = null;
}

/**
 * One attempt ended, however (a stream only at its end): no longer in flight; a failure marks the provider.
 * Called once per `comecou` (lib/gateway/tentar.ts settles each attempt once); a call with nothing in flight is a
 * defect, logged rather than hidden.
 */
export function terminou(id: number, fim: FimDaTentativa): void {
  const s = entrada(id);
  if (s.emVoo > 0) s.emVoo -= 1;
  else console.error(`[provedores-llm] tentativa encerrada sem estar em curso (provedor ${id}).`);
  if (fim === "falhou") s.falhouEm = Date.now();
}
