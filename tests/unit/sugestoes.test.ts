import { describe, expect, it } from "vitest";
import { distanciaAte, parecidos } from "@/lib/gateway/sugestoes";

// A catalogue as large as a busy gateway's: 2 000 ids of the usual shapes.
const familias = ["llama3.2", "qwen2.5", "gemma3", "phi4", "mistral", "deepseek-r1", "granite3.3", "smollm2"];
const catalogo = [
  "llama3.2:1b",
  "llama3.2:latest",
  "qwen2.5:7b-instruct",
  "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
  ...Array.from({ length: 1996 }, (_, i) => `${familias[i % familias.length]}-ft${i}:${(i % 70) + 1}b-q${i % 9}`),
];

describe("did-you-mean suggestions of the gateway's 404", () => {
  it("suggest the close ids for ordinary typos and prefixes", () => {
    expect(parecidos(catalogo, "lama3.2:1b").ids[0]).toBe("llama3.2:1b");
    expect(parecidos(catalogo, "qwen2.5:7b-instrcut").ids[0]).toBe("qwen2.5:7b-instruct");
    expect(parecidos(catalogo, "LLAMA3.2:LATEST").ids[0]).toBe("llama3.2:latest");
    expect(parecidos(catalogo, "llama3.2").ids.slice(0, 2)).toEqual(["llama3.2:1b", "llama3.2:latest"]);
    expect(parecidos(catalogo, "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K").ids[0]).toBe(
      "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
    );
    expect(parecidos(catalogo, "zzzzzzzz").ids).toEqual([]);
  });

  it("a 490-character id costs almost nothing: no distance is computed against ids of another length", () => {
    const longo = `llama${"x".repeat(485)}`;
    const { ids, celulas } = parecidos(catalogo, longo);
    expect(ids).toEqual([]);
    expect(celulas).toBe(0);
  });

  it("even against 2 000 ids of the same length and alphabet, the cells computed stay within 250 000", () => {
    const parecidosDemais = Array.from({ length: 2000 }, (_, i) => `modelo-${String(i).padStart(4, "0")}-${"ab".repeat(50)}`);
    const alvo = `modelo-9999-${"ba".repeat(50)}`;
    const { celulas } = parecidos(parecidosDemais, alvo);
    // distances were computed, up to the budget and no further
    expect(celulas).toBeGreaterThan(0);
    expect(celulas).toBeLessThanOrEqual(250_000);
  });

  it("the bounded distance is Levenshtein's up to the bound, and bound + 1 past it", () => {
    const conta = { celulas: 0 };
    for (const [a, b, d] of [
      ["kitten", "sitting", 3],
      ["flaw", "lawn", 2],
      ["", "abc", 3],
      ["abc", "abc", 0],
      ["llama3.2:1b", "lama3.2:1b", 1],
      ["qwen2.5:7b-instruct", "qwen2.5:7b-instrcut", 2],
    ] as const) {
      expect(distanciaAte(a, b, 4, conta)).toBe(d);
      expect(distanciaAte(b, a, 4, conta)).toBe(d);
    }
    expect(distanciaAte("abcdefgh", "hgfedcba", 4, conta)).toBe(5);
    expect(distanciaAte("a", "abcdefgh", 4, conta)).toBe(5);
  });
});
