import "server-only";
import { and, eq } from "drizzle-orm";
import { db, ehBancoIndisponivel } from "@/db/client";
import { modelosProvedores, provedoresLlm } from "@/db/schema";
import { comoErroApp, ErroApp } from "../errors";
import { doProcesso } from "../unico-por-processo";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import { type buscarLinha, buscarLinhaOuConhecida, catalogoMudou } from "../provedores/linha-do-provedor";
import { acompanhar, esquecer } from "../saude/estado";
import { aoMudarProvedor } from "../saude/mudancas";
import { publicar } from "../saude/eventos";
import { observar } from "../saude/observar";

/** A check waits at most this long (or the provider's own timeout, if shorter): it asks for almost nothing. */
const LIMITE_CHECAGEM_S = 10;
/** The list of active providers is read again this often, for changes made by another process. */
const RELEITURA_MS = 60_000;

const monitor = doProcesso("monitor", () => ({
  ligado: false,
  /** pararMonitor ran (the shutdown): a check still under way records nothing. Never set on Vercel's rounds. */
  parado: false,
  proximas: new Map<number, NodeJS.Timeout>(),
  emCurso: new Map<number, AbortController>(),
  releitura: null as NodeJS.Timeout | null,
}));

// Bumped per provider by every change (lib/saude/mudancas.ts): a check started before the change describes a server that
// may no longer be this one, and gives way to the check the change starts.
const geracoes = doProcesso("geracoesMonitor", () => new Map<number, number>());
const geracaoDe = (id: number) => geracoes.get(id) ?? 0;

/** Off with MONITOR=desligado, and on Vercel, where no process lasts (a cron route runs rounds there). */
export function monitorNesteAmbiente(): boolean {
  return process.env.MONITOR !== "desligado" && !process.env.VERCEL;
}

/** ±10% around the interval, so providers registered together do not stay in step. */
function comJitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
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
  // Also given up once the monitor stopped: a failure then is the shutdown's own (its calls are cut), not the server's.
  const atual = () => geracaoDe(id) === geracao && !monitor.parado;
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
  const timer = setTimeout(async () => {
    monitor.proximas.delete(id);
    const proxima = await verificarProvedor(id).catch((e: unknown) => {
      // A database outage is logged once, where it is noticed (db/client.ts), not by every check.
      if (!ehBancoIndisponivel(e)) console.error("[provedores-llm] verificação falhou:", (e as Error).message);
      return 30_000;
    });
    if (monitor.ligado && proxima !== null && !monitor.proximas.has(id)) agendar(id, comJitter(proxima));
  }, atrasoMs);
  // A pending check never keeps the process alive.
  timer.unref();
  monitor.proximas.set(id, timer);
}

/** Follows every active provider: new ones are checked within two seconds, the gone ones stop. */
async function lerAtivos(): Promise<void> {
  const linhas = await db().select({ id: provedoresLlm.id, ativo: provedoresLlm.ativo }).from(provedoresLlm);
  const ativos = new Set(linhas.filter((l) => l.ativo).map((l) => l.id));
  for (const [id, timer] of monitor.proximas) {
    if (!ativos.has(id)) {
      clearTimeout(timer);
      monitor.proximas.delete(id);
    }
  }
  for (const id of ativos) {
    if (!monitor.proximas.has(id) && !monitor.emCurso.has(id)) agendar(id, Math.random() * 2000);
  }
}

export async function iniciarMonitor(): Promise<void> {
  if (monitor.ligado) return;
  monitor.ligado = true;
  monitor.parado = false;
  await lerAtivos();
  monitor.releitura = setInterval(() => void lerAtivos().catch(() => {}), RELEITURA_MS);
  monitor.releitura.unref();
}

/** Stops every timer and cancels the checks in flight (on shutdown). */
export function pararMonitor(): void {
  monitor.ligado = false;
  monitor.parado = true;
  if (monitor.releitura) clearInterval(monitor.releitura);
  for (const timer of monitor.proximas.values()) clearTimeout(timer);
  monitor.proximas.clear();
  for (const controle of monitor.emCurso.values()) controle.abort();
}

/**
 * A provider was created, edited or deleted (lib/saude/mudancas.ts, which also forgets its status): a check in
 * flight is given up and its result discarded; with the monitor running, the provider is checked again at once.
 */
function aoMudar(id: number): void {
  geracoes.set(id, geracaoDe(id) + 1);
  monitor.emCurso.get(id)?.abort();
  monitor.emCurso.delete(id);
  if (monitor.ligado) agendar(id, Math.random() * 300);
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
