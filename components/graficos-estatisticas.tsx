"use client";

import type { ReactElement } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PeriodoEstatisticas, PontoSerie } from "@/lib/schemas/llm";

function rotuloTempo(periodo: PeriodoEstatisticas) {
  const f = new Intl.DateTimeFormat(
    "pt-BR",
    periodo === "1h" || periodo === "24h"
      ? { hour: "2-digit", minute: "2-digit" }
      : { day: "2-digit", month: "2-digit", hour: periodo === "7d" ? "2-digit" : undefined },
  );
  return (v: number) => f.format(new Date(v));
}

function Moldura({ titulo, children }: { titulo: string; children: ReactElement }) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" aria-label={titulo}>
      <figcaption className="mb-2 text-sm font-medium">{titulo}</figcaption>
      <div className="h-64">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Requests and errors per point, and the average latency, over the chosen period. */
export function GraficosEstatisticas({ serie, periodo }: { serie: PontoSerie[]; periodo: PeriodoEstatisticas }) {
  const dados = serie.map((p) => ({
    t: new Date(p.inicio).getTime(),
    Sucesso: p.requisicoes - p.erros,
    Erros: p.erros,
    "Tempo médio (ms)": p.tempo_medio_ms,
  }));
  const eixo = rotuloTempo(periodo);
  const eixoX = <XAxis dataKey="t" tickFormatter={eixo} fontSize={11} minTickGap={24} />;
  const grade = <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />;
  const dica = <Tooltip labelFormatter={(v) => eixo(Number(v))} />;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Moldura titulo="Requisições e erros">
        <BarChart data={dados}>
          {grade}
          {eixoX}
          <YAxis allowDecimals={false} fontSize={11} width={36} />
          {dica}
          <Legend />
          <Bar dataKey="Sucesso" stackId="r" fill="#0369a1" isAnimationActive={false} />
          <Bar dataKey="Erros" stackId="r" fill="#dc2626" isAnimationActive={false} />
        </BarChart>
      </Moldura>
      <Moldura titulo="Tempo médio de resposta">
        <LineChart data={dados}>
          {grade}
          {eixoX}
          <YAxis fontSize={11} width={44} unit=" ms" />
          {dica}
          <Line
            type="monotone"
            dataKey="Tempo médio (ms)"
            stroke="#059669"
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </Moldura>
    </div>
  );
}
