// `npm start`: refuses an unsafe listener, builds when the sources changed, then runs `next start`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

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
const fontes = ["app", "pages", "lib", "db", "components", "proxy.ts", "instrumentation.ts", "next.config.ts", "package.json"];
const precisaBuild =
  process.env.PULAR_BUILD !== "1" &&
  (!existsSync(buildId) || Math.max(...fontes.map((f) => maisRecente(path.join(raiz, f)))) > statSync(buildId).mtimeMs);

if (precisaBuild) {
  console.log("Compilando a aplicação (next build)…");
  const r = spawnSync(process.execPath, [next, "build"], { cwd: raiz, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// servidor.ts: Next.js plus the request hot path mounted ahead of it (TypeScript, run through tsx).
const filho = spawn(process.execPath, ["--import", "tsx", path.join(raiz, "servidor.ts")], {
  cwd: raiz,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", HOST: host, PORT: porta },
});
for (const sinal of ["SIGINT", "SIGTERM"]) process.on(sinal, () => filho.kill(sinal));
filho.on("exit", (codigo, sinal) => process.exit(codigo ?? (sinal ? 1 : 0)));
