import type { CelulaBenchmark } from "@/lib/schemas/benchmark";
import { GraficoLinhas, type SerieGrafico } from "./grafico-linhas";

const tok = (n: number) => `${n.toLocaleString("pt-BR")} tok`;

/** Tokens/s (per stream, solid; all streams, dashed) against concurrency, one colour per prompt length. */
function seriesDeVelocidade(celulas: CelulaBenchmark[]): SerieGrafico[] {
  const prompts = [...new Set(celulas.map((c) => c.tokens_prompt))].sort((a, b) => a - b);
  return prompts.flatMap((p, i) => {
    const daqui = celulas.filter((c) => c.tokens_prompt === p);
    return [
      { nome: `prompt ${tok(p)} · por stream`, cor: i, pontos: daqui.map((c) => ({ x: c.concorrencia, y: c.geracao_tokens_s })) },
      {
        nome: `prompt ${tok(p)} · agregada`,
        cor: i,
        tracejada: true,
        pontos: daqui.map((c) => ({ x: c.concorrencia, y: c.geracao_agregada_tokens_s })),
      },
    ];
  });
}

/** TTFT p50 against prompt length, one line per concurrency. */
function seriesDeTtft(celulas: CelulaBenchmark[]): SerieGrafico[] {
  const concorrencias = [...new Set(celulas.map((c) => c.concorrencia))].sort((a, b) => a - b);
  return concorrencias.map((n) => ({
    nome: `concorrência ${n}`,
    pontos: celulas.filter((c) => c.concorrencia === n).map((c) => ({ x: c.tokens_prompt, y: c.ttft_p50_ms })),
  }));
}

/** The two charts of one run. */
export function GraficosBenchmark({ celulas }: { celulas: CelulaBenchmark[] }) {
  if (!celulas.length) return null;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <GraficoLinhas
        titulo="Geração (tokens/s) por concorrência"
        rotuloX="Concorrência"
        unidadeY="tok/s"
        series={seriesDeVelocidade(celulas)}
      />
      <GraficoLinhas
        titulo="Tempo até o primeiro token (p50) por tamanho do prompt"
        rotuloX="Tokens do prompt"
        unidadeY="ms"
        series={seriesDeTtft(celulas)}
      />
    </div>
  );
}
