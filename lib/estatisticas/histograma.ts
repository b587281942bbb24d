import "server-only";

/**
 * Fixed log-scale latency buckets, the same for every provider, model and minute, so any set of them
 * merges by adding counts. Bucket 0 holds times under 0.1 ms; bucket i ≥ 1 holds [0.1·r^(i-1), 0.1·r^i)
 * with r = 1.1, up to 10 minutes (anything slower falls in the last bucket). A bucket is reported by its
 * geometric middle, which is within √1.1 − 1 ≈ 4.9% of every time it holds.
 */
const MENOR_MS = 0.1;
const RAZAO = 1.1;
const LOG_RAZAO = Math.log(RAZAO);
const MAIOR_MS = 10 * 60_000;
export const ULTIMO_BALDE = Math.ceil(Math.log(MAIOR_MS / MENOR_MS) / LOG_RAZAO);

export function baldeDe(ms: number): number {
  if (!(ms >= MENOR_MS)) return 0;
  const i = Math.floor(Math.log(ms / MENOR_MS) / LOG_RAZAO) + 1;
  return Math.min(i, ULTIMO_BALDE);
}

/** The time a bucket stands for: its geometric middle (bucket 0: half of its upper edge). */
export function valorDoBalde(balde: number): number {
  if (balde <= 0) return MENOR_MS / 2;
  return MENOR_MS * RAZAO ** (balde - 1) * Math.sqrt(RAZAO);
}

/** Counts by bucket, merged from any number of rows. */
export type Histograma = Map<number, number>;

export function somar(h: Histograma, balde: number, quantidade: number): void {
  h.set(balde, (h.get(balde) ?? 0) + quantidade);
}

export function totalDe(h: Histograma): number {
  let n = 0;
  for (const q of h.values()) n += q;
  return n;
}

/**
 * Nearest-rank percentile (q in 0–1), rounded to 0.1 ms; null for an empty histogram. Bucket 0 (under 0.1 ms)
 * rounds to 0: a queue's wait is mostly exactly 0 (the request did not wait), and its p50 says so.
 */
export function percentil(h: Histograma, q: number): number | null {
  const total = totalDe(h);
  if (total === 0) return null;
  const posicao = Math.max(1, Math.ceil(q * total));
  let acumulado = 0;
  for (const balde of [...h.keys()].sort((a, b) => a - b)) {
    acumulado += h.get(balde) ?? 0;
    if (acumulado >= posicao) return balde <= 0 ? 0 : Math.round(valorDoBalde(balde) * 10) / 10;
  }
  return null;
}
