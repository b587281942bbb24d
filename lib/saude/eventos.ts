import "server-only";
import type { StatusProvedor } from "@/db/schema";
import { doProcesso } from "../unico-por-processo";

/** What the live pages hear (SSE at /api/provedores-llm/eventos). */
export type EventoMonitor =
  | {
      tipo: "status";
      provedor_id: number;
      status: StatusProvedor;
      de: StatusProvedor;
      motivo: string | null;
      latencia_ms: number | null;
      em: string;
    }
  | { tipo: "modelos"; provedor_id: number; carregados: string[] }
  /**
   * A provider's queue in this instance (each instance has its own): sent by the stream at connect for every
   * queue, then on each change (at most one per 100 ms per provider). `limite` null: no limit.
   */
  | {
      tipo: "fila";
      provedor_id: number;
      em_voo: number;
      na_fila: number;
      limite: number | null;
      fila_max: number;
      /** The limit counts per loaded model (Ollama, LM Studio, llama-server's router mode). */
      por_modelo: boolean;
    };

export type EventoFila = Extract<EventoMonitor, { tipo: "fila" }>;

// One set of listeners per process: the monitor runs in one bundle, the SSE route in another.
const ouvintes = doProcesso("ouvintesMonitor", () => new Set<(e: EventoMonitor) => void>());

export function publicar(evento: EventoMonitor): void {
  for (const ouvir of ouvintes) {
    try {
      ouvir(evento);
    } catch (e) {
      console.error("[provedores-llm] ouvinte do monitor falhou:", (e as Error).message);
    }
  }
}

/** Returns the function that stops listening. */
export function ouvir(fn: (e: EventoMonitor) => void): () => void {
  ouvintes.add(fn);
  return () => ouvintes.delete(fn);
}
