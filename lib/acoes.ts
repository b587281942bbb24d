import { comoErroApp, type CodigoErro, type ErrosDeCampo } from "./errors";

/** What every server action answers: the data, or the error a form can show in place. */
export type ResultadoAcao<T> = { ok: true; dados: T } | { ok: false; codigo: CodigoErro; mensagem: string; campos?: ErrosDeCampo };

export async function executarAcao<T>(fn: () => Promise<T>): Promise<ResultadoAcao<T>> {
  try {
    return { ok: true, dados: await fn() };
  } catch (erro) {
    const e = comoErroApp(erro);
    const detalhes = e.detalhes as { campos?: ErrosDeCampo } | undefined;
    return { ok: false, codigo: e.codigo, mensagem: e.message, ...(detalhes?.campos ? { campos: detalhes.campos } : {}) };
  }
}
