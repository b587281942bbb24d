import { comoErroApp, type CodigoErro, type ErrosDeCampo } from "./errors";

/** Why a server action failed: what a form shows in place (field errors) or in a toast (the message). */
export type FalhaAcao = { ok: false; codigo: CodigoErro; mensagem: string; campos?: ErrosDeCampo };

/** What every server action answers: the data, or the error a form can show in place. */
export type ResultadoAcao<T> = { ok: true; dados: T } | FalhaAcao;

/** Runs a server action's work and shapes its outcome, so no error escapes to the page as an exception. */
export async function executarAcao<T>(fn: () => Promise<T>): Promise<ResultadoAcao<T>> {
  try {
    return { ok: true, dados: await fn() };
  } catch (erro) {
    const e = comoErroApp(erro);
    const detalhes = e.detalhes as { campos?: ErrosDeCampo } | undefined;
    return { ok: false, codigo: e.codigo, mensagem: e.message, ...(detalhes?.campos ? { campos: detalhes.campos } : {}) };
  }
}
