import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ErroApp } from "@/lib/errors";
import * as schema from "./schema";

export type BancoDeDados = LibSQLDatabase<typeof schema>;

/** Folder for the embedded database and the generated secret. */
export function diretorioDados(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR || "data");
}

/** `DATABASE_URL`, or a libSQL file under the data folder. */
export function urlBanco(): string {
  return process.env.DATABASE_URL || `file:${path.join(diretorioDados(), "provedores-llm.db")}`;
}

export function bancoEmArquivo(url = urlBanco()): boolean {
  return url.startsWith("file:");
}

/** The URL as a log may show it: no user, password or query string (a token may travel there). */
export function urlBancoParaLog(url = urlBanco()): string {
  try {
    const u = new URL(url);
    if (u.protocol === "file:") return url.split("?")[0]!;
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return url.split("?")[0]!;
  }
}

const PRAZO_PADRAO_S = 5;

/** DATABASE_TIMEOUT_SEGUNDOS: how long any one database call may take before it counts as unavailable. */
export function prazoBancoMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.DATABASE_TIMEOUT_SEGUNDOS || PRAZO_PADRAO_S);
  return Number.isFinite(s) && s > 0 ? s * 1000 : PRAZO_PADRAO_S * 1000;
}

/** While the database is away, one probe at a time asks it `select 1`, this far apart. */
const SONDA_A_CADA_MS = 1000;
/** A probe that hangs this long is given up and another sent (a connection that went silent for good). */
const SONDA_LIMITE_MS = 30_000;

type Saude = {
  fora: boolean;
  /** Set once start-up reached the database: before that a failure is the start-up's to report. */
  emUso: boolean;
  aoVoltar: Set<() => void>;
  /** A call cut by its deadline → the call itself, still running: a writer that must not write twice waits for it. */
  emAndamento: WeakMap<object, Promise<unknown>>;
};

type Estado = { cliente: Client; db: BancoDeDados };

// One client per process, kept on globalThis so dev-mode reloads (and every bundle of the app) share it;
// its health too, apart: a module may subscribe to it without opening the database.
const global = globalThis as typeof globalThis & { __provedoresDb?: Estado; __provedoresSaudeBanco?: Saude };

function saude(): Saude {
  global.__provedoresSaudeBanco ??= { fora: false, emUso: false, aoVoltar: new Set(), emAndamento: new WeakMap() };
  return global.__provedoresSaudeBanco;
}

function mensagemIndisponivel(): string {
  return `O banco de dados não respondeu em ${prazoBancoMs() / 1000} s. Tente de novo em instantes; se persistir, verifique o servidor do banco (DATABASE_URL).`;
}

/** A failure of the connection itself (not of the SQL): the database is unreachable. */
function falhaDeConexao(e: unknown): boolean {
  for (let atual: unknown = e; atual; atual = (atual as { cause?: unknown }).cause) {
    const { code, name, message } = atual as { code?: unknown; name?: unknown; message?: unknown };
    if (
      typeof code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR_)/.test(code)
    )
      return true;
    if (name === "AbortError" || name === "TimeoutError" || message === "fetch failed") return true;
  }
  return false;
}

function marcarFora(s: Saude, motivo: string, cliente: Client): void {
  if (s.fora || !s.emUso) return;
  s.fora = true;
  // Once per outage, not per request: every route that needs the database answers 503 until it is back.
  console.error(
    `[provedores-llm] banco de dados indisponível (${urlBancoParaLog()}): ${motivo}. Rotas que dependem dele respondem 503 (banco_indisponivel); ` +
      "o /v1 e o monitor seguem com o que estava em memória, e as estatísticas esperam na fila até ele voltar.",
  );
  sondar(s, cliente);
}

/** One probe at a time until the database answers again (never a pile of queries at a stalled server). */
function sondar(s: Saude, cliente: Client): void {
  const timer = setTimeout(() => {
    let desistiu = false;
    const limite = setTimeout(() => {
      desistiu = true;
      sondar(s, cliente);
    }, SONDA_LIMITE_MS);
    limite.unref();
    cliente.execute("select 1").then(
      () => {
        clearTimeout(limite);
        if (!s.fora) return;
        s.fora = false;
        console.log(`[provedores-llm] banco de dados respondeu de novo (${urlBancoParaLog()}): as rotas voltam ao normal.`);
        for (const aviso of s.aoVoltar) aviso();
      },
      () => {
        clearTimeout(limite);
        if (!desistiu && s.fora) sondar(s, cliente);
      },
    );
  }, SONDA_A_CADA_MS);
  timer.unref();
}

/**
 * A deadline on every call through this client. A remote server that stops answering (paused, overloaded,
 * a network gone quiet) would otherwise hold every request that reads it, forever: past the deadline the call
 * fails with `banco_indisponivel` (503), the outage is logged once, and until a probe gets an answer every
 * call fails at once instead of waiting its turn behind a server that does not answer. The embedded file runs
 * inside this process, synchronously: no timer could fire during its call, and SQLite's busy_timeout is its
 * wait; it gets no timer (one fewer per query on the hot path).
 */
