import "server-only";
import { doProcesso } from "../unico-por-processo";
import { esquecer } from "./estado";

// Who follows providers and must hear of a change (the monitor, to check the provider again at once).
const ouvintes = doProcesso("ouvintesMudancaProvedor", () => new Set<(id: number) => void>());

/**
 * A provider was created, edited or deleted: what was known of its health no longer holds (a new address is a
 * new server), and whoever follows it hears of it. Called by the provider service after each write.
 */
export function provedorMudou(id: number): void {
  esquecer(id);
  for (const ouvir of ouvintes) ouvir(id);
}

/** Listens for provider changes (once per process: bundles share the set); returns how to stop. */
export function aoMudarProvedor(ouvir: (id: number) => void): () => void {
  ouvintes.add(ouvir);
  return () => ouvintes.delete(ouvir);
}
