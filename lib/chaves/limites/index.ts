import "server-only";
import { clienteLibsql } from "@/db/client";
import { aoEncerrar } from "../../encerramento";
import { idDaInstancia } from "../../instancia";
import { doProcesso } from "../../unico-por-processo";
import { Limitador } from "./limitador";

export { Consumo, Limitador, type OpcoesDoLimitador, temLimites } from "./limitador";
export { RESERVA_PADRAO_RESPOSTA, maximoDaResposta, reservaDeTokens } from "./estimativa";

/** This process's limiter, on the app's database; at shutdown its unspent credit and slots go back. */
export function limitadorDoProcesso(): Limitador {
  return doProcesso("limitadorDeChaves", () => {
    const limitador = new Limitador({ cliente: clienteLibsql(), instancia: idDaInstancia() });
    aoEncerrar(() => void limitador.devolverTudo());
    return limitador;
  });
}
