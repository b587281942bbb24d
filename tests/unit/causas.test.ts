import { describe, expect, it } from "vitest";
import { causas, comoErroApp, ErroApp } from "@/lib/errors";

describe("ErroApp across bundles, and cause chains", () => {
  it("the mark that makes an ErroApp of any bundle one is on the prototype: no copy or log shows it", () => {
    const erro = new ErroApp("banco_indisponivel", "fora");
    expect(Object.getOwnPropertySymbols(erro)).toEqual([]);
    expect(Object.getOwnPropertySymbols({ ...erro })).toEqual([]);
    expect(erro instanceof ErroApp).toBe(true);
    // drizzle wraps the client's error: still found, with its codigo.
    expect(comoErroApp(new Error("Failed query", { cause: erro })).codigo).toBe("banco_indisponivel");
  });

  it("a cause chain is walked a bounded number of links, even when it loops", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    const vistos = [...causas(a)];
    expect(vistos.length).toBeGreaterThan(2);
    expect(vistos.length).toBeLessThanOrEqual(16);
  });
});
