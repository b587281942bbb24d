import type { Manipulador } from "../../portas/troca";
import { carregarModelo, descarregarModelo, excluirModelo, listarModelosProvedor } from "../../provedores";
import { respostaJson } from "./respostas";

/** GET /api/provedores-llm/{id}/modelos; `?atualizar=true` asks the server again instead of the cache. */
export const listar: Manipulador = async (p) =>
  respostaJson(200, await listarModelosProvedor(p.params.id!, p.consulta.get("atualizar") === "true", p.sinal));

export const carregar: Manipulador = async (p) => respostaJson(200, await carregarModelo(p.params.id!, await p.json(), p.sinal));

export const descarregar: Manipulador = async (p) => respostaJson(200, await descarregarModelo(p.params.id!, await p.json(), p.sinal));

export const excluir: Manipulador = async (p) => respostaJson(200, await excluirModelo(p.params.id!, await p.json(), p.sinal));
