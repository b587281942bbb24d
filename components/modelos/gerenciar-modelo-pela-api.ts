import type { ResultadoAcao } from "@/lib/resultado-acao";
import type { AcaoModeloGerenciada, ListaModelos, PedidoAcaoModelo } from "@/lib/schemas/llm";
import { pedirApi } from "../ui/pedir-api";

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
  const feito = await pedirApi<unknown>(`/api/provedores-llm/${id}/modelos/${acao}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(pedido),
  });
  if (!feito.ok) return feito;
  const lista = await pedirApi<ListaModelos>(`/api/provedores-llm/${id}/modelos`);
  if (!lista.ok) return lista;
  // The list always has a body; an empty answer is a fault of the app, not a list with no models.
  return lista.dados
    ? { ok: true, dados: lista.dados }
    : { ok: false, codigo: "interno", mensagem: "O app não devolveu a lista de modelos." };
}
