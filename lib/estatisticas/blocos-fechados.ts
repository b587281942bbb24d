import "server-only";
import { doProcesso } from "../unico-por-processo";
import { HORA_MS, type Intervalo, MINUTO_MS } from "./baldes-de-tempo";

/**
 * The closed part of a period, read once. Counters and histograms of a whole hour or day that ended more than
 * MARGEM_MS ago no longer change (a request is counted in the minute it started, written when it ends and flushed
 * within seconds, by every instance), so a statistics read takes those rows from here and only the recent ones from
 * the database: 30 days across 20 servers cost a read of the last hours, not of every day again.
 *
 * Only whole hours and days are kept (the minute rows at a period's edges move every minute and are few). A block
 * is keyed by its scope, period and width, and remembers which parts it holds: when the period moves past a
 * boundary (every hour, every day) that block alone is read again. Blocks hold every provider's rows apart, so a
 * provider deleted since is left out when they are added up (see lerPeriodo). A late record (an outage's backlog,
 * written after the margin) makes the writer forget its blocks; another instance sees it at its next re-read.
 */
export const MARGEM_MS = HORA_MS;

/** The most blocks kept (each scope, period and width is one: 20 servers × 4 periods × 2 widths fit; the least recently used goes first). */
const MAX_BLOCOS = 256;

type Bloco<T> = { assinatura: string; valor: Promise<T> };
// One per process (the pages' bundle and the REST's share it).
const blocos = doProcesso("blocosFechados", () => new Map<string, Bloco<unknown>>());

/**
 * Splits parts at the last boundary of their width before `agora − MARGEM_MS`: what lies before is closed (hours
 * and days only), the rest is read fresh.
 */
export function separarFechadas(partes: readonly Intervalo[], agora: number): { fechadas: Intervalo[]; abertas: Intervalo[] } {
  const fechadas: Intervalo[] = [];
  const abertas: Intervalo[] = [];
  const limite = agora - MARGEM_MS;
  for (const p of partes) {
    if (p.largura <= MINUTO_MS) {
      abertas.push(p);
      continue;
    }
    const corte = Math.floor(limite / p.largura) * p.largura;
    if (p.ate <= corte) fechadas.push(p);
    else if (p.de >= corte) abertas.push(p);
    else {
      fechadas.push({ largura: p.largura, de: p.de, ate: corte });
      abertas.push({ largura: p.largura, de: corte, ate: p.ate });
    }
  }
  return { fechadas, abertas };
}

/**
 * The block `chave` holding exactly the parts `assinatura` names: the one kept, or `ler()` now (kept for the next
 * read; a failed read is not kept). Concurrent reads of a block share one read.
 */
export function blocoFechado<T>(chave: string, assinatura: string, ler: () => Promise<T>): Promise<T> {
  const atual = blocos.get(chave);
  if (atual && atual.assinatura === assinatura) {
    // Most recently used last: the first key is the one to drop.
    blocos.delete(chave);
    blocos.set(chave, atual);
    return atual.valor as Promise<T>;
  }
  const valor = ler();
  blocos.set(chave, { assinatura, valor });
  valor.catch(() => {
    if (blocos.get(chave)?.valor === valor) blocos.delete(chave);
  });
  while (blocos.size > MAX_BLOCOS) blocos.delete(blocos.keys().next().value!);
  return valor;
}

/** Forgets every block: a late record was written (lib/estatisticas/registrar.ts), or the bench's cold read. */
export function esquecerBlocosFechados(): void {
  blocos.clear();
}
