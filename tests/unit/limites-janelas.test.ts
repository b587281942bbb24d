import { describe, expect, it } from "vitest";
import { maximoDaResposta, RESERVA_PADRAO_RESPOSTA, reservaDeTokens } from "@/lib/chaves/limites/estimativa";
import { duracaoOpenAI, intervaloDe, quandoEmPtBr, segundosAte } from "@/lib/chaves/limites/janelas";

describe("the windows of a key's limits, in UTC", () => {
  const t = Date.UTC(2026, 11, 31, 23, 59, 30, 250);

  it("minute, day and month start and end on UTC boundaries", () => {
    expect(intervaloDe("minuto", t)).toEqual({ inicio: Date.UTC(2026, 11, 31, 23, 59), fim: Date.UTC(2027, 0, 1, 0, 0) });
    expect(intervaloDe("dia", t)).toEqual({ inicio: Date.UTC(2026, 11, 31), fim: Date.UTC(2027, 0, 1) });
    expect(intervaloDe("mes", t)).toEqual({ inicio: Date.UTC(2026, 11, 1), fim: Date.UTC(2027, 0, 1) });
    // February of a leap year: 29 days.
    expect(intervaloDe("mes", Date.UTC(2028, 1, 10))).toEqual({ inicio: Date.UTC(2028, 1, 1), fim: Date.UTC(2028, 2, 1) });
  });

  it("Retry-After in whole seconds (at least 1), the reset as OpenAI writes it, the renewal in pt-BR", () => {
    expect(segundosAte(Date.UTC(2027, 0, 1), t)).toBe(30);
    expect(segundosAte(t, t)).toBe(1);
    expect(duracaoOpenAI(250)).toBe("250ms");
    expect(duracaoOpenAI(12_000)).toBe("12s");
    expect(duracaoOpenAI(11_001)).toBe("12s");
    expect(duracaoOpenAI(360_000)).toBe("6m0s");
    expect(duracaoOpenAI(3 * 3_600_000 + 125_000)).toBe("3h2m5s");
    expect(quandoEmPtBr(Date.UTC(2027, 0, 1))).toBe("01/01/2027 às 00:00 (UTC)");
  });
});

describe("the tokens a request reserves", () => {
  it("reads the answer's maximum in every door's spelling", () => {
    expect(maximoDaResposta({ max_tokens: 300 })).toBe(300);
    expect(maximoDaResposta({ max_completion_tokens: 200, max_tokens: 300 })).toBe(200);
    expect(maximoDaResposta({ max_output_tokens: 50 })).toBe(50);
    expect(maximoDaResposta({ options: { num_predict: 70 } })).toBe(70);
    expect(maximoDaResposta({ configuracao: { max_tokens: 90 } })).toBe(90);
    // Ollama's -1 (no limit) and nonsense are no maximum.
    expect(maximoDaResposta({ options: { num_predict: -1 } })).toBeNull();
    expect(maximoDaResposta({ max_tokens: "muito" })).toBeNull();
  });

  it("the prompt's estimate (a quarter of the body's JSON) plus the maximum, or the stated default", () => {
    const corpo = { model: "m", messages: [{ role: "user", content: "x".repeat(400) }], max_tokens: 100 };
    expect(reservaDeTokens(corpo)).toBe(Math.ceil(JSON.stringify(corpo).length / 4) + 100);
    const semMaximo = { model: "m", messages: [] };
    expect(reservaDeTokens(semMaximo)).toBe(Math.ceil(JSON.stringify(semMaximo).length / 4) + RESERVA_PADRAO_RESPOSTA);
    expect(reservaDeTokens(null)).toBe(RESERVA_PADRAO_RESPOSTA);
  });
});
