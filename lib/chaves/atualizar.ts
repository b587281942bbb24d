import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { type ChaveAcessoLinha, chavesAcesso } from "@/db/schema";
import { ErroApp } from "../errors";
import { ChaveAcessoAtualizar, type ChaveAcesso } from "../schemas/chave";
import { validar } from "../schemas/validar";
import { esquecerChavesLidas } from "./identificar";
import { buscarChave, erroSeNomeDuplicado, lerIdChave, paraChaveAcesso } from "./linha-da-chave";

/** Partial update of scope, limits, name, description, expiry and `ativa`; the secret (and its hash) never changes. */
export async function atualizarChave(idBruto: string | number, entrada: unknown): Promise<ChaveAcesso> {
  const id = lerIdChave(idBruto);
  const dados = validar(ChaveAcessoAtualizar, entrada);
  const atual = await buscarChave(id);
  // Revoking is for good: a revoked key's secret may have leaked, so it never opens a door again.
  if (atual.revogada_em !== null && dados.ativa === true) {
    throw new ErroApp("validacao", "Dados inválidos. ativa: uma chave revogada não volta a valer; crie outra.", {
      campos: { ativa: ["Uma chave revogada não volta a valer; crie outra."] },
    });
  }
  const mudancas: Partial<ChaveAcessoLinha> = {};
  for (const [campo, valor] of Object.entries(dados)) {
    if (valor !== undefined) Object.assign(mudancas, { [campo]: valor });
  }
  try {
    const [linha] = await db().update(chavesAcesso).set(mudancas).where(eq(chavesAcesso.id, id)).returning();
    esquecerChavesLidas();
    return paraChaveAcesso(linha ?? (await buscarChave(id)));
  } catch (e) {
    throw erroSeNomeDuplicado(e, dados.nome);
  }
}
