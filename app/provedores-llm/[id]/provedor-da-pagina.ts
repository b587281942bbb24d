import { notFound } from "next/navigation";
import { ErroApp } from "@/lib/errors";
import { obterProvedor } from "@/lib/provedores";
import type { ProvedorLLM } from "@/lib/schemas/provedor";

/** The provider of a page's [id], or the 404 page for an unknown or malformed id. */
export async function provedorDaPagina(params: Promise<{ id: string }>): Promise<ProvedorLLM> {
  const { id } = await params;
  try {
    return await obterProvedor(id);
  } catch (e) {
    if (e instanceof ErroApp && (e.codigo === "nao_encontrado" || e.codigo === "validacao")) notFound();
    throw e;
  }
}
