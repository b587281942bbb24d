import type { Manipulador } from "../../portas/troca";
import { obterEstatisticas, obterEstatisticasGerais } from "../../estatisticas/consultar-estatisticas";
import { listarRequisicoesRecentes } from "../../estatisticas/recentes";
import { respostaJson } from "./respostas";

/** GET /api/provedores-llm/{id}/estatisticas?periodo=… */
export const resumo: Manipulador = async (p) =>
  respostaJson(200, await obterEstatisticas(p.params.id!, p.consulta.get("periodo") ?? undefined));

/** GET /api/provedores-llm/{id}/requisicoes: the latest requests, filtered by the query. */
export const recentes: Manipulador = async (p) =>
  respostaJson(200, await listarRequisicoesRecentes(p.params.id!, Object.fromEntries(p.consulta)));

/** GET /api/estatisticas?periodo=…: every server's statistics as one, with the use by server and each model's servers. */
export const gerais: Manipulador = async (p) => respostaJson(200, await obterEstatisticasGerais(p.consulta.get("periodo") ?? undefined));
