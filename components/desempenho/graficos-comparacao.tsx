import type { Benchmark } from "@/lib/schemas/benchmark";
import { GraficoLinhas, type SerieGrafico } from "./grafico-linhas";
import { nomeDaExecucao } from "./rotulos-benchmark";

export type ExecucaoComparada = Benchmark & { provedor_nome: string };

/** The two charts of a comparison: one colour per run, at the chosen prompt length and concurrency. */
export function GraficosComparacao({
  execucoes,
  prompt,
  concorrencia,
}: {
  execucoes: ExecucaoComparada[];
  prompt: number;
  concorrencia: number;
}) {
  const velocidade: SerieGrafico[] = execucoes.flatMap((b, i) => {
    const celulas = b.celulas.filter((c) => c.tokens_prompt === prompt);
    return [
      { nome: `${nomeDaExecucao(b)} · por stream`, cor: i, pontos: celulas.map((c) => ({ x: c.concorrencia, y: c.geracao_tokens_s })) },
      {
        nome: `${nomeDaExecucao(b)} · agregada`,
        cor: i,
        tracejada: true,
        pontos: celulas.map((c) => ({ x: c.concorrencia, y: c.geracao_agregada_tokens_s })),
      },
    ];
  });
  const ttft: SerieGrafico[] = execucoes.map((b, i) => ({
    nome: nomeDaExecucao(b),
    cor: i,
    pontos: b.celulas.filter((c) => c.concorrencia === concorrencia).map((c) => ({ x: c.tokens_prompt, y: c.ttft_p50_ms })),
  }));
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <GraficoLinhas
        titulo={`Geração (tokens/s) por concorrência, prompt de ${prompt.toLocaleString("pt-BR")} tokens`}
        rotuloX="Concorrência"
        unidadeY="tok/s"
        series={velocidade}
      />
      <GraficoLinhas
        titulo={`Tempo até o primeiro token (p50) por tamanho do prompt, concorrência ${concorrencia}`}
        rotuloX="Tokens do prompt"
        unidadeY="ms"
        series={ttft}
      />
    </div>
  );
}
