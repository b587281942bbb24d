import { respostaDeErro } from "./respostas";

type Contexto<P> = { params: Promise<P> };

/** Wraps a route handler so that anything it throws becomes the contract's error body. */
export function rota<P = Record<string, never>>(
  handler: (request: Request, params: P) => Promise<Response>,
): (request: Request, contexto: Contexto<P>) => Promise<Response> {
  return async (request, contexto) => {
    try {
      return await handler(request, await contexto.params);
    } catch (erro) {
      return respostaDeErro(erro);
    }
  };
}
