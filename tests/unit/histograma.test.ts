import { describe, expect, it } from "vitest";
import { baldeDe, type Histograma, percentil, somar, ULTIMO_BALDE, valorDoBalde } from "@/lib/estatisticas/histograma";
import { DIA_MS, HORA_MS, intervalos, MINUTO_MS } from "@/lib/estatisticas/baldes-de-tempo";

describe("latency buckets", () => {
  it("report every time from 0.1 ms to 10 min within 5%", () => {
    let pior = 0;
    for (let ms = 0.1; ms <= 600_000; ms *= 1.0137) {
      const erro = Math.abs(valorDoBalde(baldeDe(ms)) - ms) / ms;
      pior = Math.max(pior, erro);
    }
    expect(pior).toBeLessThanOrEqual(0.05);
    expect(pior).toBeGreaterThan(0.04); // the buckets are as coarse as the bound allows, not finer
  });

  it("are ordered, and odd input lands at the ends instead of breaking the histogram", () => {
    expect(baldeDe(1)).toBeLessThan(baldeDe(1.2));
    expect(baldeDe(0)).toBe(0);
    expect(baldeDe(-5)).toBe(0);
    expect(baldeDe(Number.NaN)).toBe(0);
    expect(baldeDe(3_600_000)).toBe(ULTIMO_BALDE);
    expect(ULTIMO_BALDE).toBeLessThan(200);
  });

  it("give nearest-rank percentiles, merging counts from any rows", () => {
    const h: Histograma = new Map();
    for (let t = 10; t <= 200; t += 10) somar(h, baldeDe(t), 1);
    somar(h, baldeDe(200), 0);
    expect(percentil(h, 0.5)! / 100).toBeCloseTo(1, 1);
    expect(percentil(h, 0.95)! / 190).toBeCloseTo(1, 1);
    expect(percentil(new Map(), 0.5)).toBeNull();
    // 999 fast and 1 slow: p99 is fast, p100 is the slow one
    const cauda: Histograma = new Map([
      [baldeDe(5), 999],
      [baldeDe(5000), 1],
    ]);
    expect(percentil(cauda, 0.99)!).toBeLessThan(6);
    expect(percentil(cauda, 1)!).toBeGreaterThan(4750);
  });

  it("report times under 0.1 ms as 0: most queue waits are none at all", () => {
    const h: Histograma = new Map([
      [baldeDe(0), 6],
      [baldeDe(250), 4],
    ]);
    expect(percentil(h, 0.5)).toBe(0);
    expect(percentil(h, 0.6)).toBe(0);
    expect(percentil(h, 0.7)! / 250).toBeCloseTo(1, 1);
  });
});

describe("a period split into minute, hour and day rows", () => {
  const somaDe = (partes: ReturnType<typeof intervalos>) => partes.reduce((n, p) => n + (p.ate - p.de), 0);

  it("covers the period exactly once, with each part aligned to its width", () => {
    const base = Date.UTC(2026, 10, 27, 13, 47);
    for (const [desde, ate] of [
      [base, base + MINUTO_MS],
      [base, base + 50 * MINUTO_MS],
      [base - 30 * DIA_MS, base + MINUTO_MS],
      [base - 7 * DIA_MS, base + MINUTO_MS],
      [base - DIA_MS, base + MINUTO_MS],
      [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 3)],
      [base - HORA_MS, base + MINUTO_MS],
    ] as const) {
      const partes = intervalos(desde, ate).sort((a, b) => a.de - b.de);
      expect(partes[0]!.de).toBe(desde);
      expect(partes.at(-1)!.ate).toBe(ate);
      for (let i = 1; i < partes.length; i++) expect(partes[i]!.de).toBe(partes[i - 1]!.ate);
      expect(somaDe(partes)).toBe(ate - desde);
      for (const p of partes) {
        expect(p.de % p.largura).toBe(0);
        expect(p.ate % p.largura).toBe(0);
      }
    }
  });

  it("reads 30 days as at most a few hundred rows per model and bucket", () => {
    const base = Date.UTC(2026, 10, 27, 13, 47);
    const linhas = intervalos(base - 30 * DIA_MS, base + MINUTO_MS).reduce((n, p) => n + (p.ate - p.de) / p.largura, 0);
    expect(linhas).toBeLessThan(30 + 2 * 24 + 2 * 60);
    expect(intervalos(Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 3))).toEqual([
      { largura: DIA_MS, de: Date.UTC(2026, 10, 1), ate: Date.UTC(2026, 10, 3) },
    ]);
  });
});
