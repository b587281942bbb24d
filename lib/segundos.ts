/** Past this a count of seconds is surely a mistake (and setTimeout would overflow near 24.8 days). */
export const MAXIMO_SEGUNDOS = 600;

/** Why this variable's value is not a usable count of seconds (null when absent or fine): a start-up problem. */
export function problemaDeSegundos(nome: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const valor = env[nome];
  if (!valor) return null;
  const s = Number(valor);
  if (!Number.isFinite(s) || s <= 0) return `${nome}="${valor}" não é um número de segundos maior que zero.`;
  if (s > MAXIMO_SEGUNDOS) return `${nome}="${valor}" passa do máximo de ${MAXIMO_SEGUNDOS} segundos.`;
  return null;
}

/** The variable's seconds in milliseconds, or the default when it is absent (start-up refuses a bad value first). */
export function segundosEmMs(nome: string, padraoS: number, env: NodeJS.ProcessEnv = process.env): number {
  return problemaDeSegundos(nome, env) || !env[nome] ? padraoS * 1000 : Number(env[nome]) * 1000;
}
