import "server-only";
import type { JanelaDeLimite } from "@/db/schema";

/** A window of a key's limits: its start and end, ms since the epoch, in UTC. */
export type Intervalo = { inicio: number; fim: number };

const MINUTO_MS = 60_000;
const DIA_MS = 86_400_000;

/**
 * The window `agora` falls in, in UTC: the calendar minute (rpm, tpm), day (daily budget) or month (monthly
 * budget). Every instance computes the same start for the same instant, so they count in the same row.
 */
export function intervaloDe(janela: JanelaDeLimite, agora: number): Intervalo {
  if (janela === "minuto") {
    const inicio = agora - (agora % MINUTO_MS);
    return { inicio, fim: inicio + MINUTO_MS };
  }
  if (janela === "dia") {
    const inicio = agora - (agora % DIA_MS);
    return { inicio, fim: inicio + DIA_MS };
  }
  const d = new Date(agora);
  return { inicio: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), fim: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

/** Whole seconds until `fim` (at least 1): what `Retry-After` says. */
export function segundosAte(fim: number, agora: number): number {
  return Math.max(1, Math.ceil((fim - agora) / 1000));
}

/** A wait as OpenAI writes it in `x-ratelimit-reset-*`: `250ms`, `12s`, `6m0s`, `3h2m5s`. */
export function duracaoOpenAI(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

const FORMATO_PT = new Intl.DateTimeFormat("pt-BR", {
  timeZone: "UTC",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** An instant as a budget's renewal is told: `03/12/2026 às 00:00 (UTC)`. */
export function quandoEmPtBr(ms: number): string {
  return `${FORMATO_PT.format(new Date(ms)).replace(", ", " às ")} (UTC)`;
}
