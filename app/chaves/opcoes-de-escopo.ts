import "server-only";
import type { OpcaoProvedor } from "@/components/chaves/escopo";
import { lerModelosEmCache, listarProvedores } from "@/lib/provedores";

/** What the scope picker offers: every registered provider (active or not) and the models its cache lists. */
export async function opcoesDeEscopo(): Promise<OpcaoProvedor[]> {
  const provedores = await listarProvedores();
  return Promise.all(
    provedores.map(async (p) => ({ id: p.id, nome: p.nome, modelos: (await lerModelosEmCache(p.id)).modelos.map((m) => m.modelo) })),
  );
}
