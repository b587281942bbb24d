// `npm start`: refuses an unsafe listener, builds when the sources changed, then runs the server in this
// same process (.next/servidor.mjs, compiled from servidor.ts): no parent kept alive, no TypeScript loader.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { compilarServidor, FONTES_SERVIDOR, SAIDA_SERVIDOR } from "./compilar-servidor.mjs";

const raiz = path.resolve(import.meta.dirname, "..");
const host = process.env.HOST || "127.0.0.1";
const porta = process.env.PORT || "3000";
const loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(host) || host.startsWith("127.");

if (!loopback && !process.env.AUTH_TOKEN) {
  console.error(
    `Recusando iniciar: HOST=${host} deixaria a aplicação acessível pela rede sem autenticação.\n` +
      "Defina AUTH_TOKEN (um segredo longo) para exigir login, ou use HOST=127.0.0.1.",
  );
  process.exit(1);
}

const next = path.join(raiz, "node_modules", "next", "dist", "bin", "next");

function maisRecente(caminho) {
  if (!existsSync(caminho)) return 0;
  const info = statSync(caminho);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(caminho).reduce((m, nome) => Math.max(m, maisRecente(path.join(caminho, nome))), info.mtimeMs);
}

const buildId = path.join(raiz, ".next", "BUILD_ID");
const servidor = path.join(raiz, SAIDA_SERVIDOR);
const fontes = ["app", "lib", "db", "components", "proxy.ts", "instrumentation.ts", "next.config.ts", "tailwind.config.ts", "package.json"];
const precisaBuild =
  process.env.PULAR_BUILD !== "1" &&
  (!existsSync(buildId) || Math.max(...fontes.map((f) => maisRecente(path.join(raiz, f)))) > statSync(buildId).mtimeMs);

if (precisaBuild) {
  console.log("Compilando a aplicação (next build)…");
  const r = spawnSync(process.execPath, [next, "build"], { cwd: raiz, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!existsSync(servidor) || Math.max(...FONTES_SERVIDOR.map((f) => maisRecente(path.join(raiz, f)))) > statSync(servidor).mtimeMs) {
  await compilarServidor(raiz);
}

process.chdir(raiz);
process.env.NODE_ENV = "production";
process.env.HOST = host;
process.env.PORT = porta;
await import(pathToFileURL(servidor).href);
