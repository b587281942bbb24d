import { describe, expect, it } from "vitest";
import { acompanhar, comecou, esquecer, ligarDisjuntor, recusaDoDisjuntor, respondeu, saudeDe, terminou } from "@/lib/saude/estado";

/** A provider's row as the health store starts following it. */
const linha = (id: number, status: "offline" | "online" | "instavel", falhas_seguidas: number) => ({
  id,
  nome: `Servidor ${id}`,
  status,
  falhas_seguidas,
  intervalo_verificacao_segundos: 60,
});

describe("the health store's breaker", () => {
  it("refuses what the page shows offline, even after a single failure (a server never seen answering), with one probe per interval", () => {
    ligarDisjuntor(true);
    try {
      acompanhar(linha(101, "offline", 1));
      // the first request after the store starts following it is the interval's probe
      expect(recusaDoDisjuntor(101)).toBeNull();
      const recusa = recusaDoDisjuntor(101);
      expect(recusa?.codigo).toBe("provedor_indisponivel");
      expect(recusa?.message).toMatch(/"Servidor 101" está offline há .*Nova tentativa em até/);
      expect(recusaDoDisjuntor(101)?.codigo).toBe("provedor_indisponivel");
    } finally {
      ligarDisjuntor(false);
    }
  });

  it("lets through a provider that is not offline, and everything while the monitor is off", () => {
    ligarDisjuntor(true);
    try {
      acompanhar(linha(102, "instavel", 2));
      expect(recusaDoDisjuntor(102)).toBeNull();
      expect(recusaDoDisjuntor(102)).toBeNull();
      // never followed: nothing known
      expect(recusaDoDisjuntor(999)).toBeNull();
    } finally {
      ligarDisjuntor(false);
    }
    acompanhar(linha(103, "offline", 3));
    expect(recusaDoDisjuntor(103)).toBeNull();
    expect(recusaDoDisjuntor(103)).toBeNull();
  });

  it("keeps the router's readings per provider: in flight until each attempt ends, a moving latency, a failure until the next answer", () => {
    comecou(104);
    comecou(104);
    respondeu(104, 100);
    respondeu(104, 200);
    expect(saudeDe(104)).toMatchObject({ emVoo: 2, latenciaMs: 120, falhouEm: null });
    terminou(104, "falhou");
    expect(saudeDe(104)?.emVoo).toBe(1);
    expect(saudeDe(104)?.falhouEm).not.toBeNull();
    // a change of the provider forgets its status, not the attempts still under way
    acompanhar(linha(104, "online", 0));
    esquecer(104);
    expect(saudeDe(104)).toMatchObject({ situacao: null, emVoo: 1 });
    terminou(104, "ok");
    terminou(104, "ok");
    expect(saudeDe(104)?.emVoo).toBe(0);
  });
});
