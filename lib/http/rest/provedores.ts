import type { Manipulador } from "../../portas/troca";
import {
  atualizarProvedor,
  criarProvedor,
  descobrirServidores,
  excluirProvedor,
  listarProvedores,
  listarProvedoresAtivos,
  obterDisponibilidade,
  obterProvedor,
  testarConexao,
} from "../../provedores";
import { lerConsulta } from "../consulta";
import { respostaJson, SEM_CONTEUDO } from "./respostas";

/** GET /api/provedores-llm: the filters (`tipo`, `ativo`, …) from the query. */
export const listar: Manipulador = async (p) => respostaJson(200, await listarProvedores(lerConsulta(p.consulta)));

/** POST /api/provedores-llm: 201 with the new provider and where it lives. */
export const criar: Manipulador = async (p) => {
  const provedor = await criarProvedor(await p.json());
  return respostaJson(201, provedor, { location: `/api/provedores-llm/${provedor.id}` });
};

export const obter: Manipulador = async (p) => respostaJson(200, await obterProvedor(p.params.id!));

export const atualizar: Manipulador = async (p) => respostaJson(200, await atualizarProvedor(p.params.id!, await p.json()));

export const excluir: Manipulador = async (p) => {
  await excluirProvedor(p.params.id!);
  return SEM_CONTEUDO;
};

export const ativos: Manipulador = async () => respostaJson(200, await listarProvedoresAtivos());

/** GET /api/provedores-llm/descobrir: `portas` and `hosts` may repeat, every value counts, not only the last. */
export const descobrir: Manipulador = async (p) => respostaJson(200, await descobrirServidores(lerConsulta(p.consulta)));

export const testar: Manipulador = async (p) => respostaJson(200, await testarConexao(p.params.id!, p.sinal));

export const disponibilidade: Manipulador = async (p) => respostaJson(200, await obterDisponibilidade(p.params.id!));
