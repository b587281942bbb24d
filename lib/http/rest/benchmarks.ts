import {
  cancelarOuExcluirBenchmark,
  eventosDoBenchmark,
  iniciarBenchmark,
  listarBenchmarks,
  obterBenchmark,
  obterBenchmarks,
} from "../../benchmarks";
import type { Manipulador } from "../../portas/troca";
import { lerId } from "../../provedores/linha-do-provedor";
import { IdsDeBenchmarks } from "../../schemas/benchmark";
import { validar } from "../../schemas/validar";
import { respostaJson, respostaSSE, SEM_CONTEUDO } from "./respostas";

/** 202: the run goes on in the background; `Location` is where to follow it. */
export const iniciar: Manipulador = async (p) => {
  const b = await iniciarBenchmark(lerId(p.params.id!), await p.json());
  return respostaJson(202, b, { location: `/api/provedores-llm/${b.provedor_id}/benchmarks/${b.id}` });
};

export const listar: Manipulador = async (p) => respostaJson(200, { benchmarks: await listarBenchmarks(lerId(p.params.id!)) });

export const obter: Manipulador = async (p) => respostaJson(200, await obterBenchmark(lerId(p.params.id!), lerId(p.params.bid!)));

/** A running run is cancelled (200 with it); a finished one is deleted (204). */
export const cancelarOuExcluir: Manipulador = async (p) => {
  const b = await cancelarOuExcluirBenchmark(lerId(p.params.id!), lerId(p.params.bid!));
  return b ? respostaJson(200, b) : SEM_CONTEUDO;
};

/** SSE: the run at connect, after each request, and at its end (then the stream closes). */
export const eventos: Manipulador = async (p) =>
  respostaSSE(await eventosDoBenchmark(lerId(p.params.id!), lerId(p.params.bid!), p.sinal), p.sinal);

/** GET /api/benchmarks?ids=1,2: the runs to compare, of any provider. */
export const comparar: Manipulador = async (p) => {
  const { ids } = validar(IdsDeBenchmarks, { ids: p.consulta.get("ids") ?? undefined });
  return respostaJson(200, { benchmarks: await obterBenchmarks(ids) });
};
