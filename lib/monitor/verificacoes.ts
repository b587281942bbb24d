import "server-only";
import { and, eq } from "drizzle-orm";
import { bancoDisponivel, db, ehBancoIndisponivel } from "@/db/client";
import { modelosProvedores, provedoresLlm } from "@/db/schema";
import { comoErroApp, ErroApp } from "../errors";
import { doProcesso } from "../unico-por-processo";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import { type buscarLinha, buscarLinhaOuConhecida, catalogoMudou } from "../provedores/linha-do-provedor";
import { acompanhar, esquecer } from "../saude/estado";
import { aoMudarProvedor } from "../saude/mudancas";
import { publicar } from "../saude/eventos";
import { observar } from "../saude/observar";
import { DURACAO_CONCESSAO_MS, MARGEM_CONCESSAO_MS, PRAZO_TOMADA_MS, RENOVACAO_MS, soltarConcessao, tomarConcessao } from "./concessao";
import { pararDeSeguir, seguirRodada } from "./seguidor";

/** A check waits at most this long (or the provider's own timeout, if shorter): it asks for almost nothing. */
const LIMITE_CHECAGEM_S = 10;
/** The lease's name (lib/monitor/concessao.ts): the monitor runs on the one instance that holds it. */
const CONCESSAO = "monitor";

/**
 * Several instances on one database: only the holder of the monitor's lease checks (lib/monitor/concessao.ts).
 * Every instance tries for it every RENOVACAO_MS; the holder renews it then, and reads the active providers again
 * (one created on another instance is checked within a round); the others follow what the holder writes
 * (lib/monitor/seguidor.ts). A dead holder's lease lapses DURACAO_CONCESSAO_MS after its last renewal and the next
 * round of another instance takes it. A lease try waits at most PRAZO_TOMADA_MS and never behind the follow read,
 * so a try goes out every round however slow the database: replaced within 6 + 2 s when the try answers in time;
 * a try that lands past its deadline takes the lease unknown to its sender, whose next round (2 s on) renews it:
 * at worst 6 + 2 + 2 s plus PRAZO_TOMADA_MS, under 12 s, within 3 check intervals of the shortest allowed (5 s). The new holder starts from the check times stored in the database, so no
 * server is checked more often than its interval at the handover either.
 */
const monitor = doProcesso("monitor", () => ({
  /** iniciarMonitor ran: this process takes part (tries for the lease, follows the holder). */
  ligado: false,
  /** This process holds the lease and checks. */
  checando: false,
  /** pararMonitor ran (the shutdown): a check still under way records nothing. Never set on Vercel's rounds. */
  parado: false,
  /** Bumped whenever this process stops checking: a check started before records nothing. */
  mandato: 0,
  proximas: new Map<number, NodeJS.Timeout>(),
  emCurso: new Map<number, AbortController>(),
  /** Per provider, checks whose timer fired and that have not rescheduled yet (one may still be reading the row). */
  disparadas: new Map<number, number>(),
  /** The rounds: the lease, then the providers (holder) or what the holder wrote (the others). */
  rodadas: null as NodeJS.Timeout | null,
  /** A round under way: the next waits for it rather than piling up behind a slow database. */
  emRodada: false,
  /** A follow read under way (lib/monitor/seguidor.ts): apart from the round, so the lease try never waits for it. */
  seguindo: false,
  /** When the lease lapses by this process's count: checking stops then unless a renewal came first. */
  vence: null as NodeJS.Timeout | null,
  /** When the lease lapsed by this process's count while its renewal was failing or waiting (0: it did not). */
  vencidaEm: 0,
  /** The last renewal failed on the database (away, or past its deadline), rather than being refused. */
  renovacaoFalhou: false,
}));

// Bumped per provider by every change (lib/saude/mudancas.ts): a check started before the change describes a server that
// may no longer be this one, and gives way to the check the change starts.
const geracoes = doProcesso("geracoesMonitor", () => new Map<number, number>());
const geracaoDe = (id: number) => geracoes.get(id) ?? 0;

/** Off with MONITOR=desligado, and on Vercel, where no process lasts (a cron route runs rounds there). */
export function monitorNesteAmbiente(): boolean {
  return process.env.MONITOR !== "desligado" && !process.env.VERCEL;
}

/** Up to 10% past the interval, so providers registered together do not stay in step; never sooner than it. */
function comJitter(ms: number): number {
  return Math.round(ms * (1 + Math.random() * 0.1));
}

