import { eq, like, or } from "drizzle-orm";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { ProvedorLLMCriar, type ProvedorLLM } from "../schemas/provedor";
import { validar } from "../schemas/validar";
import { cifrar } from "../seguranca/cifra";
import { provedorMudou } from "../monitor/monitor";
import { catalogoMudou, erroNomeDuplicado, garantirNomeLivre, violouNomeUnico, violouSlugUnico } from "./interno";
import { paraProvedorLLM } from "./mapear";
import { baseDoSlug, chaveDoNome, slugComSufixo } from "./nome";
import { URL_PADRAO } from "./url";

/** Another instance creating a provider of the same slug at the same moment: pick again, a few times at most. */
const TENTATIVAS_SLUG = 5;

export async function criarProvedor(entrada: unknown): Promise<ProvedorLLM> {
  const dados = validar(ProvedorLLMCriar, entrada);
  await garantirNomeLivre(dados.nome);
  const baseUrl = dados.base_url ?? URL_PADRAO[dados.tipo];
  // The schema refuses openai_compativel without a URL, so a default always exists here.
  if (!baseUrl) throw new Error(`sem URL padrão para ${dados.tipo}`);
  for (let tentativa = 1; ; tentativa++) {
    try {
      const [linha] = await db()
        .insert(provedoresLlm)
        .values({
          nome: dados.nome,
          nome_chave: chaveDoNome(dados.nome),
          slug: await slugLivre(dados.nome),
          tipo: dados.tipo,
          base_url: baseUrl,
          descricao: dados.descricao ?? null,
          api_key: dados.api_key ? cifrar(dados.api_key) : null,
          ativo: dados.ativo,
          timeout_segundos: dados.timeout_segundos,
          intervalo_verificacao_segundos: dados.intervalo_verificacao_segundos,
          configuracao: dados.configuracao,
          modelo_padrao: dados.modelo_padrao ?? null,
        })
        .returning();
      if (!linha) throw new Error("INSERT sem RETURNING");
      catalogoMudou();
      provedorMudou(linha.id);
      return paraProvedorLLM(linha);
    } catch (e) {
      if (violouNomeUnico(e)) throw erroNomeDuplicado(dados.nome);
      if (violouSlugUnico(e) && tentativa < TENTATIVAS_SLUG) continue;
      throw e;
    }
  }
}

/** The name's slug, or the first `<slug>--<n>` no provider holds. */
async function slugLivre(nome: string): Promise<string> {
  const base = baseDoSlug(nome);
  // A base is [a-z0-9-] only: nothing in it is a LIKE wildcard.
  const usados = new Set(
    (
      await db()
        .select({ slug: provedoresLlm.slug })
        .from(provedoresLlm)
        .where(or(eq(provedoresLlm.slug, base), like(provedoresLlm.slug, `${base}--%`)))
    ).map((l) => l.slug),
  );
  if (!usados.has(base)) return base;
  for (let n = 2; ; n++) if (!usados.has(slugComSufixo(base, n))) return slugComSufixo(base, n);
}
