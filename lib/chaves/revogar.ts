import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { chavesAcesso } from "@/db/schema";
import { ErroApp } from "../errors";
import { esquecerChavesLidas } from "./identificar";
import { lerIdChave } from "./linha-da-chave";

/**
 * Revokes a key: `revogada_em` set (the first revocation's time is kept when it is revoked again) and
 * `ativa` false. The row stays, so its statistics keep a name; rotating a key is creating one and revoking this.
 */
export async function revogarChave(idBruto: string | number): Promise<void> {
  const id = lerIdChave(idBruto);
  const [linha] = await db()
    .update(chavesAcesso)
    .set({ ativa: false, revogada_em: sql`coalesce(${chavesAcesso.revogada_em}, cast(unixepoch('subsecond') * 1000 as integer))` })
    .where(eq(chavesAcesso.id, id))
    .returning({ id: chavesAcesso.id });
  esquecerChavesLidas();
  if (!linha) throw new ErroApp("nao_encontrado", `Chave de acesso ${id} não encontrada.`);
}
