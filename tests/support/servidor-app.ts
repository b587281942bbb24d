import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OPCOES_NODE } from "../../scripts/opcoes-node.mjs";
import { clienteApi } from "./cliente-api";
import { esperarAte, portaLivre } from "./portas";

const raiz = path.resolve(import.meta.dirname, "../..");

export type ServidorApp = {
  url: string;
  dataDir: string;
  arquivoLog: string;
  processo: ChildProcess;
  /** SIGTERM, then how the process ended: its exit code, or the signal that killed it (SIGKILL: the shutdown hung). */
  parar: () => Promise<Saida>;
  /** Resident memory of the server (scripts/start.mjs runs it in its own process), in MiB. */
  rssMiB: () => number;
};

export type Saida = { codigo: number | null; sinal: NodeJS.Signals | null };

/** A short grace by default: a test that stops the app does not wait the production default for open streams. */
const GRACA_TESTES_S = "2";
/** Past the grace, the app needs at most 3 s more (servidor.ts); SIGKILL only after this much on top. */
const FOLGA_ALEM_DA_GRACA_MS = 10_000;

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
    env: {
      ...process.env,
      PULAR_BUILD: "1",
      HOST: "127.0.0.1",
      PORT: String(porta),
      DATA_DIR: dataDir,
      ENCERRAMENTO_SEGUNDOS: GRACA_TESTES_S,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  processo.stdout?.pipe(log);
  processo.stderr?.pipe(log);
  const url = `http://127.0.0.1:${porta}`;
  const pronto = clienteApi(url);
  let saida: Saida | null = null;
  processo.on("exit", (codigo, sinal) => (saida = { codigo, sinal }));
  const limiteParadaMs = Number(env.ENCERRAMENTO_SEGUNDOS ?? GRACA_TESTES_S) * 1000 + FOLGA_ALEM_DA_GRACA_MS;
  await esperarAte(
    async () => {
      if (saida) throw new Error("o servidor saiu");
      return (await pronto.pedir("/login", { redirect: "manual" })).status < 500;
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
        if (saida) return resolve(saida);
        const matar = setTimeout(() => processo.kill("SIGKILL"), limiteParadaMs);
        processo.once("exit", (codigo, sinal) => {
          clearTimeout(matar);
          resolve({ codigo, sinal });
        });
        processo.kill("SIGTERM");
      }),
  };
}
