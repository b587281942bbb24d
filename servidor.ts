// The HTTP server of `npm start`: Next.js for everything, except the request hot path, which is answered
// here before Next's router (it adds about a millisecond per request; see README, "Desempenho").
// Run by scripts/start.mjs as `node --import tsx servidor.ts`, after the listener checks.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { ErroApp } from "./lib/errors";
import { enviarErro, enviarPronta, pedidoWebDeNode } from "./lib/http/node";
import { atenderRequisicaoLLM } from "./lib/http/requisicao-node";
import { avaliarPedido, caminhoDeApi } from "./lib/seguranca/portaria";

const inicio = performance.now();
const host = process.env.HOST || "127.0.0.1";
const porta = Number(process.env.PORT || 3000);
const ROTA_REQUISICAO = /^\/api\/provedores-llm\/([^/?#]+)\/requisicao\/?(?:\?.*)?$/;

const app = next({ dev: false, dir: import.meta.dirname, hostname: host, port: porta });
const atenderComNext = app.getRequestHandler();
await app.prepare();

/** The hot path passes the same gate as everything Next serves (proxy.ts). */
async function atenderRequisicao(req: IncomingMessage, res: ServerResponse, idCodificado: string): Promise<void> {
  const decisao = await avaliarPedido(pedidoWebDeNode(req));
  if (decisao.tipo === "responder") return enviarPronta(res, decisao.resposta);
  if (decisao.tipo === "seguir") for (const [nome, valor] of Object.entries(decisao.cabecalhos)) res.setHeader(nome, valor);
  let id: string;
  try {
    id = decodeURIComponent(idCodificado);
  } catch {
    return enviarErro(res, new ErroApp("validacao", "O id do provedor na URL não é válido."));
  }
  await atenderRequisicaoLLM(req, res, id);
}

function caminhoDecodificavel(url: string): boolean {
  try {
    decodeURIComponent(url.split("?")[0]!);
    return true;
  } catch {
    return false;
  }
}

const servidor = createServer((req, res) => {
  const rota = ROTA_REQUISICAO.exec(req.url ?? "");
  if (rota) {
    // Nothing a client sends may escape as an exception: whatever fails still gets an answer.
    atenderRequisicao(req, res, rota[1]!).catch((e) => enviarErro(res, e));
    return;
  }
  // Next answers a path with a broken escape (%E0) with its HTML error page; the API keeps its JSON contract.
  if (caminhoDeApi(req.url ?? "") && !caminhoDecodificavel(req.url ?? "")) {
    return enviarErro(res, new ErroApp("validacao", "A URL tem um escape inválido (%): confira o caminho."));
  }
  // The login throttle counts per client address; Next only sees what this socket says, never the client's claim.
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  void atenderComNext(req, res);
});
servidor.keepAliveTimeout = 5000;
servidor.listen(porta, host, () => {
  console.log(`✓ Provedores LLM pronto em ${Math.round(performance.now() - inicio)} ms: http://${host.includes(":") ? `[${host}]` : host}:${porta}`);
});

for (const sinal of ["SIGINT", "SIGTERM"] as const) {
  process.on(sinal, () => {
    servidor.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
