import "server-only";
import { buscarLinha, lerId } from "../provedores/linha-do-provedor";
import type { Benchmark } from "../schemas/benchmark";
import { benchmarkDaLinha, excluirLinha, lerLinha, pedirCancelamento } from "./armazenamento";
import { execucaoDe, idsEmExecucao } from "./execucoes";
import { parar } from "./executar";
import { marcarInterrompidos } from "./interrompidos";

const esperar = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long a cancel waits for another instance to stop its run (it reads the flag at each heartbeat, every 1 s). */
const ESPERA_OUTRA_INSTANCIA_MS = 5000;

/**
 * DELETE …/benchmarks/{bid}: a running run is cancelled (every upstream request aborted at once; it keeps the
 * cells done so far) and returned; a finished one is deleted (null: 204). A run of another instance is asked to
 * stop through its row, and the answer waits for it.
 */
export async function cancelarOuExcluirBenchmark(provedorId: number, bid: number): Promise<Benchmark | null> {
  const provedor = await buscarLinha(lerId(provedorId));
  const linha = await lerLinha(provedor.id, lerId(bid));
  if (linha.estado !== "executando") {
    await excluirLinha(linha.id);
    return null;
  }
  const ex = execucaoDe(linha.id);
  if (ex) {
    parar(ex, "cancelado");
    return ex.terminada;
  }
  // A run whose instance is gone is not running: it is answered as interrompido (a second DELETE removes it).
  await marcarInterrompidos(idsEmExecucao());
  const antes = await lerLinha(provedor.id, linha.id);
  if (antes.estado !== "executando") return benchmarkDaLinha(antes);
  await pedirCancelamento(linha.id);
  const limite = Date.now() + ESPERA_OUTRA_INSTANCIA_MS;
  for (;;) {
    await esperar(200);
    await marcarInterrompidos(idsEmExecucao());
    const agora = await lerLinha(provedor.id, linha.id);
    if (agora.estado !== "executando" || Date.now() > limite) return benchmarkDaLinha(agora);
  }
}
