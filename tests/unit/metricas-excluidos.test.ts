import { describe, expect, it } from "vitest";
import type { RegistroRequisicao } from "@/lib/schemas/llm";
import { contarParaMetricas, esquecerSeriesDoProvedor, series } from "@/lib/metricas/contadores";

const requisicao = (provedor_id: number, modelo: string): RegistroRequisicao => ({
  provedor_id,
  porta: "requisicao",
  criado_em: Date.now(),
  modelo,
  stream: false,
  sucesso: true,
  codigo_erro: null,
  tempo_resposta_ms: 80,
  tempo_primeiro_token_ms: null,
  tempo_fila_ms: null,
  tokens_prompt: 1,
  tokens_resposta: 1,
  chave_id: null,
});
const doProvedor = (id: number) => [...series.values()].filter((s) => s.provedor_id === id).map((s) => s.modelo);

describe("Prometheus series of a deleted provider", () => {
  it("go with it, and a request of it that ends after the deletion does not bring them back", () => {
    contarParaMetricas(requisicao(900_001, "a"));
    contarParaMetricas(requisicao(900_002, "b"));
    expect(doProvedor(900_001)).toEqual(["a"]);
    esquecerSeriesDoProvedor(900_001);
    expect(doProvedor(900_001)).toEqual([]);
    // the newest provider, deleted while a request of it was running
    contarParaMetricas(requisicao(900_001, "tarde"));
    expect(doProvedor(900_001)).toEqual([]);
    contarParaMetricas(requisicao(900_002, "c"));
    expect(doProvedor(900_002)).toEqual(["b", "c"]);
  });
});
