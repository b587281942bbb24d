import "server-only";
import { type CodigoErro, ErroApp } from "../errors";
import { umaSoVez } from "../espera";
import { doProcesso } from "../unico-por-processo";
import { AcaoModeloGerenciada, type ModeloEmCache, type ModeloExcluido, PedidoAcaoModelo } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { adaptadorDe } from "./adaptador-do-provedor";
import { buscarLinha, lerId } from "./linha-do-provedor";
import { listarModelosProvedor } from "./cache-de-modelos";

// A load or unload asked again while the same one runs joins it: the server sees one. An optimisation of this
// process (a second load of a model still loading makes llama.cpp's router evict at capacity); the adapter
// copes with loads from elsewhere.
const acoesEmCurso = doProcesso("acoesDeModelosEmCurso", () => new Map<string, Promise<void>>());

/**
 * Load, unload and delete models on the server itself. Each answers once the server confirms, then
 * refreshes the model cache, so the page and the gateway's routing (loaded first) see the change at once.
 */
export async function carregarModelo(idBruto: string | number, corpo: unknown, signal?: AbortSignal): Promise<ModeloEmCache> {
  const linha = await buscarLinha(lerId(idBruto));
  const { modelo, contexto } = validar(PedidoAcaoModelo, corpo);
  const chave = JSON.stringify([linha.id, "carregar", modelo, contexto ?? null]);
  await umaSoVez(acoesEmCurso, chave, () => adaptadorDe(linha).carregarModelo(modelo, { contexto }), signal);
  return estadoAtual(linha.id, modelo, signal);
}

export async function descarregarModelo(idBruto: string | number, corpo: unknown, signal?: AbortSignal): Promise<ModeloEmCache> {
  const linha = await buscarLinha(lerId(idBruto));
  const { modelo } = validar(PedidoAcaoModelo, corpo);
  const chave = JSON.stringify([linha.id, "descarregar", modelo]);
  await umaSoVez(acoesEmCurso, chave, () => adaptadorDe(linha).descarregarModelo(modelo), signal);
  return estadoAtual(linha.id, modelo, signal);
}

export async function excluirModelo(idBruto: string | number, corpo: unknown, signal?: AbortSignal): Promise<ModeloExcluido> {
  const linha = await buscarLinha(lerId(idBruto));
  const { modelo } = validar(PedidoAcaoModelo, corpo);
  await adaptadorDe(linha).excluirModelo(modelo, signal);
  await listarModelosProvedor(linha.id, true, signal);
  return { modelo, excluido: true };
}

/** The same three by name (the page's buttons): the name comes from the browser, so it is checked here. */
export async function gerenciarModelo(
  idBruto: string | number,
  acaoBruta: unknown,
  corpo: unknown,
  signal?: AbortSignal,
): Promise<ModeloEmCache | ModeloExcluido> {
  const acao = validar(AcaoModeloGerenciada, acaoBruta);
  const executar = { carregar: carregarModelo, descarregar: descarregarModelo, excluir: excluirModelo }[acao];
  return executar(idBruto, corpo, signal);
}

async function estadoAtual(provedorId: number, modelo: string, signal?: AbortSignal): Promise<ModeloEmCache> {
  const lista = await listarModelosProvedor(provedorId, true, signal);
  if (lista.erro) throw new ErroApp(lista.erro.codigo as CodigoErro, lista.erro.mensagem);
  const encontrado = lista.modelos.find((m) => m.modelo === modelo);
  if (!encontrado) throw new ErroApp("modelo_nao_encontrado", `O servidor não lista o modelo "${modelo}". Atualize a lista de modelos.`);
  return encontrado;
}
