import "server-only";
import { db } from "@/db/client";
import { chavesAcesso } from "@/db/schema";
import { ChaveAcessoCriar, type ChaveAcessoCriada } from "../schemas/chave";
import { validar } from "../schemas/validar";
import { esquecerChavesLidas } from "./identificar";
import { erroSeNomeDuplicado, paraChaveAcesso } from "./linha-da-chave";
import { hashDoSegredo, novoSegredo, prefixoDoSegredo } from "./segredo";

/** Creates a key: the answer carries its secret, this once; the table keeps only the secret's hash. */
export async function criarChave(entrada: unknown): Promise<ChaveAcessoCriada> {
  const dados = validar(ChaveAcessoCriar, entrada);
  const chave = novoSegredo();
  try {
    const [linha] = await db()
      .insert(chavesAcesso)
      .values({ ...dados, descricao: dados.descricao ?? null, hash: hashDoSegredo(chave), prefixo: prefixoDoSegredo(chave) })
      .returning();
    if (!linha) throw new Error("INSERT sem RETURNING");
    esquecerChavesLidas();
    return { ...paraChaveAcesso(linha), chave };
  } catch (e) {
    throw erroSeNomeDuplicado(e, dados.nome);
  }
}
