// The HTTP server of `npm start`: Next.js for everything, except the request hot path, which is answered
// here before Next's router (it adds about a millisecond per request; see README, "Desempenho").
// Run by scripts/start.mjs as `node --import tsx servidor.ts`, after the listener checks.
import { createServer } from "node:http";
import next from "next";
import { ErroApp } from "./lib/errors";
import { enviarErro } from "./lib/http/node";
import { atenderRequisicaoLLM } from "./lib/http/requisicao-node";
import { MENSAGEM_NAO_AUTORIZADO } from "./lib/seguranca/autenticacao";
import { requisicaoAutorizada } from "./lib/seguranca/requisicao-autorizada";

const inicio = performance.now();
const host = process.env.HOST || "127.0.0.1";
const porta = Number(process.env.PORT || 3000);
const ROTA_REQUISICAO = /^\/api\/provedores-llm\/([^/?#]+)\/requisicao\/?(?:\?.*)?$/;

const app = next({ dev: false, dir: import.meta.dirname, hostname: host, port: porta });
const atenderComNext = app.getRequestHandler();
await app.prepare();

const servidor = createServer((req, res) => {
  const rota = ROTA_REQUISICAO.exec(req.url ?? "");
  if (!rota) return void atenderComNext(req, res);
  // Same rule as proxy.ts, which this path does not go through.
  if (!requisicaoAutorizada(req)) {
    res.setHeader("www-authenticate", "Bearer");
    return enviarErro(res, new ErroApp("nao_autorizado", MENSAGEM_NAO_AUTORIZADO));
  }
  void atenderRequisicaoLLM(req, res, decodeURIComponent(rota[1]!)).catch((e) => enviarErro(res, e));
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
