import "server-only";
import type { BenchmarkLinha, ProvedorLLMLinha } from "@/db/schema";
import { ErroApp } from "../errors";
import { idDaInstancia } from "../instancia";
import { listarModelosProvedor } from "../provedores/cache-de-modelos";
import { buscarLinha, lerId } from "../provedores/linha-do-provedor";
import { violouUnico } from "../provedores/nome";
import { statusAtual } from "../saude/estado";
import {
  type Benchmark,
  excessoDoPerfil,
  NovoBenchmark,
  type PerfilBenchmark,
  perfilDoPedido,
  totalDeRequisicoes,
} from "../schemas/benchmark";
import type { ModeloLLM } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { benchmarkDaLinha, inserirLinha, linhaExecutando } from "./armazenamento";
import { type Execucao, registrarExecucao, idsEmExecucao } from "./execucoes";
import { executarBenchmark, terminarComFalha } from "./executar";
import { marcarInterrompidos } from "./interrompidos";

/** The 409 of a second run on a provider, naming the one running. */
function emAndamento(linha: ProvedorLLMLinha, b: BenchmarkLinha | undefined): ErroApp {
  const qual = b ? ` (execução ${b.id}, modelo "${b.modelo}", ${b.feitas} de ${b.total} requisições)` : "";
  return new ErroApp(
    "benchmark_em_andamento",
    `Já há um benchmark em execução no provedor "${linha.nome}"${qual}: aguarde o fim ou cancele-o antes de iniciar outro.`,
    b ? { benchmark_id: b.id } : undefined,
  );
}

/**
 * The model as the provider lists it (its cache; asked again once when the model is missing, a model just
 * downloaded): 404 naming the models it has; a server that cannot list them is unavailable.
 */
async function modeloDoProvedor(linha: ProvedorLLMLinha, modelo: string): Promise<ModeloLLM> {
  let lista = await listarModelosProvedor(linha.id);
  let achado = lista.modelos.find((m) => m.modelo === modelo);
  if (!achado && !lista.desatualizado) {
    lista = await listarModelosProvedor(linha.id, true);
    achado = lista.modelos.find((m) => m.modelo === modelo);
  }
  if (achado) return achado;
  if (!lista.modelos.length && lista.erro) {
    throw new ErroApp("provedor_offline", `Não foi possível ler os modelos do provedor "${linha.nome}": ${lista.erro.mensagem}`);
  }
  const tem = lista.modelos.map((m) => `"${m.modelo}"`).join(", ");
  throw new ErroApp(
    "modelo_nao_encontrado",
    `O provedor "${linha.nome}" não tem o modelo "${modelo}". ${tem ? `Modelos disponíveis: ${tem}.` : "Ele não lista nenhum modelo."}`,
    { modelos: lista.modelos.map((m) => m.modelo) },
  );
}

/** The model's context as known: the one it is loaded with (the model cache's), else its maximum; null: unknown. */
function contextoConhecido(modelo: ModeloLLM): number | null {
  const carregado = modelo.detalhes?.contexto_carregado;
  return typeof carregado === "number" && carregado > 0 ? carregado : modelo.contexto_max;
}

/** A 400 when the largest prompt and the answer cannot fit the model's known context (unknown: no check). */
function conferirContexto(modelo: ModeloLLM, perfil: PerfilBenchmark): void {
  const contexto = contextoConhecido(modelo);
  const maior = Math.max(...perfil.tokens_prompt);
  const preciso = maior + perfil.tokens_resposta;
  if (contexto === null || contexto >= preciso) return;
  const mensagem =
    `O contexto do modelo "${modelo.modelo}" é de ${contexto} tokens, menor que o maior prompt com a resposta ` +
    `(${maior} + ${perfil.tokens_resposta} = ${preciso} tokens): diminua os tamanhos ou carregue o modelo com mais contexto.`;
  throw new ErroApp("validacao", mensagem, { campos: { tokens_prompt: [mensagem] } });
}

/**
 * POST …/{id}/benchmarks: checks everything before anything is sent (the body, the request cap, the provider
 * active and not known offline, the model on its list, the prompts within its context), stores the run as
 * `executando` (one per provider, across instances: the partial unique index) and starts it in the background.
 * Returns the run as stored.
 */
export async function iniciarBenchmark(provedorId: number, corpo: unknown): Promise<Benchmark> {
  const linha = await buscarLinha(lerId(provedorId));
  const pedido = validar(NovoBenchmark, corpo);
  const perfil = perfilDoPedido(pedido);
  const excesso = excessoDoPerfil(perfil);
  if (excesso) throw new ErroApp("validacao", excesso, { campos: { perfil: [excesso] } });
  if (!linha.ativo) throw new ErroApp("provedor_inativo", `O provedor "${linha.nome}" está inativo: ative-o para medir seu desempenho.`);
  if ((statusAtual(linha.id) ?? linha.status) === "offline") {
    throw new ErroApp(
      "provedor_offline",
      `O provedor "${linha.nome}" está offline segundo o monitor: confira o servidor e teste a conexão antes de medir.`,
    );
  }
  const modelo = await modeloDoProvedor(linha, pedido.modelo);
  conferirContexto(modelo, perfil);
  await marcarInterrompidos(idsEmExecucao());
  const rodando = await linhaExecutando(linha.id);
  if (rodando) throw emAndamento(linha, rodando);
  let criada: BenchmarkLinha;
  try {
    criada = await inserirLinha({
      provedor_id: linha.id,
      modelo: modelo.modelo,
      estado: "executando",
      perfil,
      total: totalDeRequisicoes(perfil),
      instancia: idDaInstancia(),
    });
  } catch (e) {
    // Another start (this instance or another) won the race for the provider.
    if (violouUnico(e, "benchmarks.provedor_id")) throw emAndamento(linha, await linhaExecutando(linha.id));
    throw e;
  }
  const dados = benchmarkDaLinha(criada);
  let terminar: (b: Benchmark) => void = () => {};
  const ex: Execucao = {
    id: criada.id,
    provedorId: linha.id,
    controle: new AbortController(),
    dados,
    ouvintes: new Set(),
    parada: null,
    terminada: new Promise<Benchmark>((r) => (terminar = r)),
  };
  registrarExecucao(ex);
  void executarBenchmark({ ex, linha, modelo, perfil })
    .catch((e: unknown) => terminarComFalha(ex, e))
    .then(terminar);
  return dados;
}
