import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { type ChaveAcessoLinha, chavesAcesso } from "@/db/schema";
import { ErroApp } from "../errors";
import { violouUnico } from "../provedores/nome";
import { type ChaveAcesso, IdChave } from "../schemas/chave";
import { validar } from "../schemas/validar";

/** Path ids arrive as text; anything but a positive integer is a 400, never a 500. */
export function lerIdChave(id: string | number): number {
  return validar(IdChave, id);
}

export async function buscarChave(id: number): Promise<ChaveAcessoLinha> {
  const [linha] = await db().select().from(chavesAcesso).where(eq(chavesAcesso.id, id)).limit(1);
  if (!linha) throw new ErroApp("nao_encontrado", `Chave de acesso ${id} não encontrada.`);
  return linha;
}

/** A row as every answer shows it: the hash stays behind. */
export function paraChaveAcesso(linha: ChaveAcessoLinha): ChaveAcesso {
  const { hash: _hash, ...resto } = linha;
  return resto;
}

/** A write that hit the partial unique index: another key in use already has this name. */
export function erroSeNomeDuplicado(erro: unknown, nome: string | undefined): unknown {
  if (nome === undefined || !violouUnico(erro, "chaves_acesso.nome")) return erro;
  return new ErroApp("nome_duplicado", `Já existe uma chave em uso chamada "${nome}". Escolha outro nome.`, {
    campos: { nome: [`Já existe uma chave em uso chamada "${nome}".`] },
  });
}
