import "server-only";
import type { Client } from "@libsql/client";
import { causas, codigoDeSistema, ErroApp, erroAppEm } from "@/lib/errors";

// The health of a remote database, as every call sees it: a deadline per call, a line of calls bounded in
// number (a call whose deadline passes while it waits is never sent), and an outage state decided by a probe.

/** While the database is away, one probe at a time asks it `select 1`, this far apart. */
const SONDA_A_CADA_MS = 1000;
/** A call past its deadline is one slow call until a probe says otherwise, within this (or the deadline, if shorter). */
const SONDA_RAPIDA_MS = 2000;
/** Calls sent at once; the rest wait their turn (the client's own line is turned off: see db/client.ts). */
const MAXIMO_EM_CURSO = 20;
/** Start-up (migrations on a slow server) gets this long at least, whatever the per-call deadline. */
const PRAZO_INICIO_MS = 60_000;

type Config = {
  prazoMs: number;
  urlLog: string;
  /** A client of its own for probes: never in line behind hung calls, and replaced after a probe that hangs. */
  criarSonda: () => Client;
  /** When the database answers again: the main client's connection may be the dead one (a half-open socket). */
  aoVoltar: () => void;
};

type Saude = {
  config: Config | null;
  fora: boolean;
  /** Set once start-up reached the database: before that a failure is the start-up's to report. */
  emUso: boolean;
  /** One probe chain per outage: a chain that sees another generation stops. */
  geracao: number;
  /** A probe is deciding whether a slow call means an outage. */
  conferindo: boolean;
  sonda: Client | null;
  emCurso: number;
  /** Calls waiting for a place; each returns false if its deadline already passed (it is then skipped, never sent). */
  esperando: (() => boolean)[];
  aoVoltar: Set<() => void>;
  /** A call cut by its deadline → the call itself, still running: a writer that must not write twice waits for it. */
  emAndamento: WeakMap<object, Promise<unknown>>;
  /** Errors of calls that surely never reached the server (refused at once, dropped from the line, no connection). */
  naoEnviadas: WeakSet<object>;
};

// Kept on globalThis: every bundle of the app (and dev-mode reloads) shares one health, as it shares one client.
const global = globalThis as typeof globalThis & { __provedoresSaudeBanco?: Saude };

function saude(): Saude {
  global.__provedoresSaudeBanco ??= {
    config: null,
    fora: false,
    emUso: false,
    geracao: 0,
    conferindo: false,
    sonda: null,
    emCurso: 0,
    esperando: [],
    aoVoltar: new Set(),
    emAndamento: new WeakMap(),
    naoEnviadas: new WeakSet(),
  };
  return global.__provedoresSaudeBanco;
}

/** Set by db/client.ts when it opens a remote database. */
export function configurarSaude(config: Config): void {
  saude().config = config;
}

function config(s: Saude): Config {
  if (!s.config) throw new Error("saúde do banco sem configuração");
  return s.config;
}

function indisponivel(prazoMs: number): ErroApp {
  return new ErroApp(
    "banco_indisponivel",
    `O banco de dados não respondeu em ${prazoMs / 1000} s. Tente de novo em instantes; se persistir, verifique o servidor do banco (DATABASE_URL).`,
  );
}

const CODIGOS_DE_CONEXAO = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR_)/;
/** A connection that was never made: nothing was sent. */
const CODIGOS_SEM_ENVIO = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** A failure of the connection itself (not of the SQL): the database is unreachable. */
function falhaDeConexao(e: unknown): boolean {
  for (const atual of causas(e)) {
    const { code, name, message } = atual as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === "string" && CODIGOS_DE_CONEXAO.test(code)) return true;
    if (name === "AbortError" || name === "TimeoutError" || message === "fetch failed") return true;
  }
  return false;
}

/** Asks the database `select 1` on the probe client, within `limiteMs`; a probe that hangs takes its client with it. */
async function sondar(s: Saude, limiteMs: number): Promise<boolean> {
  s.sonda ??= config(s).criarSonda();
  const cliente = s.sonda;
  let limite: NodeJS.Timeout | undefined;
  const ok = await Promise.race([
    cliente.execute("select 1").then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => {
      limite = setTimeout(() => r(false), limiteMs);
      limite.unref();
    }),
  ]);
  clearTimeout(limite);
  if (!ok && s.sonda === cliente) {
    // The next probe opens a fresh connection: this one may be the silent one.
    s.sonda = null;
    cliente.close();
  }
  return ok;
}

