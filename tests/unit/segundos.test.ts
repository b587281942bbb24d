import { describe, expect, it } from "vitest";
import { problemasDeConfiguracao } from "@/lib/config";
import { segundosEmMs } from "@/lib/segundos";

const env = (valores: Record<string, string>) => valores as NodeJS.ProcessEnv;

describe("seconds from the environment (DATABASE_TIMEOUT_SEGUNDOS, ENCERRAMENTO_SEGUNDOS)", () => {
  it.each(["0", "-3", "abc", "Infinity", "3000000"])("refuses %s at start-up with a message naming the variable", (valor) => {
    const problemas = problemasDeConfiguracao(env({ DATABASE_TIMEOUT_SEGUNDOS: valor }));
    expect(problemas).toHaveLength(1);
    expect(problemas[0]).toContain(`DATABASE_TIMEOUT_SEGUNDOS="${valor}"`);
  });

  it("accepts up to 600 s, and a bad value never reaches setTimeout (the default instead)", () => {
    expect(problemasDeConfiguracao(env({ ENCERRAMENTO_SEGUNDOS: "600" }))).toEqual([]);
    expect(segundosEmMs("X", 5, env({ X: "2.5" }))).toBe(2500);
    expect(segundosEmMs("X", 5, env({ X: "2147484" }))).toBe(5000);
    expect(segundosEmMs("X", 5, env({}))).toBe(5000);
  });
});
