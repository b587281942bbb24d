import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { type BenchmarkLinha, benchmarks, provedoresLlm } from "@/db/schema";
import { ErroApp } from "../errors";
import type { Benchmark } from "../schemas/benchmark";
import { agoraNoBanco } from "./interrompidos";

/** The stored row as the contract's JSON (GET …/benchmarks/{bid}, and each SSE event). */
export function benchmarkDaLinha(l: BenchmarkLinha): Benchmark {
  return {
    id: l.id,
    provedor_id: l.provedor_id,
    modelo: l.modelo,
    estado: l.estado,
    perfil: l.perfil,
    progresso: { feitas: l.feitas, total: l.total, eta_segundos: l.estado === "executando" ? l.eta_segundos : null },
    celulas: l.celulas,
    servidor: l.servidor ?? null,
    erro: l.erro,
    criado_em: l.criado_em.toISOString(),
    concluido_em: l.concluido_em ? l.concluido_em.toISOString() : null,
  };
}

export async function lerLinha(provedorId: number, bid: number): Promise<BenchmarkLinha> {
  const [linha] = await db()
    .select()
    .from(benchmarks)
    .where(and(eq(benchmarks.id, bid), eq(benchmarks.provedor_id, provedorId)));
  if (!linha) throw new ErroApp("nao_encontrado", `Execução de benchmark ${bid} não encontrada neste provedor.`);
  return linha;
}

export async function lerLinhaPorId(bid: number): Promise<BenchmarkLinha | undefined> {
  const [linha] = await db().select().from(benchmarks).where(eq(benchmarks.id, bid));
  return linha;
}

export async function linhasDoProvedor(provedorId: number): Promise<BenchmarkLinha[]> {
  return db().select().from(benchmarks).where(eq(benchmarks.provedor_id, provedorId)).orderBy(desc(benchmarks.id));
}

/** The most runs the list of every provider's returns: the newest. */
export const MAXIMO_DA_LISTA = 200;

/** Runs with their provider's name, newest first: the newest MAXIMO_DA_LISTA (ids null), or the ones asked for. */
export async function linhasComNome(ids: number[] | null): Promise<(BenchmarkLinha & { provedor_nome: string })[]> {
  const consulta = db()
    .select({ b: benchmarks, provedor_nome: provedoresLlm.nome })
    .from(benchmarks)
    .innerJoin(provedoresLlm, eq(provedoresLlm.id, benchmarks.provedor_id));
  const linhas = await (ids
    ? consulta.where(inArray(benchmarks.id, ids)).orderBy(desc(benchmarks.id))
    : consulta.orderBy(desc(benchmarks.id)).limit(MAXIMO_DA_LISTA));
  return linhas.map((l) => ({ ...l.b, provedor_nome: l.provedor_nome }));
}

export async function linhaExecutando(provedorId: number): Promise<BenchmarkLinha | undefined> {
  const [linha] = await db()
    .select()
    .from(benchmarks)
    .where(and(eq(benchmarks.provedor_id, provedorId), eq(benchmarks.estado, "executando")));
  return linha;
}

export async function inserirLinha(valores: typeof benchmarks.$inferInsert): Promise<BenchmarkLinha> {
  const [linha] = await db().insert(benchmarks).values(valores).returning();
  return linha!;
}

/**
 * A heartbeat of the running instance: progress so far, `batimento_em` renewed by the database's clock; returns
 * whether a cancel was asked, or null when the row is gone or no longer running (another path ended it).
 */
export async function gravarProgresso(
  bid: number,
  v: Pick<BenchmarkLinha, "feitas" | "celulas" | "servidor" | "eta_segundos">,
): Promise<{ cancelar: boolean } | null> {
  const [linha] = await db()
    .update(benchmarks)
    .set({ ...v, batimento_em: agoraNoBanco })
    .where(and(eq(benchmarks.id, bid), eq(benchmarks.estado, "executando")))
    .returning({ cancelar: benchmarks.cancelar });
  return linha ?? null;
}

/** The run's end: its state, cells and reason, once (a row another path already ended stays as it is). */
export async function gravarFim(
  bid: number,
  v: Pick<BenchmarkLinha, "estado" | "feitas" | "celulas" | "servidor" | "erro">,
): Promise<BenchmarkLinha | undefined> {
  const [linha] = await db()
    .update(benchmarks)
    .set({ ...v, eta_segundos: null, batimento_em: agoraNoBanco, concluido_em: new Date() })
    .where(and(eq(benchmarks.id, bid), eq(benchmarks.estado, "executando")))
    .returning();
  return linha;
}

/** Asks the instance running it to cancel (read at its next heartbeat). */
export async function pedirCancelamento(bid: number): Promise<void> {
  await db().update(benchmarks).set({ cancelar: true }).where(eq(benchmarks.id, bid));
}

export async function excluirLinha(bid: number): Promise<void> {
  await db().delete(benchmarks).where(eq(benchmarks.id, bid));
}