function comPrazo<T>(s: Saude, cliente: Client, chamar: () => Promise<T>): Promise<T> {
  if (s.fora) return Promise.reject(new ErroApp("banco_indisponivel", mensagemIndisponivel()));
  const prazo = prazoBancoMs();
  return new Promise<T>((resolve, reject) => {
    const chamada = chamar();
    const timer = setTimeout(() => {
      const erro = new ErroApp("banco_indisponivel", mensagemIndisponivel());
      s.emAndamento.set(erro, chamada);
      marcarFora(s, `sem resposta em ${prazo / 1000} s`, cliente);
      reject(erro);
    }, prazo);
    chamada.then(
      (valor) => {
        clearTimeout(timer);
        resolve(valor);
      },
      (e: unknown) => {
        clearTimeout(timer);
        if (!falhaDeConexao(e)) return reject(e);
        marcarFora(s, motivoDaFalha(e), cliente);
        reject(Object.assign(new ErroApp("banco_indisponivel", mensagemIndisponivel()), { cause: e }));
      },
    );
  });
}

const METODOS_CLIENTE = new Set(["execute", "batch", "migrate", "executeMultiple", "transaction"]);
const METODOS_TRANSACAO = new Set(["execute", "batch", "executeMultiple", "commit", "rollback"]);

/** The same object, its calls that reach the server given the deadline (a transaction's too). */
function embrulhar<T extends object>(alvo: T, metodos: Set<string>, s: Saude, cru: Client): T {
  return new Proxy(alvo, {
    get(obj, nome, receptor) {
      const valor = Reflect.get(obj, nome, receptor) as unknown;
      if (typeof valor !== "function") return valor;
      if (typeof nome !== "string" || !metodos.has(nome)) return valor.bind(obj);
      return (...args: unknown[]) => {
        const p = comPrazo(s, cru, () => (valor as (...a: unknown[]) => Promise<unknown>).apply(obj, args));
        return nome === "transaction" ? p.then((tx) => embrulhar(tx as object, METODOS_TRANSACAO, s, cru)) : p;
      };
    },
  });
}

function criarCliente(): Client {
  const url = urlBanco();
  if (bancoEmArquivo(url)) {
    const arquivo = url.slice("file:".length);
    mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ arquivo)), { recursive: true });
  }
  return createClient({
    url,
    authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
    // An embedded file is used through one connection: calls are synchronous in-process anyway, and one
    // connection keeps the pragmas set at start-up and never contends with itself for the write lock.
    ...(bancoEmArquivo(url) ? { concurrency: 1 } : {}),
  });
}

function instancia(): Estado {
  if (!global.__provedoresDb) {
    const cru = criarCliente();
    const cliente = bancoEmArquivo() ? cru : embrulhar(cru, METODOS_CLIENTE, saude(), cru);
    global.__provedoresDb = { cliente, db: drizzle(cliente, { schema }) };
  }
  return global.__provedoresDb;
}

export function db(): BancoDeDados {
  return instancia().db;
}

export function clienteLibsql(): Client {
  return instancia().cliente;
}

/** Start-up reached the database: from now on an outage is logged and probed (before, start-up reports it). */
export function bancoEmUso(): void {
  saude().emUso = true;
}

/** False while the database is known to be away (a call timed out or could not connect, and no probe answered yet). */
export function bancoDisponivel(): boolean {
  return !saude().fora;
}

/** Runs `aviso` each time the database answers again after an outage. */
export function quandoBancoVoltar(aviso: () => void): void {
  saude().aoVoltar.add(aviso);
}

/** The error says the database is away (past its deadline, or unreachable), whatever wraps it. */
export function ehBancoIndisponivel(erro: unknown): boolean {
  for (let e: unknown = erro; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ErroApp) return e.codigo === "banco_indisponivel";
  }
  return false;
}

/**
 * The call a deadline cut, still running: it may yet succeed once the server answers. A writer that must not
 * write the same rows twice (the statistics queue) waits for its outcome instead of sending them again.
 */
export function chamadaAindaEmAndamento(erro: unknown): Promise<unknown> | null {
  for (let e: unknown = erro; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ErroApp) return saude().emAndamento.get(e) ?? null;
  }
  return null;
}

/** Why the database could not be opened or reached, for a person to read. */
export function motivoDaFalha(e: unknown): string {
  const codigos: string[] = [];
  let mensagem = "";
  for (let atual: unknown = e; atual; atual = (atual as { cause?: unknown }).cause) {
    const { code, message } = atual as { code?: unknown; message?: unknown };
    if (typeof code === "string") codigos.push(code);
    if (!mensagem && typeof message === "string" && !message.startsWith("Failed query")) mensagem = message;
  }
  const motivos: Record<string, string> = {
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
  const conhecido = codigos.find((c) => c in motivos);
  if (conhecido) return `${motivos[conhecido]} (${conhecido})`;
  return mensagem || String(e);
}
