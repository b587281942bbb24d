/** A query string as an object: a name given once is its value, a name repeated is the list of its values. */
export function lerConsulta(parametros: URLSearchParams): Record<string, string | string[]> {
  const consulta: Record<string, string | string[]> = {};
  for (const nome of new Set(parametros.keys())) {
    const valores = parametros.getAll(nome);
    consulta[nome] = valores.length === 1 ? valores[0]! : valores;
  }
  return consulta;
}
