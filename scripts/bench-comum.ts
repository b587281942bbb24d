// What both benchmarks need: child processes that die with the script, the built app on a fresh data folder.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { OPCOES_NODE } from "./opcoes-node.mjs";

export const raiz = path.resolve(import.meta.dirname, "..");
const filhos: ChildProcess[] = [];

export function encerrar() {
  for (const f of filhos) f.kill("SIGTERM");
}
process.on("exit", encerrar);

export async function primeiraLinha(p: ChildProcess, padrao: RegExp, limiteMs: number): Promise<string> {
  const linhas = createInterface({ input: p.stdout! });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`tempo esgotado esperando ${padrao}`)), limiteMs);
    linhas.on("line", (l) => {
      if (padrao.test(l)) {
        clearTimeout(t);
        resolve(l);
      }
    });
    p.on("exit", (c) => reject(new Error(`processo saiu (${c}) antes de ${padrao}`)));
  });
}

/** A child process that is stopped when the script ends. */
export function filho(comando: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const p = spawn(comando, args, { cwd: raiz, env, stdio: ["ignore", "pipe", "inherit"] });
  filhos.push(p);
  return p;
}

/** `npm start` (building first if needed) on a new data folder, on loopback without a token. */
export async function iniciarApp(extra: Record<string, string> = {}): Promise<{ url: string; dataDir: string; processo: ChildProcess }> {
  const porta = 3000 + Math.floor(Math.random() * 2000) + 20000;
  const dataDir = mkdtempSync(path.join(tmpdir(), "provedores-bench-"));
  // BENCH_NODE_ARGS='--optimize-for-size': other V8 options for the app, to measure them against OPCOES_NODE.
  const opcoes = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? OPCOES_NODE;
  const processo = filho(process.execPath, [...opcoes, path.join(raiz, "scripts/start.mjs")], {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(porta),
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    AUTH_TOKEN: "",
    NODE_ENV: "production",
    ...extra,
    // BENCH_APP_ENV='{"NODE_OPTIONS":"--max-semi-space-size=1"}': variables for the app's process only, to measure a setting.
    ...(JSON.parse(process.env.BENCH_APP_ENV ?? "{}") as Record<string, string>),
  });
  await primeiraLinha(processo, /pronto em/, 300_000);
  return { url: `http://127.0.0.1:${porta}`, dataDir, processo };
}

export function percentil(valores: number[], q: number): number {
  const ord = [...valores].sort((a, b) => a - b);
  return ord[Math.min(ord.length - 1, Math.max(0, Math.ceil(q * ord.length) - 1))]!;
}

/** Runs a benchmark: a failure prints why and stops the servers it started, with exit code 1. */
export function executar(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e);
    encerrar();
    process.exit(1);
  });
}
