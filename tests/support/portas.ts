import { createServer } from "node:net";

/** A free loopback port, asked of the OS. */
export function portaLivre(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const endereco = s.address();
      s.close(() => (typeof endereco === "object" && endereco ? resolve(endereco.port) : reject(new Error("sem porta"))));
    });
  });
}

export async function esperarAte(condicao: () => Promise<boolean>, limiteMs: number, oQue: string): Promise<void> {
  const fim = Date.now() + limiteMs;
  while (Date.now() < fim) {
    if (await condicao().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Tempo esgotado esperando ${oQue}`);
}