/** A call failed or passed its deadline: an outage only if a probe, sent at once, fails too. */
function suspeitar(s: Saude, motivo: string): void {
  if (s.fora || s.conferindo || !s.emUso) return;
  s.conferindo = true;
  void sondar(s, Math.min(SONDA_RAPIDA_MS, config(s).prazoMs)).then((ok) => {
    s.conferindo = false;
    if (!ok) marcarFora(s, motivo);
  });
}

function marcarFora(s: Saude, motivo: string): void {
  if (s.fora) return;
  s.fora = true;
  const geracao = ++s.geracao;
  const { urlLog, prazoMs } = config(s);
  // Once per outage, not per request: every route that needs the database answers 503 until it is back.
  console.error(
    `[provedores-llm] banco de dados indisponível (${urlLog}): ${motivo}. Rotas que dependem dele respondem 503 (banco_indisponivel); ` +
      "o /v1 e o monitor seguem com o que estava em memória, e as estatísticas esperam na fila até ele voltar.",
  );
  // One probe at a time until the database answers (never a pile of queries at a stalled server).
  const proxima = () => {
    setTimeout(async () => {
      if (s.geracao !== geracao) return;
      const ok = await sondar(s, prazoMs);
      if (s.geracao !== geracao) return;
      if (!ok) return proxima();
      s.fora = false;
      s.geracao += 1;
      console.log(`[provedores-llm] banco de dados respondeu de novo (${urlLog}): as rotas voltam ao normal.`);
      config(s).aoVoltar();
      for (const aviso of s.aoVoltar) aviso();
    }, SONDA_A_CADA_MS).unref();
  };
  proxima();
}

function liberarVaga(s: Saude): void {
  s.emCurso -= 1;
  while (s.esperando.length && s.emCurso < MAXIMO_EM_CURSO) s.esperando.shift()!();
}

/**
 * A deadline on one call to a remote database. A server that stops answering (paused, overloaded, a network
 * gone quiet) would otherwise hold every request that reads it, forever: past the deadline the call fails
 * with `banco_indisponivel` (503) and a probe is sent at once; only if it fails too is the database away —
 * logged once, probed until it answers, every call refused at once meanwhile. One slow query is just that.
 * Calls go out MAXIMO_EM_CURSO at a time; one whose deadline passes while it waits its turn is never sent
 * (a write answered 503 is not applied later). What settles after the deadline is ignored.
 */
export function comPrazo<T>(chamar: () => Promise<T>): Promise<T> {
  const s = saude();
  const prazoMs = s.emUso ? config(s).prazoMs : Math.max(config(s).prazoMs, PRAZO_INICIO_MS);
  if (s.fora) {
    const erro = indisponivel(prazoMs);
    s.naoEnviadas.add(erro);
    return Promise.reject(erro);
  }
  return new Promise<T>((resolve, reject) => {
    let decidido = false;
    let chamada: Promise<T> | null = null;
    const decidir = () => {
      decidido = true;
      if (chamada) liberarVaga(s);
    };
    const timer = setTimeout(() => {
      const erro = indisponivel(prazoMs);
      if (chamada) s.emAndamento.set(erro, chamada);
      else s.naoEnviadas.add(erro);
      const enviada = chamada !== null;
      decidir();
      reject(erro);
      if (enviada) suspeitar(s, `sem resposta em ${prazoMs / 1000} s`);
    }, prazoMs);
    const limite = Date.now() + prazoMs;
    const iniciar = (): boolean => {
      // Its deadline passed while it waited (its timer may not have run yet): never sent.
      if (decidido || Date.now() >= limite) return false;
      s.emCurso += 1;
      chamada = Promise.resolve().then(chamar);
      chamada.then(
        (valor) => {
          if (decidido) return;
          clearTimeout(timer);
          decidir();
          resolve(valor);
        },
        (e: unknown) => {
          if (decidido) return;
          clearTimeout(timer);
          decidir();
          if (!falhaDeConexao(e)) return reject(e);
          const erro = Object.assign(indisponivel(prazoMs), { cause: e });
          const codigo = codigoDeSistema(e);
          if (codigo && CODIGOS_SEM_ENVIO.has(codigo)) s.naoEnviadas.add(erro);
          reject(erro);
          suspeitar(s, motivoDaFalha(e));
        },
      );
      return true;
    };
    if (s.emCurso < MAXIMO_EM_CURSO) iniciar();
    else s.esperando.push(iniciar);
  });
}

/**
 * The embedded file: another connection held its lock past busy_timeout (SQLITE_BUSY/LOCKED). The statement
 * did not run, so it is `banco_indisponivel` (503), safe to send again; no probe — the file is not away.
 * `aoOcupar` mends the connection; calls that were waiting for it are refused with CLIENT_CLOSED, unrun: the same.
 */
