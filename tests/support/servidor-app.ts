import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OPCOES_NODE } from "../../scripts/opcoes-node.mjs";
import { esperarAte, portaLivre } from "./portas";

const raiz = path.resolve(import.meta.dirname, "../..");

export type ServidorApp = {
  url: string;
  dataDir: string;
  arquivoLog: string;
  processo: ChildProcess;
  parar: () => Promise<void>;
  /** Resident memory of the server (scripts/start.mjs runs it in its own process), in MiB. */
  rssMiB: () => number;
};

/** VmRSS from /proc (Linux). */
function rssDoServidor(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) / 1024;
}

/**
 * Starts the built app exactly as `npm start` does (scripts/start.mjs with the same V8 options, no rebuild),
 * with its own data folder, and waits until it answers.
 */
export async function iniciarApp(env: Record<string, string> = {}): Promise<ServidorApp> {
  const porta = await portaLivre();
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "provedores-llm-"));
  const arquivoLog = path.join(dataDir, "servidor.log");
  const log = createWriteStream(arquivoLog);
  const processo = spawn(process.execPath, [...OPCOES_NODE, path.join(raiz, "scripts/start.mjs")], {
    cwd: raiz,
    env: { ...process.env, PULAR_BUILD: "1", HOST: "127.0.0.1", PORT: String(porta), DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  processo.stdout?.pipe(log);
  processo.stderr?.pipe(log);
  const url = `http://127.0.0.1:${porta}`;
  let saiu = false;
  processo.on("exit", () => (saiu = true));
  await esperarAte(
    async () => {
      if (saiu) throw new Error("o servidor saiu");
      const r = await fetch(`${url}/login`, { redirect: "manual" });
      return r.status < 500;
    },
    60_000,
    `o app em ${url}`,
  ).catch((e) => {
    processo.kill("SIGKILL");
    throw new Error(`O app não subiu (${(e as Error).message}); log em ${arquivoLog}`);
  });
  return {
    url,
    dataDir,
    arquivoLog,
    processo,
    rssMiB: () => rssDoServidor(processo.pid!),
    parar: () =>
      new Promise((resolve) => {
        if (saiu) return resolve();
        processo.once("exit", () => resolve());
        processo.kill("SIGTERM");
        setTimeout(() => processo.kill("SIGKILL"), 5000).unref();
      }),
  };
}
