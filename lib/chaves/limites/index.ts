import "server-only";
import { clienteLibsql } from "@/db/client";
import { idDaInstancia } from "../../instancia";
import { doProcesso } from "../../unico-por-processo";
import { Limitador } from "./limitador";

export { Consumo, Limitador, type OpcoesDoLimitador, temLimites } from "./limitador";
export { RESERVA_PADRAO_RESPOSTA, maximoDaResposta, reservaDeTokens } from "./estimativa";

/** This process's limiter, on the app's database. */
export function limitadorDoProcesso(): Limitador {
  return doProcesso("limitadorDeChaves", () => new Limitador({ cliente: clienteLibsql(), instancia: idDaInstancia() }));
}

/**
 * At shutdown, once no request is in flight (servidor.ts): this instance's unspent credit and its slots go back to
 * the database for the other instances (before that, its running streams still hold them), by `prazoMs` at most.
 */
export async function devolverLimitesNaSaida(prazoMs: number): Promise<void> {
  const devolvido = limitadorDoProcesso().devolverTudo();
  await Promise.race([devolvido, new Promise<void>((r) => setTimeout(r, Math.max(0, prazoMs)).unref())]);
}
