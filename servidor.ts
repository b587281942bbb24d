// The HTTP server of `npm start`: Next.js for everything, except the request hot path, which is answered
// here before Next's router (it adds about a millisecond per request; see README, "Desempenho").
// Compiled to .next/servidor.mjs with the build; scripts/start.mjs imports it in its own process after the checks.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import next from "next";
import { caminhoOpenAI, ErroApp } from "./lib/errors";
import { gravarPendentes } from "./lib/estatisticas/registrar";
import { atenderGateway } from "./lib/http/gateway-node";
import { pararMonitor } from "./lib/monitor/monitor";
import { enviarErro, enviarPronta, pedidoWebDeNode } from "./lib/http/node";
import { atenderRequisicaoLLM } from "./lib/http/requisicao-node";
import { avaliarPedido, caminhoDeApi } from "./lib/seguranca/portaria";

const inicio = performance.now();
const host = process.env.HOST || "127.0.0.1";
const porta = Number(process.env.PORT || 3000);
const ROTA_REQUISICAO = /^\/api\/provedores-llm\/([^/?#]+)\/requisicao\/?(?:\?.*)?$/;

// The configuration the build resolved, as Next's own standalone server passes it: without it Next reads
// next.config.ts again at start, loading its SWC compiler (25 MiB resident) just to compile that file.
const { config } = JSON.parse(readFileSync(path.join(process.cwd(), ".next", "required-server-files.json"), "utf8")) as {
  config: Record<string, unknown>;
};
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(config);

// scripts/start.mjs runs this (compiled to .next/servidor.mjs) from the project folder.
const app = next({ dev: false, dir: process.cwd(), hostname: host, port: porta });
const atenderComNext = app.getRequestHandler();
await app.prepare();

function caminhoDecodificavel(url: string): boolean {
  try {
    decodeURIComponent(url.split("?")[0]!);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every request passes the gate (lib/seguranca/portaria.ts) here, before anything reads its body: a refusal
 * never reaches Next. Next's proxy asks the same gate again for what it serves (and is the gate under
 * `next dev`, where this file does not run).
 */
async function atender(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  const decisao = await avaliarPedido(pedidoWebDeNode(req));
  if (decisao.tipo === "responder") return enviarPronta(res, decisao.resposta);
  const rota = ROTA_REQUISICAO.exec(url);
  // Next answers a path with a broken escape (%E0) with its HTML error page; the API keeps its JSON contract.
  if (caminhoDeApi(url) && !caminhoDecodificavel(url)) {
    return enviarErro(res, new ErroApp("validacao", "A URL tem um escape inválido (%): confira o caminho."), url);
  }
  if (decisao.tipo === "seguir" && caminhoOpenAI(url)) {
    for (const [nome, valor] of Object.entries(decisao.cabecalhos)) res.setHeader(nome, valor);
    return atenderGateway(req, res, url.split("?")[0]!);
  }
  if (rota && decisao.tipo === "seguir") {
    for (const [nome, valor] of Object.entries(decisao.cabecalhos)) res.setHeader(nome, valor);
    return atenderRequisicaoLLM(req, res, decodeURIComponent(rota[1]!));
  }
  // The login throttle counts per client address; Next only sees what this socket says, never the client's claim.
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  return atenderComNext(req, res);
}

const servidor = createServer((req, res) => {
  // Nothing a client sends may escape as an exception: whatever fails still gets an answer.
  atender(req, res).catch((e) => enviarErro(res, e, req.url ?? ""));
});
servidor.keepAliveTimeout = 5000;
servidor.listen(porta, host, () => {
  console.log(
    `✓ Provedores LLM pronto em ${Math.round(performance.now() - inicio)} ms: http://${host.includes(":") ? `[${host}]` : host}:${porta}`,
  );
});

// Stop the monitor and taking requests, let those in flight finish (3 s at most), write the queued statistics, then exit:
// every request answered before the signal is counted.
let saindo = false;
for (const sinal of ["SIGINT", "SIGTERM"] as const) {
  process.on(sinal, () => {
    if (saindo) return;
    saindo = true;
    pararMonitor();
    let gravando = false;
    const sair = () => {
      if (gravando) return;
      gravando = true;
      void gravarPendentes()
        .catch((e: unknown) => console.error("[provedores-llm] estatísticas não gravadas na saída:", (e as Error).message))
        .finally(() => process.exit(0));
    };
    servidor.close(sair);
    servidor.closeIdleConnections();
    setTimeout(sair, 3000).unref();
  });
}
