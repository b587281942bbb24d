import type { IncomingMessage, ServerResponse } from "node:http";
import { ErroApp } from "../errors";
import { encaminharOpenAI, listarModelosOpenAI } from "../gateway";
import type { ResultadoGateway } from "../gateway/encaminhar";
import type { RotaOpenAI } from "../adapters";
import { lerJsonDeNode, LIMITE_REQUISICAO_LLM_BYTES } from "./corpo";
import { enviarErro, enviarJson, enviarStream } from "./node";
import { CABECALHOS_SSE } from "./sse";

const ROTAS: ReadonlySet<string> = new Set<RotaOpenAI>(["/v1/chat/completions", "/v1/completions", "/v1/embeddings"]);

/** Who served the answer and what the app added, on every answer (names may hold any character: encoded). */
function cabecalhosDoAtendimento(r: ResultadoGateway): Record<string, string> {
  return {
    "x-provedor-id": String(r.provedor.id),
    "x-provedor-nome": encodeURIComponent(r.provedor.nome),
    "x-provedores-llm-overhead-ms": r.overheadMs.toFixed(1),
  };
}

/**
 * The OpenAI-compatible gateway on Node's own request and response: `/v1/models`, `/v1/chat/completions`,
 * `/v1/completions`, `/v1/embeddings`. Mounted like the request hot path: ahead of Next under `npm start`
 * (servidor.ts), through a Pages API route elsewhere.
 */
export async function atenderGateway(req: IncomingMessage, res: ServerResponse, caminho: string): Promise<void> {
  const recebidoEm = performance.now();
  const rota = caminho.replace(/\/+$/, "");
  const cancelar = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) cancelar.abort();
  });
  // Statistics are written after the answer; the handler waits for them only then (serverless freezes after it returns).
  const gravacoes: Promise<void>[] = [];
  try {
    if (rota === "/v1/models") {
      if (req.method !== "GET") throw new ErroApp("validacao", "Use GET em /v1/models.");
      return enviarJson(res, 200, await listarModelosOpenAI());
    }
    if (!ROTAS.has(rota)) {
      throw new ErroApp(
        "nao_encontrado",
        `Rota ${rota} não existe. Use /v1/models, /v1/chat/completions, /v1/completions ou /v1/embeddings.`,
      );
    }
    if (req.method !== "POST") throw new ErroApp("validacao", `Use POST em ${rota}.`);
    const corpo = await lerJsonDeNode(req, LIMITE_REQUISICAO_LLM_BYTES);
    const r = await encaminharOpenAI({ rota: rota as RotaOpenAI, corpo, signal: cancelar.signal, recebidoEm, gravacoes });
    try {
      for (const [nome, valor] of Object.entries(cabecalhosDoAtendimento(r))) res.setHeader(nome, valor);
      if (r.tipo === "stream") {
        await enviarStream(res, r.stream, CABECALHOS_SSE);
      } else {
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(r.texto) });
        res.end(r.texto);
      }
    } finally {
      // However the writing ended (even before the stream's first frame), the attempt is settled once.
      if (r.tipo === "stream") r.descartar();
    }
  } catch (e) {
    enviarErro(res, e, rota);
  }
  await Promise.all(gravacoes);
}
