import { atualizarChave, criarChave, listarChaves, obterChave, revogarChave } from "../../chaves";
import { estatisticasDaChave } from "../../estatisticas/consultar-estatisticas-da-chave";
import type { Manipulador } from "../../portas/troca";
import { respostaJson, SEM_CONTEUDO } from "./respostas";

export const listar: Manipulador = async () => respostaJson(200, await listarChaves());

/** POST /api/chaves: 201 with the key and its secret (this answer only) and where the key lives. */
export const criar: Manipulador = async (p) => {
  const chave = await criarChave(await p.json());
  return respostaJson(201, chave, { location: `/api/chaves/${chave.id}` });
};

export const obter: Manipulador = async (p) => respostaJson(200, await obterChave(p.params.id!));

export const atualizar: Manipulador = async (p) => respostaJson(200, await atualizarChave(p.params.id!, await p.json()));

/** DELETE /api/chaves/{id}: revokes (the row stays); 204 as a provider's DELETE. */
export const revogar: Manipulador = async (p) => {
  await revogarChave(p.params.id!);
  return SEM_CONTEUDO;
};

/** GET /api/chaves/{id}/estatisticas?periodo=: the key's use (a revoked key's too), as a provider's statistics. */
export const estatisticas: Manipulador = async (p) =>
  respostaJson(200, await estatisticasDaChave(p.params.id!, p.consulta.get("periodo") ?? undefined));
