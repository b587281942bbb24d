import "server-only";

// TEMPORARY: the queue's public contract, until lib/fila lands on main (deleted at the merge).
export type EstadoDaFila = {
  provedor_id: number;
  limite: number | null;
  por_modelo: boolean;
  em_voo: number;
  na_fila: number;
  fila_max: number;
  recusadas_cheia: number;
  recusadas_espera: number;
  carregados: string[];
};
export function estadoDasFilas(): EstadoDaFila[] {
  return [];
}
export function estadoDaFila(_provedorId: number): EstadoDaFila | null {
  return null;
}
export function ouvirFilas(_fn: (e: EstadoDaFila) => void): () => void {
  return () => {};
}
