import { CHAMADOR_ADMIN } from "../chaves/chamador";
import type { Pedido, Resposta } from "../portas/troca";
import { comoErroApp } from "../errors";
import { lerCorpoJson } from "../protocolo/corpo";
import { CABECALHOS_SEGURANCA } from "../seguranca/cabecalhos";
import { despachar, respostaDeErroPara } from "./despachar";
import { enderecoDoCliente } from "./endereco";
import { TarefasDepois } from "./tarefas";

const SEM_PARAMETROS: Readonly<Record<string, string>> = Object.freeze({});
const codificador = new TextEncoder();

/**
 * How the platform runs work once the answer has been sent (Next's `after()`, passed by the App Router shell:
 * lib/ does not import next/*): a serverless platform would otherwise freeze the process first.
 */
export type DepoisDaResposta = (tarefa: () => Promise<void>) => void;

/** Statuses a Web Response refuses any body for, even an empty text. */
const SEM_CORPO = new Set([101, 103, 204, 205, 304]);

/** The `Pedido` of a Web Request (the App Router shells under `next dev`, `next start`, Vercel). */
function pedidoDaWeb(request: Request, tarefas: TarefasDepois): Pedido {
  const url = new URL(request.url);
  return {
    metodo: request.method,
    caminho: url.pathname,
    consulta: url.searchParams,
    params: SEM_PARAMETROS,
    cabecalho: (nome) => request.headers.get(nome),
    endereco: enderecoDoCliente((nome) => request.headers.get(nome)),
    sinal: request.signal,
    recebidoEm: performance.now(),
    chamador: CHAMADOR_ADMIN,
    json: (limite) => lerCorpoJson(request, limite),
    depois: tarefas.adicionar,
  };
}

/** The answer as a Web Response; a stream's end or cancel (the client left) calls `aoTerminar` once. */
function respostaWeb(resposta: Resposta, terminar: () => void): Response {
  const cabecalhos = new Headers(CABECALHOS_SEGURANCA);
  for (const nome in resposta.cabecalhos) cabecalhos.set(nome, resposta.cabecalhos[nome]!);
  const corpo = resposta.corpo ?? null;
  if (corpo === null || typeof corpo === "string") {
    terminar();
    return new Response(SEM_CORPO.has(resposta.status) ? null : corpo, { status: resposta.status, headers: cabecalhos });
  }
  const quadros = corpo[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controle) {
      try {
        const r = await quadros.next();
        if (r.done) {
          controle.close();
          terminar();
        } else controle.enqueue(typeof r.value === "string" ? codificador.encode(r.value) : r.value);
      } catch (e) {
        // As under `npm start`: the status is out, so the error is logged masked and the stream just ends.
        comoErroApp(e);
        controle.close();
        terminar();
        await quadros.return?.()?.catch(() => {});
      }
    },
    async cancel() {
      terminar();
      await quadros.return?.();
    },
  });
  return new Response(stream, { status: resposta.status, headers: cabecalhos });
}

/**
 * The Web front door: the App Router shells (app/api/[[...caminho]], app/v1/[[...caminho]]) hand every request
 * here; it is dispatched through the same route table, gate and doors as under `npm start`.
 */
export async function atenderWeb(request: Request, depoisDaResposta: DepoisDaResposta): Promise<Response> {
  const tarefas = new TarefasDepois();
  const pedido = pedidoDaWeb(request, tarefas);
  let avisarFim!: () => void;
  const terminou = new Promise<void>((r) => (avisarFim = r));
  // Once the body is written whole or abandoned, then every task the request left (statistics).
  depoisDaResposta(() => terminou.then(() => tarefas.esperar()));
  let resposta: Resposta | null = null;
  let terminado = false;
  const terminar = () => {
    if (terminado) return;
    terminado = true;
    resposta?.aoTerminar?.();
    avisarFim();
  };
  try {
    resposta = (await despachar(pedido)) ?? respostaDeErroPara(pedido.caminho, new Error("rota fora da tabela"));
    return respostaWeb(resposta, terminar);
  } catch (e) {
    // What failed outside a handler (the gate's session read, a header value a Response refuses) still gets
    // the door's error, and the work after the answer still runs.
    terminar();
    return respostaWeb(respostaDeErroPara(pedido.caminho, e), () => {});
  }
}
