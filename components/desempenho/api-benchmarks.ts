import type { CodigoErro } from "@/lib/errors";
import type { ResultadoAcao } from "@/lib/resultado-acao";
import type { Benchmark, NovoBenchmark } from "@/lib/schemas/benchmark";
import { SESSAO_EXPIRADA } from "../ui/use-acao-servidor";

type CorpoErro = { erro?: { codigo?: CodigoErro; mensagem?: string } } | null;

async function pedir<T>(url: string, init: RequestInit): Promise<ResultadoAcao<T | null>> {
  const r = await fetch(url, init);
  if (r.status === 204) return { ok: true, dados: null };
  const corpo = (await r.json().catch(() => null)) as T | CorpoErro;
  if (r.ok) return { ok: true, dados: corpo as T };
  // The page reaches the API with its session cookie: a 401 means the session is gone.
  if (r.status === 401) return SESSAO_EXPIRADA;
  const erro = (corpo as CorpoErro)?.erro;
  return { ok: false, codigo: erro?.codigo ?? "interno", mensagem: erro?.mensagem ?? `Falha HTTP ${r.status}.` };
}

/**
 * Starts a run through the REST API (202 + the run). Not a server action: Next runs actions one at a time, and the
 * page's Cancelar must not wait behind anything.
 */
export async function iniciarPelaApi(provedorId: number, corpo: NovoBenchmark): Promise<ResultadoAcao<Benchmark | null>> {
  return pedir<Benchmark>(`/api/provedores-llm/${provedorId}/benchmarks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(corpo),
  });
}

/** Cancels a running run (200 + the run) or deletes a finished one (204 → null). */
export async function cancelarOuExcluirPelaApi(provedorId: number, bid: number): Promise<ResultadoAcao<Benchmark | null>> {
  return pedir<Benchmark>(`/api/provedores-llm/${provedorId}/benchmarks/${bid}`, { method: "DELETE" });
}
