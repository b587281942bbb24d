import "server-only";

/**
 * The typical generation speed (tokens of the answer per second, p50) of each provider over [desde, ate), from
 * the statistics. The statistics do not record the generation speed yet: no provider has a figure, and the
 * overview shows "—" rather than one worked out from totals that do not measure it (a whole answer's time
 * includes the prompt's processing and the queue). When they do, this is the one place that reads it.
 */
export async function tokensPorSegundoTipicos(_ids: readonly number[], _desde: number, _ate: number): Promise<Map<number, number>> {
  return new Map();
}
