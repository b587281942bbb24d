import "server-only";

/**
 * Per-model counters and latency histograms are kept at three widths: the minute, and the hour and day
 * that contain it, all written by the same upsert. A period is read as its whole days, plus the whole hours
 * and then the minutes at its two edges, so reading 30 days costs a few hundred rows however many
 * requests they hold, and counts exactly what the per-minute rows would.
 */
export const MINUTO_MS = 60_000;
export const HORA_MS = 60 * MINUTO_MS;
export const DIA_MS = 24 * HORA_MS;
/** Minute rows serve the edges of any period up to 30 days; hours and days last as long as the counters. */
export const NIVEIS = [
  { largura: MINUTO_MS, retencao: 32 * DIA_MS },
  { largura: HORA_MS, retencao: 400 * DIA_MS },
  { largura: DIA_MS, retencao: 400 * DIA_MS },
] as const;
export const LARGURAS = NIVEIS.map((n) => n.largura);

export const inicioDe = (instante: number, largura: number): number => Math.floor(instante / largura) * largura;

export type Intervalo = { largura: number; de: number; ate: number };

/**
 * Splits [desde, ate) (both on minute boundaries) into the fewest rows of the three widths, none wider
 * than `maiorLargura` (a series point must not fall inside one row).
 */
export function intervalos(desde: number, ate: number, maiorLargura = DIA_MS): Intervalo[] {
  const larguras = LARGURAS.filter((l) => l <= maiorLargura);
  const partes: Intervalo[] = [];
  let de = desde;
  let fim = ate;
  for (let i = 0; i < larguras.length - 1; i++) {
    const largura = larguras[i]!;
    const maior = larguras[i + 1]!;
    const deMaior = Math.ceil(de / maior) * maior;
    const fimMaior = inicioDe(fim, maior);
    if (deMaior >= fimMaior) {
      if (de < fim) partes.push({ largura, de, ate: fim });
      return partes;
    }
    if (de < deMaior) partes.push({ largura, de, ate: deMaior });
    if (fimMaior < fim) partes.push({ largura, de: fimMaior, ate: fim });
    de = deMaior;
    fim = fimMaior;
  }
  if (de < fim) partes.push({ largura: larguras[larguras.length - 1]!, de, ate: fim });
  return partes;
}
