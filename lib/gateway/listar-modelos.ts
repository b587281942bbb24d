import "server-only";
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

/** GET /v1/models: every model of every active provider, by its bare id (routed) and as `<slug>/<model>` (pinned). */
export async function listarModelosOpenAI(): Promise<{ object: "list"; data: ModeloOpenAI[] }> {
  const { porModelo } = await lerCatalogo();
  const data: ModeloOpenAI[] = [];
  for (const [modelo, lista] of porModelo) {
    data.push(entrada(modelo, lista, false));
    for (const m of lista) data.push(entrada(`${m.provedor.slug}/${modelo}`, [m], true));
  }
  data.sort((a, b) => a.id.localeCompare(b.id));
  return { object: "list", data };
}
