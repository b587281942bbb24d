import type { CodigoErro } from "@/lib/errors";
import type { ResultadoAcao } from "@/lib/resultado-acao";
import type { AcaoModeloGerenciada, ListaModelos, PedidoAcaoModelo } from "@/lib/schemas/llm";
import { SESSAO_EXPIRADA } from "../ui/use-acao-servidor";

type CorpoErro = { erro?: { codigo?: CodigoErro; mensagem?: string } } | null;

async function pedir<T>(url: string, init?: RequestInit): Promise<ResultadoAcao<T>> {
  const r = await fetch(url, init);
  const corpo = (await r.json().catch(() => null)) as T | CorpoErro;
  if (r.ok) return { ok: true, dados: corpo as T };
  // The page's only way to the API is its session cookie: a 401 means the session is gone.
  if (r.status === 401) return SESSAO_EXPIRADA;
  const erro = (corpo as CorpoErro)?.erro;
  return { ok: false, codigo: erro?.codigo ?? "interno", mensagem: erro?.mensagem ?? `Falha HTTP ${r.status}.` };
}

/**
 * Loads, unloads or deletes a model through the REST API, then reads the cached list. Not a server action:
 * Next runs server actions one at a time, so a load of a big model would hold every other button of the page
 * (Atualizar lista, Baixar) until it ended.
 */
export async function gerenciarModeloPelaApi(
  id: number,
  acao: AcaoModeloGerenciada,
  pedido: PedidoAcaoModelo,
): Promise<ResultadoAcao<ListaModelos>> {
  const feito = await pedir<unknown>(`/api/provedores-llm/${id}/modelos/${acao}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(pedido),
  });
  if (!feito.ok) return feito;
  return pedir<ListaModelos>(`/api/provedores-llm/${id}/modelos`);
}
