import { inteiro } from "../formatos";
import type { PontoDoPainel } from "@/lib/painel/consultar-painel";

const LARGURA = 120;
const ALTURA = 28;

/** The requests of the last 24 h, one bar per hour (errors in red on top of each), as a small inline SVG. */
export function Grafico24h({ serie }: { serie: PontoDoPainel[] }) {
  const maior = Math.max(1, ...serie.map((p) => p.requisicoes));
  const largura = LARGURA / Math.max(1, serie.length);
  const total = serie.reduce((s, p) => s + p.requisicoes, 0);
  return (
    <svg
      viewBox={`0 0 ${LARGURA} ${ALTURA}`}
      width={LARGURA}
      height={ALTURA}
      role="img"
      aria-label={`Requisições por hora nas últimas 24 h: ${inteiro(total)} no total`}
      className="shrink-0"
    >
      <line x1={0} y1={ALTURA - 0.5} x2={LARGURA} y2={ALTURA - 0.5} className="stroke-slate-200" strokeWidth={1} />
      {serie.map((p, i) => {
        const altura = (p.requisicoes / maior) * (ALTURA - 2);
        const erros = (p.erros / maior) * (ALTURA - 2);
        const x = i * largura + 0.5;
        return (
          <g key={p.inicio.getTime()}>
            {p.requisicoes ? (
              <rect x={x} y={ALTURA - altura} width={Math.max(1, largura - 1)} height={altura} className="fill-sky-600" />
            ) : null}
            {p.erros ? <rect x={x} y={ALTURA - altura} width={Math.max(1, largura - 1)} height={erros} className="fill-red-600" /> : null}
          </g>
        );
      })}
    </svg>
  );
}