export function comArquivoOcupado(aoOcupar: () => Promise<unknown>) {
  return <T>(chamar: () => Promise<T>): Promise<T> =>
    chamar().catch((e: unknown) => {
      const codigo = codigoDeSistema(e) ?? "";
      const ocupado = /^SQLITE_(BUSY|LOCKED)/.test(codigo);
      if (!ocupado && codigo !== "CLIENT_CLOSED") throw e;
      if (ocupado) void aoOcupar().catch(() => {});
      const erro = Object.assign(
        new ErroApp("banco_indisponivel", "O banco de dados está ocupado por outra conexão. Tente de novo em instantes."),
        { cause: e },
      );
      saude().naoEnviadas.add(erro);
      throw erro;
    });
}

/** Start-up reached the database: from now on an outage is logged and probed (before, start-up reports it). */
export function bancoEmUso(): void {
  saude().emUso = true;
}

/** False while the database is known to be away (a call failed, a probe too, and no probe answered since). */
export function bancoDisponivel(): boolean {
  return !saude().fora;
}

/** Runs `aviso` each time the database answers again after an outage. */
export function quandoBancoVoltar(aviso: () => void): void {
  saude().aoVoltar.add(aviso);
}

/** The error says the database is away (past its deadline, or unreachable), whatever wraps it. */
export function ehBancoIndisponivel(erro: unknown): boolean {
  return erroAppEm(erro)?.codigo === "banco_indisponivel";
}

/**
 * The call a deadline cut, still running: it may yet succeed once the server answers. A writer that must not
 * write the same rows twice (the statistics queue) waits for its outcome instead of sending them again.
 */
export function chamadaAindaEmAndamento(erro: unknown): Promise<unknown> | null {
  const e = erroAppEm(erro);
  return (e && saude().emAndamento.get(e)) ?? null;
}

/** The call surely never reached the server (refused at once, dropped from the line, never connected): safe to send again. */
export function chamadaNaoEnviada(erro: unknown): boolean {
  const e = erroAppEm(erro);
  return !!e && saude().naoEnviadas.has(e);
}

const MOTIVOS: Record<string, string> = {
  ENOTDIR: "o caminho passa por um arquivo como se fosse uma pasta",
  ENOENT: "a pasta do arquivo não existe",
  EACCES: "sem permissão para criar ou abrir o arquivo",
  EPERM: "sem permissão para criar ou abrir o arquivo",
  EROFS: "o sistema de arquivos é somente leitura",
  SQLITE_CANTOPEN: "o SQLite não conseguiu abrir o arquivo (pasta inexistente, somente leitura ou sem permissão)",
  SQLITE_READONLY: "o banco está somente leitura",
  SQLITE_NOTADB: "o arquivo não é um banco SQLite",
  ECONNREFUSED: "conexão recusada (nenhum servidor ouvindo nesse endereço)",
  ENOTFOUND: "o endereço não foi encontrado (DNS)",
  EAI_AGAIN: "o endereço não foi encontrado (DNS)",
  ETIMEDOUT: "a conexão não se completou a tempo",
  EHOSTUNREACH: "a máquina não está acessível pela rede",
  ENETUNREACH: "a máquina não está acessível pela rede",
};

/** SQLite's primary result codes that mean the file cannot be used. */
const CODIGOS_SQLITE: Record<string, string> = { "8": "SQLITE_READONLY", "14": "SQLITE_CANTOPEN", "26": "SQLITE_NOTADB" };

/** Why the database could not be opened or reached, for a person to read (no final period). */
export function motivoDaFalha(e: unknown): string {
  const codigos: string[] = [];
  let mensagem = "";
  for (const atual of causas(e)) {
    const { code, message } = atual as { code?: unknown; message?: unknown };
    if (typeof code === "string") codigos.push(code);
    if (!mensagem && typeof message === "string" && !message.startsWith("Failed query")) mensagem = message;
  }
  // libsql's native driver reports a file it cannot open as `ConnectionFailed("… : 14")`: SQLite's primary code.
  const primario = /ConnectionFailed\(".*: (\d+)"\)/.exec(mensagem)?.[1];
  if (primario && primario in CODIGOS_SQLITE) codigos.push(CODIGOS_SQLITE[primario]!);
  const conhecido = codigos.find((c) => c in MOTIVOS);
  if (conhecido) return `${MOTIVOS[conhecido]} (${conhecido})`;
  return (mensagem || String(e)).replace(/[.\s]+$/, "");
}
