import type { ResultadoAcao } from "@/lib/resultado-acao";
import type { Benchmark, NovoBenchmark } from "@/lib/schemas/benchmark";
import { pedirApi } from "../ui/pedir-api";

/**
 * Starts a run through the REST API (202 + the run). Not a server action: Next runs actions one at a time, and the
 * page's Cancelar must not wait behind anything.
 */
export async function iniciarPelaApi(provedorId: number, corpo: NovoBenchmark): Promise<ResultadoAcao<Benchmark | null>> {
  return pedirApi<Benchmark>(`/api/provedores-llm/${provedorId}/benchmarks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(corpo),
  });
}

/** Cancels a running run (200 + the run) or deletes a finished one (204 → null). */
export async function cancelarOuExcluirPelaApi(provedorId: number, bid: number): Promise<ResultadoAcao<Benchmark | null>> {
  return pedirApi<Benchmark>(`/api/provedores-llm/${provedorId}/benchmarks/${bid}`, { method: "DELETE" });
}

/** A run as stored now (200), or why not: gone (404 nao_encontrado), the session expired (401). */
export async function obterPelaApi(provedorId: number, bid: number): Promise<ResultadoAcao<Benchmark | null>> {
  return pedirApi<Benchmark>(`/api/provedores-llm/${provedorId}/benchmarks/${bid}`, { cache: "no-store" });
}