/** Marks the loaded models the server named; announces a change. */
async function atualizarCarregados(id: number, carregados: string[]): Promise<void> {
  const nomes = new Set(carregados);
  const linhas = await db()
    .select({ modelo: modelosProvedores.modelo, carregado: modelosProvedores.carregado })
    .from(modelosProvedores)
    .where(eq(modelosProvedores.provedor_id, id));
  const mudaram = linhas.filter((l) => l.carregado !== nomes.has(l.modelo));
  if (!mudaram.length) return;
  const banco = db();
  const [primeira, ...outras] = mudaram.map((l) =>
    banco
      .update(modelosProvedores)
      .set({ carregado: nomes.has(l.modelo) })
      .where(and(eq(modelosProvedores.provedor_id, id), eq(modelosProvedores.modelo, l.modelo))),
  );
  if (primeira) await banco.batch([primeira, ...outras]);
  catalogoMudou();
  publicar({ tipo: "modelos", provedor_id: id, carregados: linhas.filter((l) => nomes.has(l.modelo)).map((l) => l.modelo) });
}

/**
 * One check of one provider, on the server's free native routes only (never a generation). A check of the
 * same provider already running is not repeated. Returns the interval to the next one, or null when the
 * provider is gone or inactive, or changed meanwhile (the check its change started takes over).
 */
export async function verificarProvedor(id: number): Promise<number | null> {
  const geracao = geracaoDe(id);
  const mandato = monitor.mandato;
  // Also given up once the monitor stopped: a failure then is the shutdown's own (its calls are cut), not the server's;
  // and once this process lost the lease: another instance checks now, and this one's result is no longer wanted.
  const atual = () => geracaoDe(id) === geracao && !monitor.parado && monitor.mandato === mandato;
  let linha: Awaited<ReturnType<typeof buscarLinha>>;
  try {
    // The database away: the server is still there to check, with the row last read.
    linha = await buscarLinhaOuConhecida(id);
  } catch (e) {
    if (e instanceof ErroApp && e.codigo === "nao_encontrado") {
      if (atual()) esquecer(id);
      return null;
    }
    throw e;
  }
  if (!atual() || !linha.ativo) return null;
  const intervaloMs = linha.intervalo_verificacao_segundos * 1000;
  // Only a check of this same version of the provider is in the map: a change removes the older ones.
  if (monitor.emCurso.has(id)) return intervaloMs;
  acompanhar(linha);
  const controle = new AbortController();
  monitor.emCurso.set(id, controle);
  const em = new Date();
  const inicio = performance.now();
  try {
    const v = await adaptadorDe(linha, Math.min(linha.timeout_segundos, LIMITE_CHECAGEM_S)).verificar(controle.signal);
    // Given up (the provider changed meanwhile: its result describes a server that is no longer this one; or the monitor stopped).
    if (!atual()) return null;
    const latencia = Math.max(1, Math.round(performance.now() - inicio));
    await observar(id, { ok: true, carregando: v.carregando, latenciaMs: latencia }, { em, latencia_ms: latencia });
    if (!atual()) return null;
    if (v.carregados) await atualizarCarregados(id, v.carregados);
  } catch (e) {
    const erro = comoErroApp(e);
    if (!atual()) return null;
    // Cancelled: the monitor is stopping; the database away (storing what was seen): neither says anything about the server.
    if (erro.codigo !== "cancelado" && erro.codigo !== "banco_indisponivel") {
      await observar(id, { ok: false, codigo: erro.codigo, motivo: erro.message }, { em, latencia_ms: null });
    }
  } finally {
    if (monitor.emCurso.get(id) === controle) monitor.emCurso.delete(id);
  }
  return atual() ? intervaloMs : null;
}

function agendar(id: number, atrasoMs: number): void {
  clearTimeout(monitor.proximas.get(id));
  const mandato = monitor.mandato;
  const timer = setTimeout(async () => {
    monitor.proximas.delete(id);
    // Until it reschedules, a reading of the active providers must not start a second line of checks for it.
    monitor.disparadas.set(id, (monitor.disparadas.get(id) ?? 0) + 1);
    const proxima = await verificarProvedor(id).catch((e: unknown) => {
      // A database outage is logged once, where it is noticed (db/client.ts), not by every check.
      if (!ehBancoIndisponivel(e)) console.error("[provedores-llm] verificação falhou:", (e as Error).message);
      return 30_000;
    });
    if (monitor.checando && monitor.mandato === mandato && proxima !== null && !monitor.proximas.has(id)) {
      agendar(id, comJitter(proxima));
    }
    const restantes = (monitor.disparadas.get(id) ?? 1) - 1;
    if (restantes > 0) monitor.disparadas.set(id, restantes);
    else monitor.disparadas.delete(id);
  }, atrasoMs);
  // A pending check never keeps the process alive.
  timer.unref();
  monitor.proximas.set(id, timer);
}

