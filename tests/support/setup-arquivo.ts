import { randomBytes } from "node:crypto";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { iniciarApp } from "./servidor-app";

/** Integration suite on the embedded default: a libSQL file in a fresh data folder. */
export default async function setup(projeto: TestProject) {
  const segredo = randomBytes(16).toString("hex");
  // The monitor has its own app (tests/integration/monitor.test.ts): here its checks would add to what the fake servers count.
  const servidor = await iniciarApp({ APP_SECRET: segredo, MONITOR: "desligado" });
  projeto.provide("appUrl", servidor.url);
  projeto.provide("databaseUrl", `file:${path.join(servidor.dataDir, "provedores-llm.db")}`);
  projeto.provide("arquivoLog", servidor.arquivoLog);
  projeto.provide("modoBanco", "arquivo");
  projeto.provide("segredoApp", segredo);
  return () => servidor.parar();
}
