import "server-only";
import { createClient, type Client, type Transaction } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { segundosEmMs } from "@/lib/segundos";
import { comArquivoOcupado, comPrazo, configurarSaude } from "./saude";
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
    // Not a URL `new URL` accepts (a bad port, an unknown form): still never print `user:password@`, up to the
    // last `@` (a password may hold `/` or `@`; a log that loses a path part is the safe side).
    return url.split("?")[0]!.replace(/\/\/.*@/, "//");
  }
}

const PRAZO_PADRAO_S = 5;

/** DATABASE_TIMEOUT_SEGUNDOS: how long any one database call may take before it counts as unavailable. */
export function prazoBancoMs(env: NodeJS.ProcessEnv = process.env): number {
  return segundosEmMs("DATABASE_TIMEOUT_SEGUNDOS", PRAZO_PADRAO_S, env);
}

/**
 * The embedded file's per-connection settings. synchronous=NORMAL: a commit does not wait for fsync (WAL is
 * synced at checkpoints); busy_timeout: another process's write lock is waited for as long as any call may take.
 */
export function pragmasDaConexao(): string {
  return `PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = ${prazoBancoMs()}; PRAGMA foreign_keys = ON;`;
}

type Estado = { cliente: Client; db: BancoDeDados };

// One client per process, kept on globalThis so dev-mode reloads (and every bundle of the app) share it.
const global = globalThis as typeof globalThis & { __provedoresDb?: Estado };

const METODOS_CLIENTE = new Set(["execute", "batch", "migrate", "executeMultiple", "transaction"]);
const METODOS_TRANSACAO = new Set(["execute", "batch", "executeMultiple", "commit", "rollback"]);

/**
 * The same object, each call that reaches the database through `envolver` (a transaction's too): a remote
 * server's deadline (db/saude.ts), or the embedded file's lock contention as a 503.
 */
type Envolver = <R>(chamar: () => Promise<R>) => Promise<R>;

function embrulhar<T extends object>(alvo: T, metodos: Set<string>, envolver: Envolver): T {
  return new Proxy(alvo, {
    get(obj, nome) {
      // Read on the object itself: its getters (`closed`) use private fields a proxy as `this` lacks.
      const valor = Reflect.get(obj, nome) as unknown;
      if (typeof valor !== "function") return valor;
      if (typeof nome !== "string" || !metodos.has(nome)) return valor.bind(obj);
      return (...args: unknown[]) => {
        let tardia: Promise<unknown> | null = null;
        const chamada = () => (tardia = (valor as (...a: unknown[]) => Promise<unknown>).apply(obj, args));
        const p = envolver(chamada);
        if (nome !== "transaction") return p;
        return p.then(
          (tx) => embrulhar(tx as object, METODOS_TRANSACAO, envolver),
          (e: unknown) => {
            // A transaction that opens after its caller was answered 503 is closed, not left holding a stream.
            void tardia?.then(
              (tx) => (tx as Transaction).close(),
              () => {},
            );
            throw e;
          },
        );
      };
    },
  });
}

/**
 * Remote: the deadline's own line (db/saude.ts, 20 at a time) replaces the client's, which would send calls long
 * past their deadline. Far above ours, so it never holds a call (0 would not do: @libsql/core reads it as 20).
 */
const SEM_LIMITE_DO_CLIENTE = 10_000;

function criarCliente(url = urlBanco()): Client {
  if (bancoEmArquivo(url)) {
    const arquivo = url.slice("file:".length);
    mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ arquivo)), { recursive: true });
  }
  return createClient({
    url,
    authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
    // An embedded file is used through one connection: calls are synchronous in-process anyway, and one
    // connection keeps the pragmas set at start-up and never contends with itself for the write lock.
    concurrency: bancoEmArquivo(url) ? 1 : SEM_LIMITE_DO_CLIENTE,
  });
}

function instancia(): Estado {
  if (!global.__provedoresDb) {
    const url = urlBanco();
    const cru = criarCliente(url);
    // libsql 0.18: a batch refused with SQLITE_BUSY leaves its connection unusable ("SQL statements in
    // progress"): a fresh one, with this connection's pragmas, takes its place.
    const reabrir = () => {
      cru.reconnect();
      return cru.executeMultiple(pragmasDaConexao());
    };
    let cliente = embrulhar(cru, METODOS_CLIENTE, comArquivoOcupado(reabrir));
    if (!bancoEmArquivo(url)) {
      configurarSaude({
        prazoMs: prazoBancoMs(),
        urlLog: urlBancoParaLog(url),
        criarSonda: () => criarCliente(url),
        // Over WebSocket one connection carries every call: after an outage it may be a half-open socket.
        aoVoltar: () => {
          if (cru.protocol === "ws") cru.reconnect();
        },
      });
      cliente = embrulhar(cru, METODOS_CLIENTE, comPrazo);
    }
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

export {
  bancoDisponivel,
  bancoEmUso,
  chamadaAindaEmAndamento,
  chamadaNaoEnviada,
  ehBancoIndisponivel,
  motivoDaFalha,
  quandoBancoVoltar,
} from "./saude";
