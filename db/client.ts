import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { mkdirSync } from "node:fs";
import path from "node:path";
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

// One client per process, kept on globalThis so dev-mode reloads do not open a new one each time.
const global = globalThis as typeof globalThis & { __provedoresDb?: { cliente: Client; db: BancoDeDados } };

function instancia() {
  if (!global.__provedoresDb) {
    const cliente = criarCliente();
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
