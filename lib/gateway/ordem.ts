import "server-only";
import type { StatusProvedor } from "@/db/schema";
import type { Prontidao } from "../fila";
import type { SaudeProvedor } from "../saude/estado";
import type { ModeloNoProvedor, ProvedorRoteavel } from "./catalogo";

/** A provider that failed here this recently is tried after the others. */
export const FALHA_RECENTE_MS = 30_000;

/** What the order reads of one provider's health (the health store's entry). */
export type LeituraSaude = (id: number) => Readonly<SaudeProvedor> | undefined;

/** What the order reads of a provider's queue for one model (lib/fila: how soon it could start there). */
export type LeituraFila = (id: number, modelo: string) => Prontidao | undefined;

const SEM_FILA: LeituraFila = () => undefined;

/** 0: answering; 1: answering, but loading a model or unstable; 2: down, or failed here a moment ago. */
function faixa(p: ProvedorRoteavel, s: Readonly<SaudeProvedor> | undefined, agora: number): number {
  // The monitor's status is newer than the catalog's copy of the row.
  const status: StatusProvedor = s?.situacao?.status ?? p.status;
  const falha = s?.falhouEm ?? null;
  if (status === "offline" || status === "erro" || (falha !== null && agora - falha < FALHA_RECENTE_MS)) return 2;
  return status === "carregando" || status === "instavel" ? 1 : 0;
}

/**
 * The order to try: providers not known to be down (and, among those, the ones not loading or unstable); among
 * them, the ones whose queue is not full; then the one that can start the request soonest: a free place with the
 * model loaded (a cold load costs seconds to minutes), then a free place, then the shortest queue; then the model
 * loaded; then the fewest requests in flight from this app; then the lowest recent latency (this app's moving
 * average, else the monitor's last check); then the lowest id. A pure function of the candidates and the readings.
 */
export function ordenar(
  candidatos: ModeloNoProvedor[],
  ler: LeituraSaude,
  agora: number,
  lerFila: LeituraFila = SEM_FILA,
): ModeloNoProvedor[] {
  if (candidatos.length < 2) return candidatos;
  const chave = (c: ModeloNoProvedor) => {
    const s = ler(c.provedor.id);
    // A provider no request reached yet has no queue: a free place.
    const f = lerFila(c.provedor.id, c.modelo);
    const carregado = c.carregado === true || f?.classe === 0;
    const livre = f === undefined || f.classe <= 1;
    return [
      faixa(c.provedor, s, agora),
      f?.classe === 3 ? 1 : 0,
      livre ? (carregado ? 0 : 1) : 2,
      f?.naFila ?? 0,
      carregado ? 0 : 1,
      s?.emVoo ?? 0,
      s?.latenciaMs ?? c.provedor.latencia ?? Number.MAX_SAFE_INTEGER,
      c.provedor.id,
    ];
  };
  return candidatos
    .map((c) => ({ c, k: chave(c) }))
    .sort((a, b) => {
      for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return a.k[i]! - b.k[i]!;
      return 0;
    })
    .map((x) => x.c);
}
