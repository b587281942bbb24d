import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { provedoresLlm, type ProvedorLLMLinha } from "@/db/schema";
import { ProvedorLLMAtualizar, type ProvedorLLM } from "../schemas/provedor";
import { validar } from "../schemas/validar";
import { cifrar } from "../seguranca/cifra";
import { provedorMudou } from "../saude/mudancas";
import { buscarLinha, esquecerLinha, lerId } from "./linha-do-provedor";
import { paraProvedorLLM } from "./provedor-para-json";
import { chaveDoNome, erroNomeDuplicado, garantirNomeLivre, violouNomeUnico } from "./nome";

/**
 * Partial update: omitted fields keep their value; api_key null or "" clears it. A new base_url without the
 * key also clears it: the key was given for the old server, and must not be sent to another one.
 */
export async function atualizarProvedor(idBruto: string | number, entrada: unknown): Promise<ProvedorLLM> {
  const id = lerId(idBruto);
  const dados = validar(ProvedorLLMAtualizar, entrada);
  const atual = await buscarLinha(id);
  // The form sends the name on every edit: one that compares equal to the stored one keeps its key (a row
  // upgraded from before the key existed may hold a suffixed one, being a duplicate of an older name).
  const nomeNovo = dados.nome !== undefined && chaveDoNome(dados.nome) !== chaveDoNome(atual.nome) ? dados.nome : undefined;
  if (nomeNovo !== undefined) await garantirNomeLivre(nomeNovo, id);

  const mudancas: Partial<ProvedorLLMLinha> = { atualizado_em: new Date() };
  // The slug stays: programs that pinned `<slug>/<model>` keep working after a rename.
  if (dados.nome !== undefined) {
    mudancas.nome = dados.nome;
    if (nomeNovo !== undefined) mudancas.nome_chave = chaveDoNome(nomeNovo);
  }
  if (dados.tipo !== undefined) mudancas.tipo = dados.tipo;
  if (dados.base_url !== undefined) mudancas.base_url = dados.base_url;
  if (dados.descricao !== undefined) mudancas.descricao = dados.descricao;
  if (dados.api_key !== undefined) mudancas.api_key = dados.api_key === null ? null : cifrar(dados.api_key);
  else if (dados.base_url !== undefined && dados.base_url !== atual.base_url) mudancas.api_key = null;
  if (dados.ativo !== undefined) mudancas.ativo = dados.ativo;
  if (dados.timeout_segundos !== undefined) mudancas.timeout_segundos = dados.timeout_segundos;
  if (dados.intervalo_verificacao_segundos !== undefined) mudancas.intervalo_verificacao_segundos = dados.intervalo_verificacao_segundos;
  if (dados.configuracao !== undefined) mudancas.configuracao = dados.configuracao;
  if (dados.modelo_padrao !== undefined) mudancas.modelo_padrao = dados.modelo_padrao;
  if (dados.max_concorrencia !== undefined) mudancas.max_concorrencia = dados.max_concorrencia;
  if (dados.fila_max !== undefined) mudancas.fila_max = dados.fila_max;
  if (dados.fila_espera_segundos !== undefined) mudancas.fila_espera_segundos = dados.fila_espera_segundos;
  // A new address or type means the last test no longer describes this server.
  if (dados.base_url !== undefined || dados.tipo !== undefined) {
    mudancas.status = "desconhecido";
    mudancas.falhas_seguidas = 0;
  }
  // What another server said of its slots is not this one's: learned again with the next model list.
  if ((dados.base_url !== undefined && dados.base_url !== atual.base_url) || (dados.tipo !== undefined && dados.tipo !== atual.tipo)) {
    mudancas.concorrencia_informada = null;
    mudancas.modelos_simultaneos_informados = null;
  }

  try {
    const [linha] = await db().update(provedoresLlm).set(mudancas).where(eq(provedoresLlm.id, id)).returning();
    esquecerLinha(id);
    provedorMudou(id);
    if (!linha) return paraProvedorLLM(await buscarLinha(id)); // deleted meanwhile: buscarLinha says 404
    return paraProvedorLLM(linha);
  } catch (e) {
    if (violouNomeUnico(e) && dados.nome !== undefined) throw erroNomeDuplicado(dados.nome);
    throw e;
  }
}
