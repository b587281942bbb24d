// The HTTP server of `npm start`: every path of the route table (lib/http/rotas.ts: /api and /v1) is answered
// here before Next's router, which would add about a millisecond per request (see README, "Desempenho");
// Next serves the pages.
// Compiled to .next/servidor.mjs with the build; scripts/start.mjs imports it in its own process after the checks.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import next from "next";
import { ErroApp } from "./lib/errors";
import { bancoDisponivel, prazoBancoMs } from "./db/client";
import { encerrarChamadasAbertas } from "./lib/adapters/http";
import { devolverLimitesNaSaida } from "./lib/chaves/limites";
import { iniciarEncerramento, tarefasDaSaida } from "./lib/encerramento";
import { gravarPendentes, registrosNaFila } from "./lib/estatisticas/registrar";
import { iniciarAplicacao } from "./lib/inicializacao";
import { pararMonitor } from "./lib/monitor/verificacoes";
import { atenderPelaTabela, escreverErro } from "./lib/http/adaptador-node";
import { alvoResolvido } from "./lib/http/caminho";
import { informarEnderecoDoSoquete } from "./lib/http/endereco";
import { servidoPelaTabela, sondaDaRaiz } from "./lib/http/prefixos";
import { segundosEmMs } from "./lib/segundos";

const inicio = performance.now();
const host = process.env.HOST || "127.0.0.1";
const porta = Number(process.env.PORT || 3000);

// The configuration the build resolved, as Next's own standalone server passes it: without it Next reads
// next.config.ts again at start, loading its SWC compiler (25 MiB resident) just to compile that file.
const { config } = JSON.parse(readFileSync(path.join(process.cwd(), ".next", "required-server-files.json"), "utf8")) as {
  config: Record<string, unknown>;
};
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(config);

// A database that cannot be opened stops the start here, with one line saying why, before anything listens.
await iniciarAplicacao();

// scripts/start.mjs runs this (compiled to .next/servidor.mjs) from the project folder.
// Pages reach Next's proxy with X-Forwarded-For set here from the socket (below): the proxy may trust it.
informarEnderecoDoSoquete();
const app = next({ dev: false, dir: process.cwd(), hostname: host, port: porta });
const atenderComNext = app.getRequestHandler();
await app.prepare();

/**
 * A path of the route table is dispatched here (the gate runs once, in the dispatcher), never reaching Next;
 * a page goes to Next, whose proxy runs the gate for it.
 */
function atender(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // `.`/`..` resolved as Next resolves them, so `/api/provedores-llm/..` is the same path under every server.
  const alvo = alvoResolvido(req.url ?? "/");
  if (alvo !== req.url) req.url = alvo;
  if (servidoPelaTabela(alvo) || sondaDaRaiz(alvo, req.method, (nome) => cabecalhoUnico(req.headers[nome])))
    return atenderPelaTabela(req, res);
  // The login throttle counts per client address; Next only sees what this socket says, never the client's claim.
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  return atenderComNext(req, res);
}

/** A request header as one value (Node gives a list for a repeated one). */
const cabecalhoUnico = (valor: string | string[] | undefined): string | undefined => (Array.isArray(valor) ? valor.join(", ") : valor);

function caminhoDe(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const fim = url.indexOf("?");
  return fim < 0 ? url : url.slice(0, fim);
}

// Requests being answered, up to the last statistic of each (both doors wait for theirs): a shutdown waits for them.
let emAtendimento = 0;
let saindo = false;
const servidor = createServer((req, res) => {
  if (saindo) {
    // A kept-alive client asking again during the grace period: not this process (Connection: close comes with the error).
    return escreverErro(res, new ErroApp("servidor_encerrando", "O servidor está encerrando. Tente de novo em instantes."), caminhoDe(req));
  }
  emAtendimento += 1;
  // Nothing a client sends may escape as an exception: whatever fails still gets an answer.
  atender(req, res).then(
    () => (emAtendimento -= 1),
    (e: unknown) => {
      emAtendimento -= 1;
      escreverErro(res, e, caminhoDe(req));
    },
  );
});
servidor.keepAliveTimeout = 5000;
servidor.listen(porta, host, () => {
  console.log(
    `✓ Provedores LLM pronto em ${Math.round(performance.now() - inicio)} ms: http://${host.includes(":") ? `[${host}]` : host}:${porta}`,
  );
});

/**
 * ENCERRAMENTO_SEGUNDOS: how long answers in flight (a long stream) may go on after SIGTERM. With the two
 * bounds below the whole shutdown takes at most grace + 3 s: 9 s by default, inside `docker stop`'s 10 s.
 * A supervisor with a shorter stop timeout needs ENCERRAMENTO_SEGUNDOS below it minus 3 s.
 */
