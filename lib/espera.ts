import { ErroApp } from "./errors";

/**
 * Waits for work shared by several callers, or stops waiting (as "cancelado") when this caller's `signal`
 * aborts: the work itself goes on for the others.
 */
export function esperarOuDesistir<T>(trabalho: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return trabalho;
  return new Promise((resolve, reject) => {
    const desistir = () => reject(new ErroApp("cancelado", "A requisição foi cancelada por quem a fez."));
    if (signal.aborted) return desistir();
    signal.addEventListener("abort", desistir, { once: true });
    trabalho.then(resolve, reject).finally(() => signal.removeEventListener("abort", desistir));
  });
}
