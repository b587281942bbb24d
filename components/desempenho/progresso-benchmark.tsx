"use client";

import { useState } from "react";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { inteiro, tempoRestante } from "../formatos";
import { BarraProgresso } from "../modelos/barra-progresso";
import { Botao } from "../ui/botao";
import { ErroNoLugar } from "../ui/erro-no-lugar";
import { SEM_RESPOSTA } from "../ui/use-acao-servidor";
import { cancelarOuExcluirPelaApi } from "./api-benchmarks";

/**
 * A running run's bar (done/total, %, ETA) and its Cancelar, which stops every request it has open (not offered
 * for a run known to be gone).
 */
export function ProgressoBenchmark({ b, podeCancelar = true }: { b: Benchmark; podeCancelar?: boolean }) {
  const [cancelando, setCancelando] = useState(false);
  const [erro, setErro] = useState<string | null>(null);
  const { feitas, total, eta_segundos } = b.progresso;
  const fracao = total ? feitas / total : 0;
  const eta = b.estado === "executando" && eta_segundos !== null ? `faltam ~${tempoRestante(eta_segundos)}` : null;
  const cancelar = async () => {
    setCancelando(true);
    setErro(null);
    try {
      const r = await cancelarOuExcluirPelaApi(b.provedor_id, b.id);
      if (!r.ok) setErro(r.mensagem);
    } catch {
      // The app did not answer (offline, restarting): said in place, the button usable again.
      setErro(SEM_RESPOSTA.mensagem);
    } finally {
      setCancelando(false);
    }
  };
  return (
    <section aria-label="Progresso da execução" className="space-y-2 rounded-lg border border-sky-200 bg-sky-50/40 p-4">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p data-testid="progresso-benchmark">
          <span className="font-medium">
            {inteiro(feitas)} de {inteiro(total)} requisições
          </span>{" "}
          ({Math.round(fracao * 100)} %){eta ? ` · ${eta}` : ""}
        </p>
        {b.estado === "executando" && podeCancelar ? (
          <Botao variante="perigo" forma="contorno" tamanho="compacto" onClick={cancelar} pendente={cancelando} textoPendente="Cancelando…">
            Cancelar
          </Botao>
        ) : null}
      </div>
      <BarraProgresso valor={fracao} rotulo="Progresso da execução" />
      <ErroNoLugar mensagem={erro} />
    </section>
  );
}
