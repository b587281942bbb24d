import { cabecalhosDoErro, type ErroApp } from "../errors";
import { respostaJson } from "./resposta-json";
import type { Porta } from "./troca";

/**
 * The REST contract's door (/api: provider CRUD, models, statistics, `…/{id}/requisicao`): errors as
 * `{"erro":{"codigo","mensagem","detalhes"?}}`, with the status of their codigo.
 */
export const PORTA_CONTRATO: Porta = {
  nome: "contrato",
  formatoDeErro: (erro: ErroApp) => respostaJson(erro.status, erro.toJSON(), cabecalhosDoErro(erro)),
  rotaInexistente: (caminho) => `Rota ${caminho} não existe. As rotas da API estão em /api/openapi.json.`,
};
