import { type Chamador, CHAMADOR_ADMIN } from "../chaves/chamador";
import type { IncomingMessage, ServerResponse } from "node:http";
import { comoErroApp } from "../errors";
import type { CorpoResposta, Pedido, Resposta } from "../portas/troca";
import { CABECALHOS_SEGURANCA } from "../seguranca/cabecalhos";
import { lerJsonDeNode } from "../protocolo/corpo";
import { escoar } from "../protocolo/escoar";
import { despachar, respostaDeErroPara } from "./despachar";
import { TarefasDepois } from "./tarefas";

const SEM_PARAMETROS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The `Pedido` of a request on Node's own server (`npm start`): read straight from IncomingMessage, no URL or
 * Web Request built; the query is parsed only when a handler asks for it.
 */
class PedidoNode implements Pedido {
  readonly metodo: string;
  readonly caminho: string;
  params: Readonly<Record<string, string>> = SEM_PARAMETROS;
  readonly endereco: string;
  readonly sinal: AbortSignal;
  readonly recebidoEm = performance.now();
  chamador: Chamador = CHAMADOR_ADMIN;
  readonly depois: (tarefa: Promise<void>) => void;
  private readonly busca: string;
  private parametrosDaBusca: URLSearchParams | null = null;

  constructor(
    private readonly req: IncomingMessage,
    res: ServerResponse,
    tarefas: TarefasDepois,
  ) {
    const url = req.url ?? "/";
    let fim = url.indexOf("?");
    if (fim < 0) fim = url.indexOf("#");
    this.caminho = fim < 0 ? url : url.slice(0, fim);
    this.busca = fim < 0 ? "" : url.slice(fim + 1);
    this.metodo = req.method ?? "GET";
    this.endereco = req.socket.remoteAddress ?? "desconhecido";
    this.depois = tarefas.adicionar;
    // The caller leaving (closed page, stop button, dropped connection) cancels what the handler started.
    const cancelar = new AbortController();
    this.sinal = cancelar.signal;
    res.on("close", () => {
      if (!res.writableFinished) cancelar.abort();
    });
  }

  get consulta(): URLSearchParams {
    this.parametrosDaBusca ??= new URLSearchParams(this.busca);
    return this.parametrosDaBusca;
  }

  readonly cabecalho = (nome: string): string | null => {
    const v = this.req.headers[nome];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };

  readonly json = (limite?: number): Promise<unknown> => lerJsonDeNode(this.req, limite);
}

/**
 * Writes a stream of frames to the response, honouring backpressure. The caller leaving is seen first by
 * the handler's abort signal, which ends the upstream read and with it the frames; from then on nothing
 * more is written, and stopping here ends the frames' source too (its `finally`).
 */
/**
 * The security headers and the answer's, in one new object. Object.assign, not a spread: with the answer's dozen
 * dashed names (a limited key's rate-limit headers among them) the spread costs microseconds on every answer.
 */
function juntar(cabecalhos: Readonly<Record<string, string>> | undefined): Record<string, string | number> {
  return Object.assign({}, CABECALHOS_SEGURANCA, cabecalhos);
}

async function enviarStream(
  res: ServerResponse,
  status: number,
  quadros: AsyncIterable<Uint8Array | string>,
  cabecalhos?: Readonly<Record<string, string>>,
): Promise<void> {
  // Headers go out with the first frame (one packet): the stream only starts once there is text to send.
  res.writeHead(status, juntar(cabecalhos));
  try {
    for await (const quadro of quadros) {
      if (res.destroyed) break;
      if (!res.write(quadro)) await escoar(res);
    }
  } catch (e) {
    // Nothing can be said to the client any more (the status is out): the stream just ends.
    comoErroApp(e);
  } finally {
    res.end();
  }
}

function enviarTexto(res: ServerResponse, status: number, corpo: string | null, cabecalhos?: Readonly<Record<string, string>>): void {
  if (corpo === null && (status === 204 || status === 304)) {
    res.writeHead(status, juntar(cabecalhos));
    res.end();
    return;
  }
  const texto = corpo ?? "";
  res.writeHead(status, Object.assign(juntar(cabecalhos), { "content-length": Buffer.byteLength(texto) }));
  res.end(texto);
}

/** Writes an answer whole (a text) or frame by frame (with backpressure); `aoTerminar` runs once however it ended. */
export async function escreverResposta(res: ServerResponse, resposta: Resposta): Promise<void> {
  const corpo: CorpoResposta = resposta.corpo ?? null;
  try {
    if (corpo === null || typeof corpo === "string") enviarTexto(res, resposta.status, corpo, resposta.cabecalhos);
    else await enviarStream(res, resposta.status, corpo, resposta.cabecalhos);
  } finally {
    resposta.aoTerminar?.();
  }
}

/** An error no handler answered, in the door's shape of the path (a body already begun just ends). */
export function escreverErro(res: ServerResponse, erro: unknown, caminho: string): void {
  if (res.headersSent) {
    comoErroApp(erro);
    res.end();
    return;
  }
  const r = respostaDeErroPara(caminho, erro);
  enviarTexto(res, r.status, typeof r.corpo === "string" ? r.corpo : null, r.cabecalhos);
}

/**
 * The Node front door (servidor.ts): a request for a path of the route table is dispatched (gate, method,
 * handler) and its answer written; then the work it left for after the answer (statistics) is awaited, so the
 * shutdown, which waits for requests in flight, also waits for their records.
 */
export async function atenderPelaTabela(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const tarefas = new TarefasDepois();
  const pedido = new PedidoNode(req, res, tarefas);
  const resposta = await despachar(pedido);
  if (resposta) await escreverResposta(res, resposta);
  else escreverErro(res, new Error("rota fora da tabela"), pedido.caminho);
  await tarefas.esperar();
}
