import "server-only";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { ProvedorLLMCriar, type ProvedorLLM } from "../schemas/provedor";
import { validar } from "../schemas/validar";
import { cifrar } from "../seguranca/cifra";
import { provedorMudou } from "../saude/mudancas";
import { catalogoMudou } from "./linha-do-provedor";
import { paraProvedorLLM } from "./provedor-para-json";
import { baseDoSlug, chaveDoNome, erroNomeDuplicado, garantirNomeLivre, slugLivreSql, violouNomeUnico } from "./nome";
import { URL_PADRAO } from "../schemas/base-url";

export async function criarProvedor(entrada: unknown): Promise<ProvedorLLM> {
  const dados = validar(ProvedorLLMCriar, entrada);
  await garantirNomeLivre(dados.nome);
  const baseUrl = dados.base_url ?? URL_PADRAO[dados.tipo];
  // The schema refuses openai_compativel without a URL, so a default always exists here.
  if (!baseUrl) throw new Error(`sem URL padrão para ${dados.tipo}`);
  try {
    const [linha] = await db()
      .insert(provedoresLlm)
      .values({
        nome: dados.nome,
        nome_chave: chaveDoNome(dados.nome),
        // Picked by the INSERT itself: creations of one slug at the same moment each get their own.
        slug: slugLivreSql(baseDoSlug(dados.nome)),
        tipo: dados.tipo,
        base_url: baseUrl,
        descricao: dados.descricao ?? null,
        api_key: dados.api_key ? cifrar(dados.api_key) : null,
        ativo: dados.ativo,
        timeout_segundos: dados.timeout_segundos,
        intervalo_verificacao_segundos: dados.intervalo_verificacao_segundos,
        configuracao: dados.configuracao,
        modelo_padrao: dados.modelo_padrao ?? null,
        max_concorrencia: dados.max_concorrencia,
        fila_max: dados.fila_max,
        fila_espera_segundos: dados.fila_espera_segundos,
      })
      .returning();
    if (!linha) throw new Error("INSERT sem RETURNING");
    catalogoMudou();
    provedorMudou(linha.id);
    return paraProvedorLLM(linha);
  } catch (e) {
    if (violouNomeUnico(e)) throw erroNomeDuplicado(dados.nome);
    throw e;
  }
}
