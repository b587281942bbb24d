import { comoErroApp, ErroApp } from "../errors";
import { PORTA_CONTRATO } from "../portas/contrato";
import type { Pedido, Resposta } from "../portas/troca";
import { MENSAGEM_NAO_AUTORIZADO } from "../seguranca/autenticacao";
import { problemaNoCaminho } from "./caminho";
import { avaliarPedido } from "./portaria";
import { type Encontrada, encontrarRota, type Metodo, type RotaPronta } from "./rotas";

const SEM_PARAMETROS: Readonly<Record<string, string>> = Object.freeze({});

function listaLegivel(itens: readonly string[]): string {
  return itens.length > 1 ? `${itens.slice(0, -1).join(", ")} ou ${itens.at(-1)}` : (itens[0] ?? "");
}

/** The one 405: the entry's methods in the message and in `Allow`, in the door's shape. */
function metodoNaoPermitido(pedido: Pedido, rota: RotaPronta): Resposta {
  const erro = new ErroApp(
    "metodo_nao_permitido",
    `O método ${pedido.metodo} não é aceito em ${pedido.caminho}: use ${listaLegivel(rota.nomesDosMetodos)}.`,
    { permitidos: rota.nomesDosMetodos },
  );
  const resposta = rota.porta.formatoDeErro(erro);
  return { ...resposta, cabecalhos: { ...resposta.cabecalhos, allow: rota.permitidos } };
}

/** The path's named parts, decoded; a broken escape (`%E0`) is the caller's error, not an exception. */
function parametrosDe(rota: RotaPronta, valores: RegExpExecArray | null): Readonly<Record<string, string>> {
  if (!valores) return SEM_PARAMETROS;
  const params: Record<string, string> = {};
  try {
    for (let i = 0; i < rota.nomes.length; i++) params[rota.nomes[i]!] = decodeURIComponent(valores[i + 1]!);
  } catch {
    throw new ErroApp("validacao", "A URL tem um escape inválido (%): confira o caminho.");
  }
  return params;
}

async function atender(pedido: Pedido, achada: Encontrada): Promise<Resposta> {
  const { rota } = achada;
  if (!rota) throw new ErroApp("nao_encontrado", achada.porta.rotaInexistente(pedido.caminho));
  pedido.params = parametrosDe(rota, achada.valores);
  // HEAD is GET without its body (the front door leaves the body out).
  const metodo = (pedido.metodo === "HEAD" ? "GET" : pedido.metodo) as Metodo;
  const manipulador = rota.metodos[metodo];
  if (manipulador) return manipulador(pedido);
  // A CORS preflight was answered by the gate; a plain OPTIONS asks what the route takes.
  if (pedido.metodo === "OPTIONS") return { status: 204, cabecalhos: { allow: rota.permitidos }, corpo: null };
  return metodoNaoPermitido(pedido, rota);
}

/**
 * HEAD gets GET's status and headers only: a stream (SSE) is let go at once (its source and subscription end)
 * instead of being written to nobody until the client leaves.
 */
function semCorpoSeHead(pedido: Pedido, resposta: Resposta): Resposta {
  const corpo = resposta.corpo;
  if (pedido.metodo !== "HEAD" || corpo === null || corpo === undefined || typeof corpo === "string") return resposta;
  resposta.aoTerminar?.();
  corpo[Symbol.asyncIterator]()
    .return?.()
    ?.catch(() => {});
  return { status: resposta.status, cabecalhos: resposta.cabecalhos, corpo: null };
}

function comCabecalhos(resposta: Resposta, extras: Readonly<Record<string, string>>): Resposta {
  for (const _ in extras) return { ...resposta, cabecalhos: { ...resposta.cabecalhos, ...extras } };
  return resposta;
}

/**
 * Every request for a path the route table owns (lib/http/rotas.ts), whichever server received it: the
 * entry, then the gate (lib/http/portaria.ts, once), then the method, then the handler; anything
 * thrown is rendered by the entry's door. Null for a path the table does not own (a page: Next serves it).
 */
export async function despachar(pedido: Pedido): Promise<Resposta | null> {
  const achada = encontrarRota(pedido.caminho);
  if (!achada) return null;
  const porta = achada.porta;
  const invalido = problemaNoCaminho(pedido.caminho);
  if (invalido) return porta.formatoDeErro(invalido);
  const decisao = await avaliarPedido(pedido, porta.formatoDeErro, achada.modelo);
  if (decisao.tipo === "responder") return decisao.resposta;
  // The gate sends only pages to the login page; an API entry is refused there with 401 instead.
  if (decisao.tipo === "login") return porta.formatoDeErro(new ErroApp("nao_autorizado", MENSAGEM_NAO_AUTORIZADO));
  const cors = decisao.cabecalhos;
  pedido.chamador = decisao.chamador;
  try {
    return comCabecalhos(semCorpoSeHead(pedido, await atender(pedido, achada)), cors);
  } catch (e) {
    return comCabecalhos(porta.formatoDeErro(comoErroApp(e)), cors);
  }
}

/** The error answer for a path no handler answered (the server failed, or is shutting down), in its door's shape. */
export function respostaDeErroPara(caminho: string, erro: unknown): Resposta {
  return (encontrarRota(caminho)?.porta ?? PORTA_CONTRATO).formatoDeErro(comoErroApp(erro));
}
