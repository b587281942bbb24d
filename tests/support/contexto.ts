import { createClient, type Client } from "@libsql/client";
import { inject } from "vitest";
import { type ClienteApi, clienteApi, type PedidoApi } from "./cliente-api";

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

/** The REST contract of this project's app (tests/support/cliente-api.ts), answered as it arrives. */
export function api(caminho: string, pedido: PedidoApi = {}): Promise<Response> {
  return clienteApi(`${inject("appUrl")}/api/provedores-llm`).resposta(caminho, pedido);
}

/** The shared app's other routes (/v1, /api/metrics, /api/openapi.json, pages), from its root. */
export function rotasDoApp(): ClienteApi {
  return clienteApi(inject("appUrl"));
}
