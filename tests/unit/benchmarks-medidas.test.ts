import { describe, expect, it } from "vitest";
import { type MedidaDaRequisicao, medirRequisicao, percentil, resumirCelula } from "@/lib/benchmarks/medidas";
import { montarPrompt, palavras } from "@/lib/benchmarks/prompts";

const boa = (ttftMs: number, tokensGerados: number, fonte: "servidor" | "cliente" = "servidor"): MedidaDaRequisicao => ({
  ok: true,
  ttftMs,
  tokensPrompt: 100,
  tokensResposta: tokensGerados,
  tokensGerados,
  prefillTokensS: 1000,
  geracaoTokensS: 50,
  fonte,
});

describe("benchmark figures", () => {
  it("percentiles by nearest rank", () => {
    const v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentil(v, 0.5)).toBe(50);
    expect(percentil(v, 0.95)).toBe(100);
    expect(percentil([7], 0.95)).toBe(7);
    expect(percentil([], 0.5)).toBeNull();
  });

  it("server timings when present, else the client's clock (generation counts from the first token)", () => {
    const tempos = { t0: 0, primeiroTexto: 200, ultimoTexto: 1200, eventosDeTexto: 11, tokensPromptPedidos: 400, esperaNaFilaMs: 0 };
    expect(medirRequisicao(tempos, { tokensPrompt: 404, tokensResposta: 11, promptMs: 202, geracaoMs: 1000 })).toMatchObject({
      fonte: "servidor",
      prefillTokensS: 2000,
      geracaoTokensS: 11,
      ttftMs: 200,
    });
    expect(medirRequisicao(tempos, { tokensPrompt: null, tokensResposta: null, promptMs: null, geracaoMs: null })).toMatchObject({
      fonte: "cliente",
      prefillTokensS: 2000,
      geracaoTokensS: 10,
      tokensGerados: 11,
    });
    // A wait in the app's queue is in the time to first token, not in the client-timed prefill.
    expect(
      medirRequisicao(
        { ...tempos, primeiroTexto: 700, esperaNaFilaMs: 500 },
        { tokensPrompt: null, tokensResposta: null, promptMs: null, geracaoMs: null },
      ),
    ).toMatchObject({ fonte: "cliente", prefillTokensS: 2000, ttftMs: 700 });
  });

  it("a cell: errors counted, aggregate over each round's wall time, fonte servidor only when every success had timings", () => {
    const rodadas = [
      { medidas: [boa(100, 10), boa(300, 10)], duracaoMs: 1000 },
      { medidas: [boa(200, 10), { ok: false as const, erro: "caiu" }], duracaoMs: 500 },
    ];
    const c = resumirCelula(128, 2, rodadas);
    expect(c).toMatchObject({
      tokens_prompt: 128,
      concorrencia: 2,
      requisicoes: 4,
      erros: 1,
      ttft_p50_ms: 200,
      ttft_p95_ms: 300,
      fonte: "servidor",
    });
    // Round 1: 20 tokens in 1 s; round 2: 10 tokens in 0.5 s: both 20 tokens/s.
    expect(c.geracao_agregada_tokens_s).toBe(20);
    expect(c.requisicoes_s).toBe(2);
    expect(resumirCelula(128, 1, [{ medidas: [boa(100, 10), boa(100, 10, "cliente")], duracaoMs: 100 }]).fonte).toBe("cliente");
    const nada = resumirCelula(128, 1, [{ medidas: [{ ok: false, erro: "x" }], duracaoMs: 10 }]);
    expect(nada).toMatchObject({ erros: 1, ttft_p50_ms: null, geracao_tokens_s: null, fonte: "cliente" });
  });

  it("prompts: a nonce first, then filler words of their own", () => {
    const a = montarPrompt("n1", 50, 1);
    const b = montarPrompt("n2", 50, 2);
    expect(a.startsWith("[n1] ")).toBe(true);
    expect(a.split(" ")).toHaveLength(51);
    expect(a.slice(5)).not.toBe(b.slice(5));
    expect(palavras(20, 3)).toBe(palavras(20, 3));
  });
});
