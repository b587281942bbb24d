import type { PontoDoPainel } from "@/lib/painel/consultar-painel";
import { inteiro } from "../formatos";

const LARGURA = 120;
const ALTURA = 28;

/** The bars of a series as one SVG path (one element for the whole chart, however many hours). */
function barras(valores: number[], maior: number, largura: number): string {
  return valores
    .map((v, i) => {
      if (!v) return "";
      const altura = Math.max(1, (v / maior) * (ALTURA - 2));
      return `M${(i * largura + 0.5).toFixed(1)} ${ALTURA}v-${altura.toFixed(1)}h${Math.max(1, largura - 1).toFixed(1)}v${altura.toFixed(1)}z`;
    })
    .join("");
}

/** The requests of the last 24 h, one bar per hour (the part that failed in red at its foot), as a small inline SVG. */
export function Grafico24h({ serie }: { serie: PontoDoPainel[] }) {
  const maior = Math.max(1, ...serie.map((p) => p.requisicoes));
  const largura = LARGURA / Math.max(1, serie.length);
  const total = serie.reduce((s, p) => s + p.requisicoes, 0);
  const erros = serie.reduce((s, p) => s + p.erros, 0);
  return (
    <svg
      viewBox={`0 0 ${LARGURA} ${ALTURA}`}
      width={LARGURA}
      height={ALTURA}
      role="img"
      aria-label={`Requisições por hora nas últimas 24 h: ${inteiro(total)}, ${inteiro(erros)} com erro`}
      className="shrink-0"
    >
      <path d={`M0 ${ALTURA - 0.5}H${LARGURA}`} className="stroke-slate-200" strokeWidth={1} />
      <path
        d={barras(
          serie.map((p) => p.requisicoes),
          maior,
          largura,
        )}
        className="fill-sky-600"
      />
      {erros ? (
        <path
          d={barras(
            serie.map((p) => p.erros),
            maior,
            largura,
          )}
          className="fill-red-600"
        />
      ) : null}
    </svg>
  );
}
