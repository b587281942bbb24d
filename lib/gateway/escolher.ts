import "server-only";
import { bancoDisponivel } from "@/db/client";
import type { ChaveEmUso } from "../chaves/chamador";
import {
  candidatoNoEscopo,
  chaveDe,
  entradasNoEscopo,
  foraDoEscopoModelo,
  foraDoEscopoProvedor,
  modeloNoEscopo,
  pedidoCasaComEscopo,
} from "../chaves/escopo";
import { ErroApp } from "../errors";
import { filaExistente } from "../fila";
import { buscarLinhaRecente } from "../provedores/linha-do-provedor";
import { saudeDe } from "../saude/estado";
import { atualizarCatalogo, lerCatalogo, type Catalogo, type ModeloNoProvedor } from "./catalogo";
import { ordenar } from "./ordem";
import type { Candidato, PedidoModelo } from "./pedido";
import { parecidos } from "./sugestoes";

/**
 * The pick stage: the providers to try, in order. A pinned provider is a list of one (refused here when it is
 * inactive); otherwise every active provider that has the model, in routing order (lib/gateway/ordem.ts). An
 * access key gets only the candidates in its scope (lib/chaves/escopo.ts).
 */
export async function escolherCandidatos(pedido: PedidoModelo): Promise<Candidato[]> {
  const chave = chaveDe(pedido.chamador);
  if (pedido.provedorId === null) return candidatosPara(pedido.modelo ?? "", pedido.sinal, chave);
  const linha = await buscarLinhaRecente(pedido.provedorId);
  if (!linha.ativo) {
    throw new ErroApp("provedor_inativo", `O provedor "${linha.nome}" está inativo: ative-o para enviar requisições.`);
  }
  if (chave && pedido.modelo !== null && !modeloNoEscopo(chave, pedido.modelo, linha, pedido.modelo)) {
    throw foraDoEscopoModelo(chave, pedido.modelo);
  }
  const provedor = {
    id: linha.id,
    nome: linha.nome,
    tipo: linha.tipo,
    slug: linha.slug,
    status: linha.status,
    falhas_seguidas: linha.falhas_seguidas,
    intervalo_verificacao_segundos: linha.intervalo_verificacao_segundos,
    latencia: linha.ultima_latencia_ms,
  };
  return [{ provedor, modelo: pedido.modelo, linha }];
}

/** `<slug>/<model>` pins one provider; a bare id (which may itself hold a `/`) goes to any that has it. */
export function procurar(catalogo: Catalogo, id: string): ModeloNoProvedor[] {
  const barra = id.indexOf("/");
  if (barra > 0) {
    const provedor = catalogo.porSlug.get(id.slice(0, barra));
    const resto = id.slice(barra + 1);
    const fixo = provedor && catalogo.porModelo.get(resto)?.filter((m) => m.provedor.id === provedor.id);
    if (fixo?.length) return fixo;
  }
  return catalogo.porModelo.get(id) ?? [];
}

/** The candidates an access key may use; when the model exists only outside its scope, a 403 saying why. */
function noEscopo(chave: ChaveEmUso, id: string, achados: ModeloNoProvedor[]): ModeloNoProvedor[] {
  const dentro = entradasNoEscopo(chave, id, achados);
  if (dentro.length) return dentro;
  // The model is in its scope, only on providers that are not: the provider is what to ask for.
  const fora = achados.find((m) => modeloNoEscopo(chave, id, m.provedor, m.modelo));
  throw fora ? foraDoEscopoProvedor(chave, fora.provedor.nome, id) : foraDoEscopoModelo(chave, id);
}

/**
 * Every provider that can answer `id`, in the order to try them; for an access key, only those in its scope.
 * A model no cache knows refreshes the caches once.
 */
export async function candidatosPara(id: string, signal?: AbortSignal, chave: ChaveEmUso | null = null): Promise<ModeloNoProvedor[]> {
  let catalogo = await lerCatalogo();
  let achados = procurar(catalogo, id);
  // A name no pattern of the key can match is its 403 before any refresh: whether the model exists is not the
  // key's business, and a key never makes the app ask every provider for its list.
  if (!achados.length && chave !== null && !pedidoCasaComEscopo(chave, id)) throw foraDoEscopoModelo(chave, id);
  if (!achados.length) {
    // The database away: a refresh would only fail (a call per provider, holding places in the database's
    // line), and the id may well exist; it is not counted as tried, so the first request after recovery refreshes.
    if (!bancoDisponivel()) {
      throw new ErroApp(
        "banco_indisponivel",
        `O banco de dados está indisponível e o modelo "${id}" não está entre os que este servidor conhecia. Tente de novo em instantes.`,
      );
    }
    await atualizarCatalogo(id, signal);
    catalogo = await lerCatalogo();
    achados = procurar(catalogo, id);
  }
  if (!achados.length) {
    // A key is offered only what it may use.
    const ids = chave
      ? [...catalogo.porModelo].filter(([m, lista]) => lista.some((e) => candidatoNoEscopo(chave, m, e.provedor, m))).map(([m]) => m)
      : catalogo.porModelo.keys();
    const sugestoes = parecidos(ids, id).ids;
    throw new ErroApp(
      "modelo_nao_encontrado",
      `Nenhum provedor ativo tem o modelo "${id}".${sugestoes.length ? ` Parecidos: ${sugestoes.join(", ")}.` : ""} Veja a lista em GET /v1/models.`,
    );
  }
  return ordenar(chave ? noEscopo(chave, id, achados) : achados, saudeDe, Date.now(), prontidaoNaFila);
}

/** How soon a model could start on a provider, from its queue in this process (none yet: a free place). */
const prontidaoNaFila = (id: number, modelo: string) => filaExistente(id)?.prontidao(modelo);