/**
 * Follows every active provider: the gone ones stop, new ones are checked when their interval since the last
 * check stored (by this instance or an earlier holder) has passed — within two seconds when never checked.
 */
async function lerAtivos(): Promise<void> {
  const mandato = monitor.mandato;
  const linhas = await db()
    .select({
      id: provedoresLlm.id,
      ativo: provedoresLlm.ativo,
      ultimo: provedoresLlm.ultimo_teste_em,
      intervalo: provedoresLlm.intervalo_verificacao_segundos,
    })
    .from(provedoresLlm);
  if (!monitor.checando || monitor.mandato !== mandato) return;
  const ativos = new Map(linhas.filter((l) => l.ativo).map((l) => [l.id, l]));
  for (const [id, timer] of monitor.proximas) {
    if (!ativos.has(id)) {
      clearTimeout(timer);
      monitor.proximas.delete(id);
    }
  }
  const agora = Date.now();
  for (const [id, l] of ativos) {
    if (monitor.proximas.has(id) || monitor.emCurso.has(id) || monitor.disparadas.has(id)) continue;
    const falta = l.ultimo ? l.ultimo.getTime() + l.intervalo * 1000 - agora : 0;
    agendar(id, Math.max(0, falta) + Math.random() * 2000);
  }
}

/** This process just took the lease: it checks from now on, each provider when it is due. */
async function assumir(): Promise<void> {
  monitor.checando = true;
  pararDeSeguir();
  await lerAtivos();
}

/**
 * How long past its lease's own count a holder whose renewals fail (the database slow or unreachable for it, not
 * yet declared away) goes on checking: about one database deadline, so a blip does not stop the live statuses.
 */
const GRACA_SEM_BANCO_MS = 6000;

/**
 * The lease lapsed by this holder's own count without a renewal. With the database declared away it keeps
 * checking: no instance can take the lease while the database answers none, the live pages still get each
 * status from memory (the product's promise through an outage), and the next round that reaches the database
 * renews the lease or lets it go. Should the database be away for this instance alone, another may take the lease
 * meanwhile, and a server is checked by both until this one's next round (its writes fail meanwhile anyway).
 */
function venceu(): void {
  monitor.vence = null;
  // Refused or late, the holder stops at once: another may hold the lease now.
  if (!monitor.emRodada && !monitor.renovacaoFalhou) return largar();
  const agora = performance.now();
  // The database away: nobody can take the lease meanwhile; the grace starts again when it is back.
  if (!bancoDisponivel() || monitor.vencidaEm === 0) monitor.vencidaEm = agora;
  else if (agora - monitor.vencidaEm >= GRACA_SEM_BANCO_MS) return largar();
  monitor.vence = setTimeout(venceu, 500);
  monitor.vence.unref();
}

/** This process no longer holds the lease (lost, lapsed, given up): it stops checking at once. */
function largar(): void {
  if (monitor.vence) clearTimeout(monitor.vence);
  monitor.vence = null;
  monitor.vencidaEm = 0;
  if (!monitor.checando) return;
  monitor.checando = false;
  monitor.mandato += 1;
  for (const timer of monitor.proximas.values()) clearTimeout(timer);
  monitor.proximas.clear();
  // A check in flight records nothing (its mandate ended) and its call is cut.
  for (const controle of monitor.emCurso.values()) controle.abort();
}

/**
 * One round: try for the lease (or renew it), then read the active providers (holder) or what the holder wrote.
 * The database failing: the holder keeps checking until its lease would lapse (`vence`), then stops — unless the
 * database is declared away, when it goes on until a round reaches it again (see `venceu`); the round goes on being
 * tried, and the first instance whose upsert succeeds once it is back holds the lease.
 */
