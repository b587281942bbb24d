import { createClient, type Client } from "@libsql/client";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    databaseUrl: string;
    arquivoLog: string;
    modoBanco: "arquivo" | "sqld";
    segredoApp: string;
  }
}

/** The running app of this vitest project (a libSQL file or a sqld server behind it). */
export function app() {
  return {
    url: inject("appUrl"),
    databaseUrl: inject("databaseUrl"),
    arquivoLog: inject("arquivoLog"),
    modoBanco: inject("modoBanco"),
    segredoApp: inject("segredoApp"),
  };
}

let cliente: Client | null = null;

/** A direct connection to the app's database, to check rows behind the API. */
export function banco(): Client {
  cliente ??= createClient({ url: inject("databaseUrl") });
  return cliente;
}

export async function api(caminho: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, headers, ...resto } = init;
  return fetch(`${inject("appUrl")}/api/provedores-llm${caminho}`, {
    ...resto,
    // Writes with a body are JSON (anything else is refused with 415 before it reaches a handler).
    headers: { ...(json !== undefined || resto.body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: json !== undefined ? JSON.stringify(json) : resto.body,
  });
}
