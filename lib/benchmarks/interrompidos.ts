import "server-only";
import { and, eq, lt, ne, notInArray, or, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { benchmarks } from "@/db/schema";
import { idDaInstancia } from "../instancia";

/** A running run's instance renews its heartbeat every 1 s: one silent this long is gone. */
export const BATIMENTO_PERDIDO_MS = 10_000;

export const MOTIVO_INTERROMPIDO = "A execução foi interrompida: o servidor do app reiniciou ou caiu no meio dela.";

/**
 * Now by the database's clock, in ms: the heartbeat is written and judged with it, so clocks that disagree between
 * instances cannot end a run that is still beating.
 */
export const agoraNoBanco = sql<Date>`cast(unixepoch('subsecond') * 1000 as integer)`;

/**
 * Runs whose instance stopped renewing their heartbeat (it crashed, or restarted) become `interrompido`, with the
 * cells they had. At startup (lib/inicializacao.ts), before each start, and before a run is read. This process's
 * own runs (`meus`: lib/benchmarks/execucoes.ts's) are alive while it runs them, however late their heartbeat (the
 * database was away a while).
 */
export async function marcarInterrompidos(meus: readonly number[] = []): Promise<void> {
  await db()
    .update(benchmarks)
    .set({ estado: "interrompido", erro: MOTIVO_INTERROMPIDO, eta_segundos: null, concluido_em: agoraNoBanco })
    .where(
      and(
        eq(benchmarks.estado, "executando"),
        lt(benchmarks.batimento_em, sql`${agoraNoBanco} - ${BATIMENTO_PERDIDO_MS}`),
        meus.length ? or(ne(benchmarks.instancia, idDaInstancia()), notInArray(benchmarks.id, [...meus])) : undefined,
      ),
    );
}