const GRACA_MS = segundosEmMs("ENCERRAMENTO_SEGUNDOS", 6);
/** After the grace, how long the doors get to send their error event and record the request. */
const FECHAMENTO_MS = 1000;
/** How long the exit waits for the last statistics to be written (the database's deadline, if shorter). */
const GRAVACAO_FINAL_MS = Math.min(2000, prazoBancoMs());

const esperar = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** A second SIGTERM/SIGINT: the rest of the grace period is skipped. */
let semGraca = false;

async function ateQue(condicao: () => boolean, limiteMs: number): Promise<boolean> {
  for (const fim = Date.now() + limiteMs; Date.now() < fim && !semGraca; await esperar(50)) {
    // A kept-alive connection whose answer just ended is closed as it turns idle.
    servidor.closeIdleConnections();
    if (condicao()) return true;
  }
  return condicao();
}

/**
 * Writes the queued statistics until no request is in flight and nothing is queued (or the database is away,
 * or `fim`): a request that settles on the connections' close event (a writer waiting for a slow client, a
 * failover reading the database) records after the first write began. False when `fim` passed first.
 */
async function gravarAteOFim(fim: number): Promise<boolean> {
  for (;;) {
    const restante = fim - Date.now();
    if (restante <= 0) return false;
    const gravar = gravarPendentes().then(
      () => true,
      (e: unknown) => {
        console.error("[provedores-llm] estatísticas não gravadas na saída:", (e as Error).message);
        return true;
      },
    );
    if (!(await Promise.race([gravar, esperar(restante).then(() => false)]))) return false;
    if ((emAtendimento === 0 && !registrosNaFila()) || !bancoDisponivel()) return true;
    await esperar(Math.min(50, restante));
  }
}

/**
 * SIGTERM/SIGINT: stop the monitor and taking connections, end the live pages' event streams; the answers
 * in flight get the grace period to finish (a second signal ends it); those still open then end with their
 * door's error event (provedor_erro, "servidor encerrando", via the upstream calls: lib/adapters/http.ts),
 * each request recorded; the queued statistics are written, also those of requests the closed connections
 * end (GRAVACAO_FINAL_MS at most), and the process exits 0.
 */
async function encerrar(): Promise<void> {
  // The waits below are unref'd (they must not hold a running server), so once the last connection closes nothing
  // would keep the event loop alive and the process would end with code 0 mid-shutdown, its credit and statistics
  // not written. This one holds it, and bounds the whole shutdown if the database never answers.
  setTimeout(() => process.exit(0), GRACA_MS + FECHAMENTO_MS + 3 * GRAVACAO_FINAL_MS);
  // The monitor's lease given up meanwhile (another instance takes over at its next round); waited for before the exit.
  const monitorSolto = pararMonitor();
  servidor.close();
  iniciarEncerramento();
  if (!(await ateQue(() => emAtendimento === 0, GRACA_MS))) {
    const cortadas = encerrarChamadasAbertas();
    console.log(`[provedores-llm] encerrando: ${cortadas} resposta(s) ainda abertas foram interrompidas.`);
    semGraca = false;
    await ateQue(() => emAtendimento === 0, FECHAMENTO_MS);
  }
  servidor.closeAllConnections();
  const fimDaGravacao = Date.now() + GRAVACAO_FINAL_MS;
  // What the shutdown stopped stores how it ended (a benchmark run: interrompido), bounded like the statistics.
  await Promise.race([tarefasDaSaida(), esperar(GRAVACAO_FINAL_MS)]);
  // The limited keys' credit and slots go back only now, with nothing in flight: a stream of the grace period
  // held its slot and counted its tokens to the end.
  await devolverLimitesNaSaida(fimDaGravacao - Date.now());
  const escritas = await gravarAteOFim(fimDaGravacao);
  const pendentes = registrosNaFila();
  if (emAtendimento) {
    console.error(`[provedores-llm] ${emAtendimento} requisição(ões) ainda em andamento na saída: não foram registradas.`);
  }
  if (pendentes) {
    const motivo = !bancoDisponivel()
      ? "o banco de dados está indisponível"
      : escritas
        ? "o banco de dados não confirmou o lote"
        : `o banco de dados não respondeu em ${GRAVACAO_FINAL_MS / 1000} s`;
    console.error(`[provedores-llm] ${pendentes} registro(s) de estatística sem confirmação de gravação na saída: ${motivo}.`);
  }
  await Promise.race([monitorSolto, esperar(GRAVACAO_FINAL_MS)]);
  process.exit(0);
}

for (const sinal of ["SIGINT", "SIGTERM"] as const) {
  process.on(sinal, () => {
    if (saindo) {
      semGraca = true;
      return;
    }
    saindo = true;
    void encerrar();
  });
}
