import "server-only";
import { and, eq, lt } from "drizzle-orm";
import { db } from "@/db/client";
import { benchmarks } from "@/db/schema";

/** A running run's instance renews its heartbeat at least every 2 s: one silent this long is gone. */
export const BATIMENTO_PERDIDO_MS = 10_000;

export const MOTIVO_INTERROMPIDO = "A execução foi interrompida: o servidor do app reiniciou ou caiu no meio dela.";

/**
 * Runs whose instance stopped renewing their heartbeat (it crashed, or restarted) become `interrompido`, with the
 * cells they had. At startup (lib/inicializacao.ts), before each start, and before a run is read.
 */
export async function marcarInterrompidos(agora = Date.now()): Promise<void> {
  await db()
    .update(benchmarks)
    .set({ estado: "interrompido", erro: MOTIVO_INTERROMPIDO, eta_segundos: null, concluido_em: new Date(agora) })
    .where(and(eq(benchmarks.estado, "executando"), lt(benchmarks.batimento_em, new Date(agora - BATIMENTO_PERDIDO_MS))));
}
