import "server-only";
import { CHAMADOR_ADMIN, type Chamador } from "../chaves/chamador";
import { candidatoNoEscopo, chaveDe, exigirPortaDaLista } from "../chaves/escopo";
import type { ModeloOpenAI } from "../schemas/corpos-openai";
import { lerCatalogo, type ModeloNoProvedor } from "./catalogo";

function entrada(id: string, lista: ModeloNoProvedor[], fixo: boolean): ModeloOpenAI {
  return {
    id,
    object: "model",
    created: Math.floor(Math.min(...lista.map((m) => m.criadoEm)) / 1000),
    owned_by: fixo || lista.length === 1 ? lista[0]!.provedor.slug : "provedores-llm",
    provedores_llm: {
      provedores: lista.map((m) => ({
        id: m.provedor.id,
        nome: m.provedor.nome,
        tipo: m.provedor.tipo,
        slug: m.provedor.slug,
        carregado: m.carregado,
      })),
      embedding: lista.some((m) => m.embedding),
      fixo,
    },
  };
}

/**
 * GET /v1/models: every model of every active provider, by its bare id (routed) and as `<slug>/<model>` (pinned).
 * An access key sees only what it may use: the models and providers of its scope, under the names it may ask
 * for (a routed id lists only the providers in scope); a key that opens none of the /v1 doors is refused.
 */
export async function listarModelosOpenAI(chamador: Chamador = CHAMADOR_ADMIN): Promise<{ object: "list"; data: ModeloOpenAI[] }> {
  exigirPortaDaLista(chamador, ["openai", "anthropic", "responses"], "openai (GET /v1/models)");
  const chave = chaveDe(chamador);
  const { porModelo } = await lerCatalogo();
  const data: ModeloOpenAI[] = [];
  for (const [modelo, todos] of porModelo) {
    const lista = chave ? todos.filter((m) => candidatoNoEscopo(chave, modelo, m.provedor, modelo)) : todos;
    if (lista.length) data.push(entrada(modelo, lista, false));
    for (const m of todos) {
      const fixo = `${m.provedor.slug}/${modelo}`;
      if (!chave || candidatoNoEscopo(chave, fixo, m.provedor, modelo)) data.push(entrada(fixo, [m], true));
    }
  }
  data.sort((a, b) => a.id.localeCompare(b.id));
  return { object: "list", data };
}
