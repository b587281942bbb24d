// What the bench's phases measure with: one POST timed to its first text and its end, the summaries, the
// alternating blocks, a load at a fixed concurrency, and the app's memory and CPU from /proc.
import http from "node:http";
import { readFileSync } from "node:fs";
import { percentil } from "./bench-comum";

const agente = new http.Agent({ keepAlive: true, maxSockets: 64 });

export type Medida = { total: number; primeiroByte: number; status: number; erro?: string };

/**
 * One POST with keep-alive; `primeiroByte` marks when `marcaConteudo` (the first piece of text) arrived. With
 * `marcaFim` the answer is checked: status 200, both marks in the body (the text, and the door's end event or
 * own field), else `erro` says what came, so a broken door fails the bench rather than being timed fast.
 */
export function post(
  url: string,
  corpo: unknown,
  marcaConteudo: string,
  marcaFim?: string,
  extras?: Record<string, string>,
  agent: http.Agent = agente,
): Promise<Medida> {
  return new Promise((resolve, reject) => {
    const dados = Buffer.from(JSON.stringify(corpo));
    const inicio = performance.now();
    let primeiroByte = 0;
    const req = http.request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": dados.byteLength, ...extras } },
      (res) => {
        let visto = "";
        // A checked answer is kept whole (they are small) and read as UTF-8 across chunk boundaries.
        if (marcaFim !== undefined) res.setEncoding("utf8");
        res.on("data", (c: Buffer | string) => {
          if (!primeiroByte || marcaFim !== undefined) {
            visto += c.toString();
            if (!primeiroByte && visto.includes(marcaConteudo)) primeiroByte = performance.now() - inicio;
          }
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const confere = marcaFim === undefined || (status === 200 && primeiroByte > 0 && visto.includes(marcaFim));
          resolve({
            total: performance.now() - inicio,
            primeiroByte: primeiroByte || performance.now() - inicio,
            status,
            ...(confere
              ? {}
              : {
                  erro: `${url}: HTTP ${status} sem ${JSON.stringify(marcaConteudo)} … ${JSON.stringify(marcaFim)}: ${visto.slice(0, 400)}`,
                }),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(dados);
  });
}

export type Resumo = { p50: number; p99: number; ttft50: number; ttft99: number };

export function resumir(medidas: Medida[]): Resumo {
  const totais = medidas.map((m) => m.total);
  const primeiros = medidas.map((m) => m.primeiroByte);
  return {
    p50: percentil(totais, 0.5),
    p99: percentil(totais, 0.99),
    ttft50: percentil(primeiros, 0.5),
    ttft99: percentil(primeiros, 0.99),
  };
}

/**
 * Concurrency 1, each way in turn in blocks of 50 (direct first): each side stays warm within a block,
 * and the machine's drift over the run hits every side alike.
 */
export async function sequencial(formas: (() => Promise<Medida>)[], n: number): Promise<Resumo[]> {
  const medidas: Medida[][] = formas.map(() => []);
  const BLOCO = 50;
  for (let feitos = 0; feitos < n; feitos += BLOCO) {
    for (const [i, f] of formas.entries()) {
      for (let j = 0; j < Math.min(BLOCO, n - feitos); j++) {
        const m = await f();
        if (m.status !== 200 || m.erro) throw new Error(m.erro ?? `HTTP ${m.status}`);
        medidas[i]!.push(m);
      }
    }
  }
  return medidas.map(resumir);
}

export async function vazao(f: () => Promise<Medida>, n: number, concorrencia: number) {
  let feitos = 0;
  let erros = 0;
  const medidas: Medida[] = [];
  const inicio = performance.now();
  await Promise.all(
    Array.from({ length: concorrencia }, async () => {
      while (feitos < n) {
        feitos += 1;
        const m = await f();
        medidas.push(m);
        if (m.status !== 200) erros += 1;
      }
    }),
  );
  return { rps: n / ((performance.now() - inicio) / 1000), erros, resumo: resumir(medidas) };
}

/** Resident memory of a process, from /proc, in KiB. */
export function memoriaEmKiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) || null;
  } catch {
    return null;
  }
}

/** Resident memory of the app's server (scripts/start.mjs runs it in its own process), from /proc, in MiB. */
export function memoriaDoApp(pid: number): number | null {
  const kib = memoriaEmKiB(pid);
  return kib === null ? null : Math.round(kib / 1024);
}

/** CPU time a process has used so far (user + system), in ms, from /proc. */
export function cpuDe(pid: number): number {
  const campos = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(campos[11]) + Number(campos[12])) * 10;
}

export const fmt = (v: number, casas = 2) => v.toFixed(casas).padStart(8);
