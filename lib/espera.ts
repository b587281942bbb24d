import { ErroApp } from "./errors";

const cancelado = () => new ErroApp("cancelado", "A requisição foi cancelada por quem a fez.");

/**
 * Waits for work shared by several callers, or stops waiting (as "cancelado") when this caller's `signal`
 * aborts: the work itself goes on for the others.
 */
export function esperarOuDesistir<T>(trabalho: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return trabalho;
  return new Promise((resolve, reject) => {
    const desistir = () => reject(cancelado());
    // Attached before anything else, whatever the signal says: the work's failure always has a handler, even
    // when this caller has already gone (an unhandled rejection would end the process).
    trabalho.then(resolve, reject).finally(() => signal.removeEventListener("abort", desistir));
    if (signal.aborted) return desistir();
    signal.addEventListener("abort", desistir, { once: true });
  });
}

/**
 * Runs `iniciar` once for every caller asking for `chave` while it runs (`emCurso` holds what runs). The
 * work carries no caller's signal: each caller stops waiting on its own (see esperarOuDesistir), and nothing
 * is started for a caller that has already gone.
 */
export function umaSoVez<T>(emCurso: Map<string, Promise<T>>, chave: string, iniciar: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(cancelado());
  let trabalho = emCurso.get(chave);
  if (!trabalho) {
    const novo: Promise<T> = (async () => iniciar())().finally(() => {
      if (emCurso.get(chave) === novo) emCurso.delete(chave);
    });
    emCurso.set(chave, novo);
    trabalho = novo;
  }
  return esperarOuDesistir(trabalho, signal);
}
