import "server-only";
export { CONCORRENCIA_PADRAO, limiteEfetivo, limitePorModelo } from "./config";
export type { Prontidao, Vaga } from "./fila-do-provedor";
export { type EstadoDaFila, esquecerFila, estadoDaFila, estadoDasFilas, filaDo, filaExistente, ouvirFilas } from "./filas";
