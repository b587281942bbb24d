import { createClient, type Client } from "@libsql/client";
import { inject } from "vitest";
import { type ClienteApi, clientesDoApp, type PedidoApi } from "./cliente-api";

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

let clientes: ReturnType<typeof clientesDoApp> | null = null;
const clientesDoAppCompartilhado = () => (clientes ??= clientesDoApp(inject("appUrl")));

/** The REST contract of this project's app (tests/support/cliente-api.ts): paths after `/api/provedores-llm`. */
export function restDoApp(): ClienteApi {
  return clientesDoAppCompartilhado().rest;
}

/** `restDoApp().resposta`: a REST call answered as it arrives. */
export function api(caminho: string, pedido: PedidoApi = {}): Promise<Response> {
  return restDoApp().resposta(caminho, pedido);
}

/** The shared app's other routes (/v1, /api/metrics, /api/openapi.json, pages), from its root. */
export function rotasDoApp(): ClienteApi {
  return clientesDoAppCompartilhado().raiz;
}
