"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** One line of a chart: its name in the legend and its points (x → y; null: nothing measured there). */
export type SerieGrafico = {
  nome: string;
  pontos: { x: number; y: number | null }[];
  tracejada?: boolean;
  /** Index of its colour: two lines of one group (per stream and aggregate) share it. */
  cor?: number;
};

const CORES = ["#0369a1", "#059669", "#d97706", "#7c3aed", "#dc2626", "#0891b2", "#65a30d", "#db2777", "#475569", "#ca8a04"];

/**
 * Lines over a shared x axis (concurrency, prompt length). The x values are categories, so 1, 2, 4, 8 sit evenly
 * spaced; animation is off (nothing to wait for in a test, nothing that needs an inline script under the CSP).
 */
export function GraficoLinhas({
  titulo,
  rotuloX,
  unidadeY,
  series,
}: {
  titulo: string;
  rotuloX: string;
  unidadeY: string;
  series: SerieGrafico[];
}) {
  const xs = [...new Set(series.flatMap((s) => s.pontos.map((p) => p.x)))].sort((a, b) => a - b);
  const dados = xs.map((x) => {
    const linha: Record<string, number | null> = { x };
    for (const s of series) linha[s.nome] = s.pontos.find((p) => p.x === x)?.y ?? null;
    return linha;
  });
  const formato = (v: unknown) => (typeof v === "number" ? `${v.toLocaleString("pt-BR", { maximumFractionDigits: 1 })} ${unidadeY}` : "—");
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" aria-label={titulo}>
      <figcaption className="mb-2 text-sm font-medium">{titulo}</figcaption>
      {/* Taller with more series: the legend sits inside the chart's box and would squeeze the plot. */}
      <div style={{ height: 240 + 18 * series.length }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={dados} margin={{ bottom: 12 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis
              dataKey="x"
              fontSize={11}
              tickFormatter={(v: number) => v.toLocaleString("pt-BR")}
              label={{ value: rotuloX, position: "insideBottom", offset: -8, fontSize: 11 }}
            />
            <YAxis fontSize={11} width={48} />
            <Tooltip formatter={formato} labelFormatter={(v) => `${rotuloX}: ${Number(v).toLocaleString("pt-BR")}`} />
            {/* The series in the order given (recharts sorts them by name otherwise). */}
            <Legend wrapperStyle={{ fontSize: 11, paddingTop: 8 }} itemSorter={null} />
            {series.map((s, i) => (
              <Line
                key={s.nome}
                type="monotone"
                dataKey={s.nome}
                stroke={CORES[(s.cor ?? i) % CORES.length]}
                strokeWidth={2}
                strokeDasharray={s.tracejada ? "5 4" : undefined}
                dot={{ r: 3 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
