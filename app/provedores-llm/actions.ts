"use server";

import { revalidatePath } from "next/cache";
import { executarAcao, type ResultadoAcao } from "@/lib/resultado-acao";
import {
  atualizarProvedor,
  cancelarDownload,
  criarProvedor,
  excluirProvedor,
  iniciarDownload,
  lerModelosEmCache,
  listarModelosProvedor,
  testarConexao,
} from "@/lib/provedores";
import type { DownloadModelo, ListaModelos, PedidoAcaoModelo, ResultadoTeste } from "@/lib/schemas/llm";
import type { ProvedorLLM, ProvedorLLMAtualizarEntrada, ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";

// Thin: the service parses with the same schemas the forms use.

export async function criarProvedorAcao(dados: ProvedorLLMCriarEntrada): Promise<ResultadoAcao<ProvedorLLM>> {
  const r = await executarAcao(() => criarProvedor(dados));
  if (r.ok) revalidatePath("/provedores-llm");
  return r;
}

export async function atualizarProvedorAcao(id: number, dados: ProvedorLLMAtualizarEntrada): Promise<ResultadoAcao<ProvedorLLM>> {
  const r = await executarAcao(() => atualizarProvedor(id, dados));
  if (r.ok) revalidatePath("/provedores-llm", "layout");
  return r;
}

export async function excluirProvedorAcao(id: number): Promise<ResultadoAcao<null>> {
  const r = await executarAcao(async () => {
    await excluirProvedor(id);
    return null;
  });
  if (r.ok) revalidatePath("/provedores-llm", "layout");
  return r;
}

/** Connection test; also what the list page calls to show each provider's live status. */
export async function testarConexaoAcao(id: number): Promise<ResultadoAcao<ResultadoTeste>> {
  const r = await executarAcao(() => testarConexao(id));
  if (r.ok) revalidatePath(`/provedores-llm/${id}`, "layout");
  return r;
}

export async function atualizarModelosAcao(id: number): Promise<ResultadoAcao<ListaModelos>> {
  const r = await executarAcao(() => listarModelosProvedor(id, true));
  if (r.ok) revalidatePath(`/provedores-llm/${id}/modelos`);
  return r;
}

/** Starts (or joins) a model download; the page follows it over SSE. */
export async function iniciarDownloadAcao(id: number, pedido: PedidoAcaoModelo): Promise<ResultadoAcao<DownloadModelo>> {
  return executarAcao(() => iniciarDownload(id, pedido));
}

export async function cancelarDownloadAcao(id: number, downloadId: string): Promise<ResultadoAcao<DownloadModelo>> {
  return executarAcao(() => cancelarDownload(id, downloadId));
}

/** The cached list as it is now (a finished download has already refreshed it). */
export async function modelosEmCacheAcao(id: number): Promise<ResultadoAcao<ListaModelos>> {
  const r = await executarAcao(() => lerModelosEmCache(id));
  if (r.ok) revalidatePath(`/provedores-llm/${id}`, "layout");
  return r;
}
