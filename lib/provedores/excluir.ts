import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { estatisticasProvedores, modelosProvedores, provedoresLlm, requisicoesProvedores } from "@/db/schema";
import { ErroApp } from "../errors";
import { lerId } from "./interno";

/**
 * Deletes a provider with its models, statistics and request log in one transaction.
 * The foreign keys cascade too, but a remote libSQL connection may not have them switched on.
 */
export async function excluirProvedor(idBruto: string | number): Promise<void> {
  const id = lerId(idBruto);
  const apagados = await db().transaction(async (tx) => {
    await tx.delete(modelosProvedores).where(eq(modelosProvedores.provedor_id, id));
    await tx.delete(estatisticasProvedores).where(eq(estatisticasProvedores.provedor_id, id));
    await tx.delete(requisicoesProvedores).where(eq(requisicoesProvedores.provedor_id, id));
    return tx.delete(provedoresLlm).where(eq(provedoresLlm.id, id)).returning({ id: provedoresLlm.id });
  });
  if (apagados.length === 0) throw new ErroApp("nao_encontrado", `Provedor ${id} não encontrado.`);
}
