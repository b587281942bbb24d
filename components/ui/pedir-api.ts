import type { CodigoErro } from "@/lib/errors";
import type { ResultadoAcao } from "@/lib/resultado-acao";
import { SESSAO_EXPIRADA } from "./use-acao-servidor";

type CorpoErro = { erro?: { codigo?: CodigoErro; mensagem?: string } } | null;

/**
 * One call of the REST API from a page, shaped as an action's result: the body, or the API's error with its
 * pt-BR message. A 204 has no body: its data is null. A fetch that cannot reach the app throws, as an action does.
 */
export async function pedirApi<T>(url: string, init?: RequestInit): Promise<ResultadoAcao<T | null>> {
  const r = await fetch(url, init);
  if (r.status === 204) return { ok: true, dados: null };
  const corpo = (await r.json().catch(() => null)) as T | CorpoErro;
  if (r.ok) return { ok: true, dados: corpo as T };
  // The page reaches the API with its session cookie: a 401 means the session is gone.
  if (r.status === 401) return SESSAO_EXPIRADA;
  const erro = (corpo as CorpoErro)?.erro;
  return { ok: false, codigo: erro?.codigo ?? "interno", mensagem: erro?.mensagem ?? `Falha HTTP ${r.status}.` };
}
