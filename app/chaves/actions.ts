"use server";

import { revalidatePath } from "next/cache";
import { atualizarChave, criarChave, revogarChave } from "@/lib/chaves";
import { executarAcao, type ResultadoAcao } from "@/lib/resultado-acao";
import type { ChaveAcesso, ChaveAcessoCriada } from "@/lib/schemas/chave";

// Thin: the service parses with the same schemas the key form checks before sending.

/** Creates a key; the answer carries the secret, which the page shows this once. */
export async function criarChaveAcao(dados: unknown): Promise<ResultadoAcao<ChaveAcessoCriada>> {
  const r = await executarAcao(() => criarChave(dados));
  if (r.ok) revalidatePath("/chaves");
  return r;
}

export async function atualizarChaveAcao(id: number, dados: unknown): Promise<ResultadoAcao<ChaveAcesso>> {
  const r = await executarAcao(() => atualizarChave(id, dados));
  if (r.ok) revalidatePath("/chaves", "layout");
  return r;
}

export async function revogarChaveAcao(id: number): Promise<ResultadoAcao<null>> {
  const r = await executarAcao(async () => {
    await revogarChave(id);
    return null;
  });
  if (r.ok) revalidatePath("/chaves", "layout");
  return r;
}
