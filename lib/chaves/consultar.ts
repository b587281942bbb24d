import "server-only";
import { asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { type ChaveAcessoLinha, chavesAcesso } from "@/db/schema";
import type { ChaveAcesso } from "../schemas/chave";
import { buscarChave, lerIdChave, paraChaveAcesso } from "./linha-da-chave";
import { hashDoSegredo, mesmoHash, PREFIXO_DO_SEGREDO } from "./segredo";

/** Every key, revoked ones too (their rows stay for their statistics), oldest first. */
export async function listarChaves(): Promise<ChaveAcesso[]> {
  const linhas = await db().select().from(chavesAcesso).orderBy(asc(chavesAcesso.id));
  return linhas.map(paraChaveAcesso);
}

export async function obterChave(idBruto: string | number): Promise<ChaveAcesso> {
  return paraChaveAcesso(await buscarChave(lerIdChave(idBruto)));
}

/**
 * The key a secret belongs to, whatever its state (revoked, expired, inactive: the caller decides what each
 * means), or null. The row is found by its hash through the unique index, then the digests are compared again
 * in constant time, so the answer does not depend on how much of a wrong secret's hash matched.
 */
export async function chaveDoSegredo(segredo: string): Promise<ChaveAcessoLinha | null> {
  if (!segredo.startsWith(PREFIXO_DO_SEGREDO)) return null;
  const hash = hashDoSegredo(segredo);
  const [linha] = await db().select().from(chavesAcesso).where(eq(chavesAcesso.hash, hash)).limit(1);
  return linha && mesmoHash(linha.hash, hash) ? linha : null;
}
