import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import type { ChaveEmUso } from "../chaves/chamador";
import { type Consumo, limitadorDoProcesso, reservaDeTokens, temLimites } from "../chaves/limites";
import { comoErroApp } from "../errors";
import { autorizar } from "./autorizar";
import { chamarMensagens } from "./chamada-mensagens";
import { chamarPassagem } from "./chamada-passagem";
import { escolherCandidatos } from "./escolher";
import type { Candidato, PedidoModelo, ResultadoModelo, ServidorDoPlano } from "./pedido";
import { type Tentativa, tentarCandidatos } from "./tentar";

/**
 * One model call through the pipeline, whichever door it came in by: authorise, pick the candidates, attempt
 * them in order (failover before the first byte), relay the answer's events to the door's framing, and record
 * each attempt. Resolves once a server started answering; a stream is settled by its `descartar`. A key with
 * limits goes through them first (lib/chaves/limites), and holds its reservation until its answer ends.
 */
export async function atenderModelo(pedido: PedidoModelo): Promise<ResultadoModelo> {
  autorizar(pedido);
  const chamador = pedido.chamador;
  if (chamador.tipo === "chave" && temLimites(chamador.chave)) return atenderComLimites(pedido, chamador.chave);
  const candidatos = await escolherCandidatos(pedido);
  return tentarCandidatos(pedido, candidatos, chamar);
}

/**
 * A limited key's call: its request, tokens (reserved from the body) and slot are taken before any provider is
 * picked; when the answer ends (a whole one at once, a stream when it is settled) the tokens are corrected from
 * the usage the server reported and the slot is freed. Every answer, an error's too, carries the key's headers.
 */
async function atenderComLimites(pedido: PedidoModelo, chave: ChaveEmUso): Promise<ResultadoModelo> {
  const limitador = limitadorDoProcesso();
  const precisaTokens = chave.limite_tpm !== null || chave.orcamento_tokens_dia !== null || chave.orcamento_tokens_mes !== null;
  let reserva = 0;
  if (precisaTokens && !pedido.semTokens) {
    const corpo = corpoDoPedido(pedido);
    reserva = reservaDeTokens(corpo instanceof Promise ? await corpo : corpo);
  }
  const entrada = limitador.entrar(chave, reserva);
  const consumo: Consumo = entrada instanceof Promise ? await entrada : entrada;
  // What the attempts reported (null: no usage reported by any).
  let usados: number | null = null;
  let respondeu = false;
  // The door's request is this call's own: it hears the attempts' ends directly (no copy of it on the hot path).
  pedido.aoEncerrarTentativa = (dados) => {
    if (!dados) return;
    if (dados.sucesso) respondeu = true;
    if (dados.tokens_prompt != null || dados.tokens_resposta != null)
      usados = (usados ?? 0) + (dados.tokens_prompt ?? 0) + (dados.tokens_resposta ?? 0);
  };
  // An answer without usage counts its whole reservation; no answer at all, nothing.
  const fim = (houveResposta: boolean) => consumo.encerrar(pedido.semTokens ? 0 : (usados ?? (houveResposta || respondeu ? null : 0)));
  let r: ResultadoModelo;
  try {
    r = await tentarCandidatos(pedido, await escolherCandidatos(pedido), chamar);
  } catch (e) {
    fim(false);
    const erro = comoErroApp(e);
    erro.cabecalhos = erro.cabecalhos ? { ...consumo.cabecalhos(), ...erro.cabecalhos } : consumo.cabecalhos();
    throw erro;
  }
  // The result is this call's own too: the key's headers (and the stream's settling) are set on it.
  if (r.tipo !== "stream") {
    fim(true);
    r.cabecalhos = consumo.cabecalhos();
    return r;
  }
  const descartar = r.descartar;
  r.cabecalhos = consumo.cabecalhos();
  r.descartar = () => {
    descartar();
    fim(true);
  };
  return r;
}

/**
 * The body as the door's own dialect says it (its native plan), for the tokens a request reserves: `max_tokens`
 * and its spellings, and the prompt's size. Null when the door cannot plan without a real server.
 */
function corpoDoPedido(pedido: PedidoModelo): Record<string, unknown> | null | Promise<Record<string, unknown> | null> {
  const entrada = pedido.entrada;
  if (entrada.formato === "mensagens") return { messages: entrada.mensagens, configuracao: entrada.configuracao ?? null };
  try {
    // Most doors plan synchronously (the OpenAI door's plan is one object for every candidate): no await then.
    const plano = entrada.planejar(SERVIDOR_NATIVO);
    return plano instanceof Promise
      ? plano.then(
          (p) => p.corpo,
          () => null,
        )
      : plano.corpo;
  } catch {
    return null;
  }
}

/** The server a door plans for when only its body is wanted: one that serves the door's own dialect natively. */
const SERVIDOR_NATIVO: ServidorDoPlano = { tipo: "ollama", temRota: () => Promise.resolve(true) };

/** The call for the form of answer the request wants: the server's answer in the door's dialect, or normalised. */
function chamar(pedido: PedidoModelo, t: Tentativa, linha: ProvedorLLMLinha, candidato: Candidato): Promise<ResultadoModelo> {
  const entrada = pedido.entrada;
  return entrada.formato === "passagem"
    ? chamarPassagem(pedido, entrada, t, linha, candidato)
    : chamarMensagens(pedido, entrada, t, linha, candidato);
}
