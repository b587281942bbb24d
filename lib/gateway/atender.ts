import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { autorizar } from "./autorizar";
import { chamarMensagens } from "./chamada-mensagens";
import { chamarPassagem } from "./chamada-passagem";
import { escolherCandidatos } from "./escolher";
import type { Candidato, PedidoModelo, ResultadoModelo } from "./pedido";
import { type Tentativa, tentarCandidatos } from "./tentar";

/**
 * One model call through the pipeline, whichever door it came in by: authorise, pick the candidates, attempt
 * them in order (failover before the first byte), relay the answer's events to the door's framing, and record
 * each attempt. Resolves once a server started answering; a stream is settled by its `descartar`.
 */
export async function atenderModelo(pedido: PedidoModelo): Promise<ResultadoModelo> {
  autorizar(pedido);
  const candidatos = await escolherCandidatos(pedido);
  return tentarCandidatos(pedido, candidatos, chamar);
}

/** The call for the form of answer the request wants: the server's answer in the door's dialect, or normalised. */
function chamar(pedido: PedidoModelo, t: Tentativa, linha: ProvedorLLMLinha, candidato: Candidato): Promise<ResultadoModelo> {
  const entrada = pedido.entrada;
  return entrada.formato === "passagem"
    ? chamarPassagem(pedido, entrada, t, linha, candidato)
    : chamarMensagens(pedido, entrada, t, linha, candidato);
}
