import type { DownloadModelo } from "@/lib/schemas/llm";
import { tamanho, tempoRestante } from "../formatos";
import { Botao } from "../ui/botao";
import { BarraProgresso } from "./barra-progresso";

const ROTULO_ESTADO: Record<DownloadModelo["estado"], string> = {
  baixando: "Baixando",
  concluido: "Concluído",
  falhou: "Falhou",
  cancelado: "Cancelado",
};

const fracao = (feito: number | null, total: number | null) => (feito !== null && total ? Math.min(1, feito / total) : null);

/** "1,2 GB de 2 GB · 35 MB/s · faltam 25 s": what the server has said so far. */
function linhaDeProgresso(d: DownloadModelo): string {
  return [
    d.baixados_bytes !== null && d.total_bytes ? `${tamanho(d.baixados_bytes)} de ${tamanho(d.total_bytes)}` : null,
    d.velocidade_bps ? `${tamanho(d.velocidade_bps)}/s` : null,
    d.restante_segundos !== null ? `faltam ${tempoRestante(d.restante_segundos)}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** One download: its state, a cancel button while it runs, the bar, the progress line, each layer's bar, and why it failed. */
export function ItemDownload({
  download: d,
  podeCancelar,
  aoCancelar,
}: {
  download: DownloadModelo;
  podeCancelar: boolean;
  aoCancelar: () => void;
}) {
  const baixando = d.estado === "baixando";
  const progresso = linhaDeProgresso(d);
  return (
    <li className="space-y-1 text-sm" aria-label={`Download de ${d.modelo}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span>
          <span className="font-mono">{d.modelo}</span> · <strong>{ROTULO_ESTADO[d.estado]}</strong>
          {baixando && d.status ? <span className="text-slate-500"> · {d.status}</span> : null}
        </span>
        {baixando && podeCancelar ? (
          <Botao variante="perigo" forma="texto" onClick={aoCancelar} aria-label={`Cancelar download de ${d.modelo}`}>
            Cancelar
          </Botao>
        ) : null}
      </div>
      {baixando || d.estado === "concluido" ? (
        <BarraProgresso
          valor={d.estado === "concluido" ? 1 : fracao(d.baixados_bytes, d.total_bytes)}
          rotulo={`Progresso de ${d.modelo}`}
        />
      ) : null}
      {progresso && baixando ? <p className="text-xs text-slate-600">{progresso}</p> : null}
      {baixando && d.camadas.length > 1 ? (
        <ul className="space-y-1 pl-3" aria-label={`Camadas de ${d.modelo}`}>
          {d.camadas.map((c) => (
            <li key={c.id} className="flex items-center gap-2 text-xs text-slate-600">
              <span className="w-28 shrink-0 font-mono">{c.id.slice(7, 19)}</span>
              <BarraProgresso valor={fracao(c.baixados_bytes, c.total_bytes)} rotulo={`Camada ${c.id.slice(7, 19)}`} />
              <span className="w-20 shrink-0 text-right">{tamanho(c.total_bytes)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {d.estado === "falhou" && d.erro ? (
        <p role="alert" className="text-status-erro-texto">
          {d.erro}
        </p>
      ) : null}
    </li>
  );
}
