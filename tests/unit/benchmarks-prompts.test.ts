import { describe, expect, it } from "vitest";
import { estimada, geradorDeNonces, palavrasPara, retaDeDuasAmostras } from "@/lib/benchmarks/prompts";

describe("benchmark prompts' sizing", () => {
  it("a run's nonces: 8 base-36 characters, none repeated", () => {
    const nonce = geradorDeNonces();
    const vistos = Array.from({ length: 2000 }, () => nonce());
    expect(vistos.every((n) => /^[0-9a-z]{8}$/.test(n))).toBe(true);
    expect(new Set(vistos).size).toBe(2000);
  });

  it("two samples give tokens per word and the fixed overhead; the words for a size leave the overhead out", () => {
    // 40 words → 60 tokens, 240 words → 310 tokens: 1.25 tokens a word over 10 fixed ones.
    const m = retaDeDuasAmostras([40, 60], [240, 310], "tokenizador")!;
    expect(m.tokensPorPalavra).toBeCloseTo(1.25);
    expect(m.tokensFixos).toBeCloseTo(10);
    expect(palavrasPara(128, m)).toBe(94);
    expect(palavrasPara(1024, m)).toBe(811);
    // A size under the overhead still gets one word.
    expect(palavrasPara(4, m)).toBe(1);
    // A count that does not grow with the words makes no line.
    expect(retaDeDuasAmostras([40, 60], [240, 60], "calibrado")).toBeNull();
  });

  it("without a count, 4 characters per token, the nonce's included", () => {
    const m = estimada();
    expect(m.como).toBe("estimado");
    expect(m.tokensFixos).toBeCloseTo(11 / 4);
    expect(m.tokensPorPalavra).toBeGreaterThan(1);
  });
});
