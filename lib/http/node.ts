import type { IncomingMessage, ServerResponse } from "node:http";
import { cabecalhosDoErro, comoErroApp, corpoDoErro } from "../errors";
import type { PedidoWeb, RespostaPronta } from "../seguranca/portaria";
import { CABECALHOS_SEGURANCA } from "../seguranca/cabecalhos";

/** JSON on a Node response (Pages API routes), with the same body Response.json would give. */
export function enviarJson(res: ServerResponse, status: number, corpo: unknown, extras?: Readonly<Record<string, string>>): void {
  const texto = JSON.stringify(corpo);
  res.writeHead(status, {
    ...CABECALHOS_SEGURANCA,
    ...extras,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(texto),
  });
  res.end(texto);
}

/**
 * The error's body with the status of its codigo, as respostaDeErro does for Web responses; on a /v1 path
 * (`caminho`) in OpenAI's shape.
 */
export function enviarErro(res: ServerResponse, erro: unknown, caminho = ""): void {
  const e = comoErroApp(erro);
  if (res.headersSent) {
    res.end();
    return;
  }
  enviarJson(res, e.status, corpoDoErro(e, caminho), cabecalhosDoErro(e));
}

/** Waits until a full socket drains, or the client leaves; leaves no listener behind. */
export function escoar(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const fim = () => {
      res.off("drain", fim).off("close", fim);
      resolve();
    };
    res.on("drain", fim).on("close", fim);
  });
}

/**
 * Writes a stream of frames to the response, honouring backpressure. The caller leaving is seen first by
 * the handler's abort signal, which ends the upstream read and with it the frames; from then on nothing
 * more is written, and stopping here ends the frames' source too (its `finally`).
 */
export async function enviarStream(
  res: ServerResponse,
  quadros: AsyncIterable<Uint8Array>,
  cabecalhos: Record<string, string>,
): Promise<void> {
  // Headers go out with the first frame (one packet): the stream only starts once there is text to send.
  res.writeHead(200, { ...CABECALHOS_SEGURANCA, ...cabecalhos });
  try {
    for await (const quadro of quadros) {
      if (res.destroyed) break;
      if (!res.write(quadro)) await escoar(res);
    }
  } finally {
    res.end();
  }
}

/** What the gate (lib/seguranca/portaria.ts) reads of a Node request. */
export function pedidoWebDeNode(req: IncomingMessage): PedidoWeb {
  const url = req.url ?? "/";
  const fimCaminho = url.search(/[?#]/);
  return {
    metodo: req.method ?? "GET",
    caminho: fimCaminho < 0 ? url : url.slice(0, fimCaminho),
    cabecalho: (nome) => {
      const v = req.headers[nome];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
    endereco: req.socket.remoteAddress ?? "desconhecido",
  };
}

/** An answer the gate wrote whole (a refusal, a preflight). */
export function enviarPronta(res: ServerResponse, resposta: RespostaPronta): void {
  res.writeHead(resposta.status, { ...resposta.cabecalhos, "content-length": Buffer.byteLength(resposta.corpo) });
  res.end(resposta.corpo);
}
