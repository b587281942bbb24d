import { bancoDisponivel } from "@/db/client";
import type { ChaveEmUso } from "../../chaves/chamador";
import { foraDoEscopoModelo, pedidoCasaComEscopo } from "../../chaves/escopo";
import { ErroApp } from "../../errors";
import { atualizarCatalogo, lerCatalogo, type ModeloNoProvedor } from "../../gateway/catalogo";
import { idDoCatalogo } from "./nomes";

/** The model as the client named it, the catalogue id the pipeline routes by, and the catalogue's entries for it. */
export type ModeloAchado = { nome: string; id: string; entradas: ModeloNoProvedor[] };

/** Ollama's own words first (its clients read `model '…' not found`), then the app's. */
export const modeloNaoEncontrado = (nome: string) =>
  new ErroApp(
    "modelo_nao_encontrado",
    `model '${nome}' not found: nenhum provedor ativo tem este modelo. Veja os modelos disponíveis em GET /api/tags.`,
  );

/**
 * The catalogue's entries for an Ollama client's name. A name no cached list knows (a model pulled on the server
 * outside the app, asked as `llama3.2` for its `llama3.2:latest`) refreshes the model lists once and is mapped
 * again, tag aliases included; still unknown, it is Ollama's 404.
 */
export async function acharModelo(nome: string, sinal?: AbortSignal, chave: ChaveEmUso | null = null): Promise<ModeloAchado> {
  let achado = idDoCatalogo(await lerCatalogo(), nome);
  // A name no pattern of the key can match: its 403, never a refresh of every provider's list on its behalf.
  if (!achado.entradas.length && chave !== null && !pedidoCasaComEscopo(chave, nome)) throw foraDoEscopoModelo(chave, nome);
  // The database away: the name may well exist (as the pipeline's own lookup says: lib/gateway/escolher.ts).
  if (!achado.entradas.length && !bancoDisponivel()) {
    throw new ErroApp(
      "banco_indisponivel",
      `O banco de dados está indisponível e o modelo "${nome}" não está entre os que este servidor conhecia. Tente de novo em instantes.`,
    );
  }
  if (!achado.entradas.length) {
    await atualizarCatalogo(nome, sinal);
    achado = idDoCatalogo(await lerCatalogo(), nome);
  }
  if (!achado.entradas.length) throw modeloNaoEncontrado(nome);
  return { nome, ...achado };
}
