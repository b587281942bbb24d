import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { iniciarApp } from "./servidor-app";
import { iniciarSqld } from "./sqld";

/** The same integration suite against a real libSQL server (sqld) started for the run. */
export default async function setup(projeto: TestProject) {
  const sqld = await iniciarSqld();
  const segredo = randomBytes(16).toString("hex");
  // As in setup-arquivo.ts: the monitor has its own app.
  // A generous deadline: one slow query on a busy machine must not fail an unrelated test with a 503.
  const servidor = await iniciarApp({
    DATABASE_URL: sqld.url,
    DATABASE_TIMEOUT_SEGUNDOS: "30",
    APP_SECRET: segredo,
    MONITOR: "desligado",
  });
  projeto.provide("appUrl", servidor.url);
  projeto.provide("databaseUrl", sqld.url);
  projeto.provide("arquivoLog", servidor.arquivoLog);
  projeto.provide("modoBanco", "sqld");
  projeto.provide("segredoApp", segredo);
  return async () => {
    await servidor.parar();
    await sqld.parar();
  };
}
