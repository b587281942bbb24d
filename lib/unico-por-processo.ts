/**
 * One value per process. Next bundles App Router handlers and Pages API routes separately, each with its
 * own copy of a module: state that must be shared (caches, the statistics queue) lives on globalThis.
 */
export function doProcesso<T>(chave: string, criar: () => T): T {
  const g = globalThis as typeof globalThis & { __provedoresLlm?: Record<string, unknown> };
  g.__provedoresLlm ??= {};
  const tudo = g.__provedoresLlm;
  if (!(chave in tudo)) tudo[chave] = criar();
  return tudo[chave] as T;
}
