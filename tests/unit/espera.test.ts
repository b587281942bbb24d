import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { esperarOuDesistir, umaSoVez } from "@/lib/espera";

// Node ends the process on an unhandled rejection (the app installs no handler): shared work failing after
// its callers left must never be one.
let naoTratadas: unknown[] = [];
const registrar = (motivo: unknown) => naoTratadas.push(motivo);
beforeEach(() => {
  naoTratadas = [];
  process.on("unhandledRejection", registrar);
});
afterEach(() => {
  process.off("unhandledRejection", registrar);
});

const falharDepois = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error("o servidor caiu")), ms));
const umPouco = () => new Promise((r) => setTimeout(r, 50));

describe("waiting on shared work", () => {
  it("a caller already gone stops waiting at once, and the work failing later is no unhandled rejection", async () => {
    const trabalho = falharDepois(10);
    await expect(esperarOuDesistir(trabalho, AbortSignal.abort())).rejects.toMatchObject({ codigo: "cancelado" });
    await umPouco();
    expect(naoTratadas).toEqual([]);
  });

  it("a caller leaving while it runs stops waiting; the others get its result", async () => {
    const emCurso = new Map<string, Promise<string>>();
    let vezes = 0;
    const acao = () => {
      vezes += 1;
      return new Promise<string>((r) => setTimeout(() => r("pronto"), 30));
    };
    const sair = new AbortController();
    const primeiro = umaSoVez(emCurso, "k", acao, sair.signal);
    const segundo = umaSoVez(emCurso, "k", acao);
    sair.abort();
    await expect(primeiro).rejects.toMatchObject({ codigo: "cancelado" });
    await expect(segundo).resolves.toBe("pronto");
    expect(vezes).toBe(1);
    expect(emCurso.size).toBe(0);
  });

  it("nothing is started for a caller already gone; one that leaves before a failure leaves no unhandled rejection", async () => {
    const emCurso = new Map<string, Promise<void>>();
    let vezes = 0;
    const acao = () => {
      vezes += 1;
      return falharDepois(10);
    };
    await expect(umaSoVez(emCurso, "k", acao, AbortSignal.abort())).rejects.toMatchObject({ codigo: "cancelado" });
    expect(vezes).toBe(0);
    const sair = new AbortController();
    const saiu = umaSoVez(emCurso, "k", acao, sair.signal);
    sair.abort();
    await expect(saiu).rejects.toMatchObject({ codigo: "cancelado" });
    await umPouco();
    expect(vezes).toBe(1);
    expect(naoTratadas).toEqual([]);
  });
});
