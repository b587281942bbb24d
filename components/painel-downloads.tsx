"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { cancelarDownloadAcao, iniciarDownloadAcao } from "@/app/provedores-llm/actions";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import type { AcoesModelos } from "@/lib/adapters";
import type { DownloadModelo } from "@/lib/schemas/llm";
import { tamanho } from "./formatos";
import { useAviso } from "./toast";

const ROTULO_ESTADO: Record<DownloadModelo["estado"], string> = {
  baixando: "Baixando",
  concluido: "Concluído",
  falhou: "Falhou",
  cancelado: "Cancelado",
};

const EXEMPLO: Partial<Record<TipoProvedor, string>> = {
  ollama: "llama3.2:1b",
  lm_studio: "ibm/granite-4-micro ou uma URL do Hugging Face",
};

function duracao(segundos: number | null): string | null {
  if (segundos === null) return null;
  if (segundos < 60) return `${segundos} s`;
  if (segundos < 3600) return `${Math.round(segundos / 60)} min`;
  return `${(segundos / 3600).toLocaleString("pt-BR", { maximumFractionDigits: 1 })} h`;
}

const fracao = (feito: number | null, total: number | null) => (feito !== null && total ? Math.min(1, feito / total) : null);

function Barra({ valor, rotulo }: { valor: number | null; rotulo: string }) {
  return (
    <div
      role="progressbar"
      aria-label={rotulo}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={valor === null ? undefined : Math.round(valor * 100)}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className="h-full bg-sky-600 transition-[width]" style={{ width: `${Math.round((valor ?? 0) * 100)}%` }} />
    </div>
  );
}

/**
 * "Baixar modelo": a name, then each download with its bar, bytes, speed and time left (per layer where the
 * server reports layers), followed live over SSE. Downloads run in the app: leaving the page does not stop them.
 */
export function PainelDownloads({
  id,
  tipo,
  acoes,
  iniciais,
  aoConcluir,
}: {
  id: number;
  tipo: TipoProvedor;
  acoes: AcoesModelos;
  iniciais: DownloadModelo[];
  aoConcluir: () => void;
}) {
  const [downloads, setDownloads] = useState(iniciais);
  const [modelo, setModelo] = useState("");
  const [enviando, setEnviando] = useState(false);
  const fontes = useRef(new Map<string, EventSource>());
  const avisar = useAviso();

  const atualizar = useCallback((d: DownloadModelo) => setDownloads((atual) => [d, ...atual.filter((x) => x.id !== d.id)]), []);

  const seguir = useCallback(
    (d: DownloadModelo) => {
      if (d.estado !== "baixando" || fontes.current.has(d.id)) return;
      const fonte = new EventSource(`/api/provedores-llm/${id}/modelos/downloads/${d.id}/eventos`);
      fontes.current.set(d.id, fonte);
      fonte.addEventListener("progresso", (e) => atualizar(JSON.parse((e as MessageEvent<string>).data) as DownloadModelo));
      fonte.addEventListener("fim", (e) => {
        const fim = JSON.parse((e as MessageEvent<string>).data) as DownloadModelo;
        atualizar(fim);
        fonte.close();
        fontes.current.delete(d.id);
        if (fim.estado === "concluido") {
          avisar(`Modelo "${fim.modelo}" baixado.`);
          aoConcluir();
        } else if (fim.estado === "falhou") avisar(`O download de "${fim.modelo}" falhou: ${fim.erro ?? ""}`, "erro");
      });
    },
    [id, atualizar, aoConcluir, avisar],
  );

  // Downloads already running when the page opened (started here or elsewhere) are followed too.
  useEffect(() => {
    for (const d of iniciais) seguir(d);
  }, [iniciais, seguir]);
  // Leaving the page closes the streams, not the downloads.
  useEffect(() => {
    const abertas = fontes.current;
    return () => {
      for (const f of abertas.values()) f.close();
      abertas.clear();
    };
  }, []);

  if (!acoes.baixar) return null;

  const iniciar = async (evento: React.FormEvent) => {
    evento.preventDefault();
    setEnviando(true);
    const r = await iniciarDownloadAcao(id, { modelo });
    setEnviando(false);
    if (!r.ok) return avisar(r.mensagem, "erro");
    setModelo("");
    atualizar(r.dados);
    seguir(r.dados);
  };

  const cancelar = async (d: DownloadModelo) => {
    const r = await cancelarDownloadAcao(id, d.id);
    if (!r.ok) return avisar(r.mensagem, "erro");
    atualizar(r.dados);
  };

  return (
    <section aria-labelledby="baixar-modelo" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="baixar-modelo" className="text-lg font-semibold">
        Baixar modelo
      </h2>
      <form onSubmit={iniciar} className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm">
          Nome do modelo
          <input
            value={modelo}
            onChange={(e) => setModelo(e.target.value)}
            required
            placeholder={EXEMPLO[tipo]}
            className="rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
          />
        </label>
        <button
          type="submit"
          disabled={enviando || !modelo.trim()}
          className="rounded-md bg-sky-700 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-60"
        >
          {enviando ? "Iniciando…" : "Baixar"}
        </button>
      </form>
      {downloads.length ? (
        <ul className="space-y-3" aria-label="Downloads">
          {downloads.map((d) => {
            const partes = [
              d.baixados_bytes !== null && d.total_bytes ? `${tamanho(d.baixados_bytes)} de ${tamanho(d.total_bytes)}` : null,
              d.velocidade_bps ? `${tamanho(d.velocidade_bps)}/s` : null,
              d.restante_segundos !== null ? `faltam ${duracao(d.restante_segundos)}` : null,
            ].filter(Boolean);
            return (
              <li key={d.id} className="space-y-1 text-sm" aria-label={`Download de ${d.modelo}`}>
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span>
                    <span className="font-mono">{d.modelo}</span> · <strong>{ROTULO_ESTADO[d.estado]}</strong>
                    {d.estado === "baixando" && d.status ? <span className="text-slate-500"> · {d.status}</span> : null}
                  </span>
                  {d.estado === "baixando" && acoes.cancelar_download ? (
                    <button
                      type="button"
                      onClick={() => cancelar(d)}
                      aria-label={`Cancelar download de ${d.modelo}`}
                      className="rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50"
                    >
                      Cancelar
                    </button>
                  ) : null}
                </div>
                {d.estado === "baixando" || d.estado === "concluido" ? (
                  <Barra
                    valor={d.estado === "concluido" ? 1 : fracao(d.baixados_bytes, d.total_bytes)}
                    rotulo={`Progresso de ${d.modelo}`}
                  />
                ) : null}
                {partes.length && d.estado === "baixando" ? <p className="text-xs text-slate-600">{partes.join(" · ")}</p> : null}
                {d.estado === "baixando" && d.camadas.length > 1 ? (
                  <ul className="space-y-1 pl-3" aria-label={`Camadas de ${d.modelo}`}>
                    {d.camadas.map((c) => (
                      <li key={c.id} className="flex items-center gap-2 text-xs text-slate-600">
                        <span className="w-28 shrink-0 font-mono">{c.id.slice(7, 19)}</span>
                        <Barra valor={fracao(c.baixados_bytes, c.total_bytes)} rotulo={`Camada ${c.id.slice(7, 19)}`} />
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
          })}
        </ul>
      ) : null}
    </section>
  );
}
