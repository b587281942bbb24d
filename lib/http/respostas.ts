import { cabecalhosDoErro, comoErroApp } from "../errors";

/** The contract's error body with the status of its codigo. */
export function respostaDeErro(erro: unknown): Response {
  const e = comoErroApp(erro);
  return Response.json(e.toJSON(), { status: e.status, headers: cabecalhosDoErro(e) });
}
