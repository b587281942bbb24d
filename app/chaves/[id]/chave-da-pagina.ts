import "server-only";
import { notFound } from "next/navigation";
import { obterChave } from "@/lib/chaves";
import { ErroApp } from "@/lib/errors";
import type { ChaveAcesso } from "@/lib/schemas/chave";

/** The key of a page's [id], or the 404 page for an unknown or malformed id. */
export async function chaveDaPagina(params: Promise<{ id: string }>): Promise<ChaveAcesso> {
  const { id } = await params;
  try {
    return await obterChave(id);
  } catch (e) {
    if (e instanceof ErroApp && (e.codigo === "nao_encontrado" || e.codigo === "validacao")) notFound();
    throw e;
  }
}
