import "server-only";
import type { BenchmarkLinha } from "@/db/schema";
import { ErroApp } from "../errors";
import { buscarLinha, lerId } from "../provedores/linha-do-provedor";
import type { Benchmark } from "../schemas/benchmark";
import { benchmarkDaLinha, lerLinha, linhasComNome, linhasDoProvedor } from "./armazenamento";
import { execucaoDe, idsEmExecucao } from "./execucoes";
import { marcarInterrompidos } from "./interrompidos";

/** A run as it stands: this process's running one from memory (fresher than its last heartbeat), else its row. */
export function comoEsta(l: BenchmarkLinha): Benchmark {
  const ex = l.estado === "executando" ? execucaoDe(l.id) : undefined;
  return ex ? ex.dados : benchmarkDaLinha(l);
}

/** This provider's runs, newest first. */
export async function listarBenchmarks(provedorId: number): Promise<Benchmark[]> {
  const linha = await buscarLinha(lerId(provedorId));
  await marcarInterrompidos(idsEmExecucao());
  return (await linhasDoProvedor(linha.id)).map(comoEsta);
}

/** Every provider's runs with its name, newest first, the newest 200 only (the comparison's picker). */
export async function listarTodosOsBenchmarks(): Promise<(Benchmark & { provedor_nome: string })[]> {
  await marcarInterrompidos(idsEmExecucao());
  return (await linhasComNome(null)).map((l) => ({ ...comoEsta(l), provedor_nome: l.provedor_nome }));
}

export async function obterBenchmark(provedorId: number, bid: number): Promise<Benchmark> {
  const linha = await buscarLinha(lerId(provedorId));
  await marcarInterrompidos(idsEmExecucao());
  return comoEsta(await lerLinha(linha.id, lerId(bid)));
}

/** The runs to compare, in the order asked, of any provider: 404 naming the ids not found. */
export async function obterBenchmarks(ids: number[]): Promise<(Benchmark & { provedor_nome: string })[]> {
  await marcarInterrompidos(idsEmExecucao());
  const linhas = await linhasComNome(ids);
  const porId = new Map(linhas.map((l) => [l.id, l]));
  const faltam = ids.filter((id) => !porId.has(id));
  if (faltam.length) {
    throw new ErroApp(
      "nao_encontrado",
      faltam.length === 1
        ? `Execução de benchmark ${faltam[0]} não encontrada.`
        : `Execuções de benchmark não encontradas: ${faltam.join(", ")}.`,
      { ids: faltam },
    );
  }
  return ids.map((id) => {
    const l = porId.get(id)!;
    return { ...comoEsta(l), provedor_nome: l.provedor_nome };
  });
}
