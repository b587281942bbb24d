import "server-only";
// The "did you mean" list of the gateway's 404. It runs on the event loop for every unknown id a client
// sends, against every model id of the catalogue (thousands): its work is bounded whatever the caller sends.

/** Longer ids are compared by containment only (no model id is that long; a distance to one would mean nothing). */
const MAX_ALVO = 128;
/** At most this many edits apart: a typo, not another model. */
const MAX_EDICOES = 4;
/** Edit-distance cells per 404 at most (about a millisecond): past it, only containment is checked. */
const MAX_CELULAS = 250_000;

export type Sugestoes = { ids: string[]; celulas: number };

// Two rows of the distance table, reused by every comparison (the work is synchronous): no allocation per id.
let linhas: [Int32Array, Int32Array] = [new Int32Array(MAX_ALVO + 2), new Int32Array(MAX_ALVO + 2)];

/**
 * Levenshtein distance of `a` and `b` when at most `limite`, else `limite + 1`: only the cells within
 * `limite` of the diagonal can hold such a distance, and a row with none left ends the comparison.
 * `conta.celulas` grows by the cells computed.
 */
export function distanciaAte(a: string, b: string, limite: number, conta: { celulas: number }): number {
  const fora = limite + 1;
  if (Math.abs(a.length - b.length) > limite) return fora;
  if (a.length > b.length) [a, b] = [b, a];
  const m = b.length;
  if (linhas[0].length < m + 2) linhas = [new Int32Array(m + 2), new Int32Array(m + 2)];
  let [anterior, atual] = linhas;
  for (let j = 0; j <= m + 1; j++) anterior[j] = j <= limite ? j : fora;
  for (let i = 1; i <= a.length; i++) {
    const de = Math.max(1, i - limite);
    const ate = Math.min(m, i + limite);
    atual[de - 1] = de === 1 && i <= limite ? i : fora;
    let menor = atual[de - 1]!;
    const ca = a.charCodeAt(i - 1);
    for (let j = de; j <= ate; j++) {
      const v = Math.min(anterior[j]! + 1, atual[j - 1]! + 1, anterior[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      atual[j] = Math.min(v, fora);
      if (v < menor) menor = v;
    }
    // The next row reads one cell past this band: it is out of reach.
    atual[ate + 1] = fora;
    conta.celulas += ate - de + 1;
    if (menor > limite) return fora;
    [anterior, atual] = [atual, anterior];
  }
  return Math.min(anterior[m]!, fora);
}

/**
 * The (at most) `quantos` ids closest to `id`: those containing it or contained in it first (the nearest in
 * length first), then the fewest edits away.
 */
export function parecidos(ids: Iterable<string>, id: string, quantos = 3): Sugestoes {
  const alvo = id.toLowerCase();
  const limite = Math.min(MAX_EDICOES, Math.max(2, Math.floor(alvo.length / 4)));
  const conta = { celulas: 0 };
  const achados: { m: string; contem: boolean; d: number }[] = [];
  for (const m of ids) {
    const nome = m.toLowerCase();
    if (nome.includes(alvo) || alvo.includes(nome)) {
      achados.push({ m, contem: true, d: Math.abs(nome.length - alvo.length) });
      continue;
    }
    if (alvo.length > MAX_ALVO || Math.abs(nome.length - alvo.length) > limite) continue;
    // The most a comparison can cost: none that could pass the budget is started.
    if (conta.celulas + (2 * limite + 1) * Math.min(nome.length, alvo.length) > MAX_CELULAS) continue;
    const d = distanciaAte(alvo, nome, limite, conta);
    if (d <= limite) achados.push({ m, contem: false, d });
  }
  achados.sort((a, b) => Number(b.contem) - Number(a.contem) || a.d - b.d || a.m.localeCompare(b.m));
  return { ids: achados.slice(0, quantos).map((x) => x.m), celulas: conta.celulas };
}
