"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { tokS } from "../formatos";
import { Botao } from "../ui/botao";
import { BadgeEstadoBenchmark } from "./badge-estado-benchmark";
import type { ExecucaoComparada } from "./graficos-comparacao";
import { melhorGeracao, nomeDaExecucao, resumoDoPerfil } from "./rotulos-benchmark";

/** Every run of every provider, with a checkbox each; "Comparar" opens /desempenho?ids=… with the chosen ones. */
export function SeletorComparacao({ execucoes, escolhidas }: { execucoes: ExecucaoComparada[]; escolhidas: number[] }) {
  const router = useRouter();
  const [marcadas, setMarcadas] = useState(() => new Set(escolhidas));
  const alternar = (id: number) =>
    setMarcadas((atual) => {
      const nova = new Set(atual);
      if (!nova.delete(id)) nova.add(id);
      return nova;
    });
  const comparar = (e: FormEvent) => {
    e.preventDefault();
    router.push(`/desempenho?ids=${[...marcadas].join(",")}`);
  };
  return (
    <form onSubmit={comparar} aria-label="Escolher execuções" className="space-y-3">
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {execucoes.map((b) => (
          <li key={b.id}>
            <label className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm" data-execucao={b.id}>
              <input
                type="checkbox"
                checked={marcadas.has(b.id)}
                onChange={() => alternar(b.id)}
                aria-label={`Comparar ${nomeDaExecucao(b)}`}
              />
              <span className="min-w-0 break-words font-medium">{nomeDaExecucao(b)}</span>
              <BadgeEstadoBenchmark estado={b.estado} />
              <span className="text-xs text-slate-600">{resumoDoPerfil(b.perfil)}</span>
              <span className="text-xs text-slate-600">melhor geração {tokS(melhorGeracao(b))}</span>
            </label>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3">
        <Botao type="submit" disabled={marcadas.size === 0}>
          Comparar
        </Botao>
        <span className="text-sm text-slate-600">{marcadas.size} selecionada(s)</span>
      </div>
    </form>
  );
}