async function rodada(): Promise<void> {
  if (monitor.emRodada || !monitor.ligado) return;
  monitor.emRodada = true;
  try {
    const enviadaEm = performance.now();
    let tem: boolean | null = null;
    try {
      tem = await comPrazo(tomarConcessao(CONCESSAO), PRAZO_TOMADA_MS);
    } catch (e) {
      if (!ehBancoIndisponivel(e)) console.error("[provedores-llm] concessão do monitor não renovada:", (e as Error).message);
    }
    if (!monitor.ligado) return;
    // Valid until the lease lapses as the database counts it at the latest: from when the renewal was sent, less a
    // margin for a late timer and the database host's clock stepping.
    const restaMs = enviadaEm + DURACAO_CONCESSAO_MS - MARGEM_CONCESSAO_MS - performance.now();
    // Not known (failed, or past its deadline) rather than refused: the lease may still be this instance's (`venceu`).
    monitor.renovacaoFalhou = tem === null;
    if (tem && restaMs > 0) {
      monitor.vencidaEm = 0;
      if (monitor.vence) clearTimeout(monitor.vence);
      monitor.vence = setTimeout(venceu, restaMs);
      monitor.vence.unref();
      if (!monitor.checando) await assumir();
      else await lerAtivos();
    } else if (tem !== null) {
      // Another instance holds it; or the renewal answered too late to count (a new one comes next round).
      largar();
    }
    // The holder too reads the status changes other instances wrote (its own are skipped by id).
    if (monitor.ligado && tem !== null) seguir(monitor.checando);
  } catch (e) {
    if (!ehBancoIndisponivel(e)) console.error("[provedores-llm] rodada do monitor falhou:", (e as Error).message);
  } finally {
    monitor.emRodada = false;
  }
}

/** The lease try's answer, or null (not known) once `ms` passed: a late answer is ignored, the next round tries again. */
function comPrazo<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const prazo = new Promise<null>((resolver) => {
    timer = setTimeout(() => resolver(null), ms);
    timer.unref();
  });
  p.catch(() => {});
  return Promise.race([p, prazo]).finally(() => clearTimeout(timer));
}

/** Reads what the holder wrote, one read at a time, without holding the round (the next lease try goes out). */
function seguir(titular: boolean): void {
  if (monitor.seguindo) return;
  monitor.seguindo = true;
  seguirRodada(titular)
    .catch((e: unknown) => {
      if (!ehBancoIndisponivel(e)) console.error("[provedores-llm] rodada do monitor falhou:", (e as Error).message);
    })
    .finally(() => {
      monitor.seguindo = false;
    });
}

export async function iniciarMonitor(): Promise<void> {
  if (monitor.ligado) return;
  monitor.ligado = true;
  monitor.parado = false;
  // The first round at once: alone on its database, this instance holds the lease and checks from the start.
  await rodada();
  monitor.rodadas = setInterval(() => void rodada(), RENOVACAO_MS);
  monitor.rodadas.unref();
}

/**
 * Stops every timer and cancels the checks in flight (on shutdown); the holder gives the lease up, so that
 * another instance takes over at its next round instead of waiting for the lease to lapse. The promise settles
 * once given up (or failed to: it then lapses).
 */
export function pararMonitor(): Promise<void> {
  const participava = monitor.ligado;
  monitor.ligado = false;
  monitor.parado = true;
  if (monitor.rodadas) clearInterval(monitor.rodadas);
  monitor.rodadas = null;
  largar();
  for (const timer of monitor.proximas.values()) clearTimeout(timer);
  monitor.proximas.clear();
  for (const controle of monitor.emCurso.values()) controle.abort();
  if (!participava) return Promise.resolve();
  // Only this instance's row is deleted: a lease another instance holds stays.
  return soltarConcessao(CONCESSAO).catch(() => {});
}

/**
 * A provider was created, edited or deleted (lib/saude/mudancas.ts, which also forgets its status): a check in
 * flight is given up and its result discarded; with the monitor running, the provider is checked again at once.
 */
function aoMudar(id: number): void {
  geracoes.set(id, geracaoDe(id) + 1);
  monitor.emCurso.get(id)?.abort();
  monitor.emCurso.delete(id);
  if (monitor.checando) agendar(id, Math.random() * 300);
}
// Once per process, whichever bundle loads the monitor first (its state is the process's either way).
doProcesso("monitorOuveMudancas", () => aoMudarProvedor(aoMudar));

/** One round of checks of every active provider, 8 at a time (the cron route on Vercel). */
export async function verificarTodos(): Promise<number> {
  const linhas = await db().select({ id: provedoresLlm.id }).from(provedoresLlm).where(eq(provedoresLlm.ativo, true));
  const fila = linhas.map((l) => l.id);
  await Promise.all(
    Array.from({ length: Math.min(8, fila.length) }, async () => {
      for (let id = fila.shift(); id !== undefined; id = fila.shift()) await verificarProvedor(id).catch(() => null);
    }),
  );
  return linhas.length;
}
