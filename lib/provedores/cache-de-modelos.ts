import "server-only";
import { and, asc, desc, eq, notExists, sql } from "drizzle-orm";
import { db, ehBancoIndisponivel } from "@/db/client";
import { modelosProvedores, type ProvedorLLMLinha, provedoresLlm } from "@/db/schema";
import type { AdaptadorLLM, Capacidade } from "../adapters";
import { comoErroApp, ErroApp } from "../errors";
import type { ListaModelos, ModeloLLM } from "../schemas/llm";
import { adaptadorDe } from "./adaptador-do-provedor";
import { doProcesso } from "../unico-por-processo";
import { buscarLinha, catalogoMudou, esquecerLinha, lerId, versaoDoCatalogo } from "./linha-do-provedor";

/** The columns of what the server said of its concurrency that changed (none: nothing to write). */
export type CapacidadeAprendida = Partial<Pick<ProvedorLLMLinha, "concorrencia_informada" | "modelos_simultaneos_informados">>;

/**
 * What the server says of its concurrency (llama-server's /props), asked with the model list, as the columns
 * that changed. A type that does not say has both null; a failed question changes nothing (and never fails the list).
 */
export async function aprenderCapacidade(
  linha: ProvedorLLMLinha,
  adaptador: AdaptadorLLM,
  modelos: ModeloLLM[],
  signal?: AbortSignal,
): Promise<CapacidadeAprendida> {
  let capacidade: Capacidade | null;
  try {
    capacidade = adaptador.capacidade ? await adaptador.capacidade(modelos, signal) : null;
  } catch {
    return {};
  }
  const concorrencia = capacidade === null ? null : (capacidade.concorrencia ?? linha.concorrencia_informada);
  const modelosSimultaneos = capacidade?.modelosSimultaneos ?? null;
  const mudou: CapacidadeAprendida = {};
  if (concorrencia !== linha.concorrencia_informada) mudou.concorrencia_informada = concorrencia;
  if (modelosSimultaneos !== linha.modelos_simultaneos_informados) mudou.modelos_simultaneos_informados = modelosSimultaneos;
  return mudou;
}

/**
 * Statements that replace a provider's cached models; run inside the caller's batch. A provider deleted while
 * its list was asked for keeps no rows: the batch takes back what it inserted (a remote libSQL may not enforce
 * the foreign key).
 */
export function substituirCache(provedorId: number, modelos: ModeloLLM[], quando: Date, aprendido: CapacidadeAprendida = {}) {
  const banco = db();
  const apagar = banco.delete(modelosProvedores).where(eq(modelosProvedores.provedor_id, provedorId));
  const marcar = banco
    .update(provedoresLlm)
    .set({ modelos_atualizados_em: quando, ...aprendido })
    .where(eq(provedoresLlm.id, provedorId));
  if (!modelos.length) return [apagar, marcar] as const;
  // A server may list the same id twice (aliases); the cache keeps one.
  const unicos = [...new Map(modelos.map((m) => [m.modelo, m])).values()];
  const inserir = banco.insert(modelosProvedores).values(unicos.map((m) => ({ ...m, provedor_id: provedorId, atualizado_em: quando })));
  const semProvedor = banco
    .delete(modelosProvedores)
    .where(
      and(
        eq(modelosProvedores.provedor_id, provedorId),
        notExists(banco.select({ um: sql`1` }).from(provedoresLlm).where(eq(provedoresLlm.id, provedorId))),
      ),
    );
  return [apagar, inserir, marcar, semProvedor] as const;
}

async function lerCache(provedorId: number) {
  return db()
    .select()
    .from(modelosProvedores)
    .where(eq(modelosProvedores.provedor_id, provedorId))
    .orderBy(desc(modelosProvedores.carregado), asc(modelosProvedores.modelo));
}

function acoesDe(linha: ProvedorLLMLinha, modelos: ModeloLLM[]) {
  return adaptadorDe(linha).acoesModelos(modelos);
}

function semIds(linhas: Awaited<ReturnType<typeof lerCache>>) {
  return linhas.map(({ id: _id, provedor_id: _p, ...m }) => m);
}

/**
 * The cached model list; `atualizar` (or a cache never filled) asks the server first.
 * When the server cannot answer, the cache is still served, marked `desatualizado`.
 */
export async function listarModelosProvedor(idBruto: string | number, atualizar = false, signal?: AbortSignal): Promise<ListaModelos> {
  const linha = await buscarLinha(lerId(idBruto));
  if (atualizar || linha.modelos_atualizados_em === null) {
    try {
      const adaptador = adaptadorDe(linha);
      const modelos = await adaptador.listarModelos(signal);
      const aprendido = await aprenderCapacidade(linha, adaptador, modelos, signal);
      const quando = new Date();
      await db().batch(substituirCache(linha.id, modelos, quando, aprendido));
      if (Object.keys(aprendido).length) esquecerLinha(linha.id);
      catalogoMudou();
      const atuais = semIds(await lerCache(linha.id));
      return { modelos: atuais, acoes: acoesDe(linha, atuais), atualizado_em: quando, origem: "servidor", desatualizado: false };
    } catch (e) {
      const erro = comoErroApp(e);
      const emCache = semIds(await lerCache(linha.id));
      return {
        modelos: emCache,
        acoes: acoesDe(linha, emCache),
        atualizado_em: linha.modelos_atualizados_em,
        origem: "cache",
        desatualizado: true,
        erro: { codigo: erro.codigo, mensagem: erro.message },
      };
    }
  }
  return lerModelosEmCache(linha.id);
}

/** The cache alone, never asking the server: what a page can show without waiting on it. */
export async function lerModelosEmCache(idBruto: string | number): Promise<ListaModelos> {
  const linha = await buscarLinha(lerId(idBruto));
  const modelos = semIds(await lerCache(linha.id));
  return { modelos, acoes: acoesDe(linha, modelos), atualizado_em: linha.modelos_atualizados_em, origem: "cache", desatualizado: false };
}

// The model a request without one goes to, per provider, until the catalog changes (a model list written, a
// model loaded or unloaded, a provider edited): otherwise every such request would read the cache from SQLite.
const padroes = doProcesso("modelosPadrao", () => new Map<number, { versao: number; modelo: string }>());

/** The model a request uses when it names none: the default, else the first cached chat model (loaded first). */
export async function modeloPadraoDe(provedorId: number, modeloPadrao: string | null, signal?: AbortSignal): Promise<string> {
  if (modeloPadrao) return modeloPadrao;
  const versao = versaoDoCatalogo();
  const guardado = padroes.get(provedorId);
  if (guardado?.versao === versao) return guardado.modelo;
  let modelos: Awaited<ReturnType<typeof listarModelosProvedor>>["modelos"];
  try {
    ({ modelos } = await listarModelosProvedor(provedorId, false, signal));
  } catch (e) {
    // The database away (its cache unreadable): the default this process last worked out still routes.
    if (guardado && ehBancoIndisponivel(e)) return guardado.modelo;
    throw e;
  }
  // LM Studio lists embedding models too; they cannot chat.
  const primeiro = modelos.find((m) => !/^embedding/.test(String(m.detalhes?.tipo ?? "")))?.modelo;
  if (!primeiro) {
    throw new ErroApp(
      "modelo_nao_encontrado",
      "Nenhum modelo conhecido para este provedor: informe `modelo`, defina um modelo padrão ou teste a conexão para carregar a lista.",
    );
  }
  if (padroes.size > 1000) padroes.clear();
  padroes.set(provedorId, { versao, modelo: primeiro });
  return primeiro;
}
