import Link from "next/link";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { CabecalhoTabela } from "../cabecalho-tabela";
import { tokS } from "../formatos";
import { dataHora } from "../rotulos";
import { CLASSE_LINK_ACAO } from "../ui/botao";
import { BadgeEstadoBenchmark } from "./badge-estado-benchmark";
import { BotaoExcluirBenchmark } from "./botao-excluir-benchmark";
import { melhorGeracao, resumoDoPerfil } from "./rotulos-benchmark";

const COLUNAS = [
  { rotulo: "Data" },
  { rotulo: "Modelo" },
  { rotulo: "Perfil" },
  { rotulo: "Estado" },
  { rotulo: "Melhor geração", numero: true },
  { rotulo: "Ações" },
];

/** A provider's runs, newest first. */
export function HistoricoBenchmarks({ provedorId, execucoes }: { provedorId: number; execucoes: Benchmark[] }) {
  return (
    <section aria-labelledby="historico" className="space-y-2">
      <h2 id="historico" className="text-lg font-semibold">
        Histórico
      </h2>
      {execucoes.length ? (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <CabecalhoTabela colunas={COLUNAS} />
            <tbody>
              {execucoes.map((b) => (
                <tr key={b.id} className="border-t border-slate-100" data-execucao={b.id}>
                  <td className="whitespace-nowrap px-3 py-2">{dataHora(new Date(b.criado_em))}</td>
                  <td className="px-3 py-2 font-mono">{b.modelo}</td>
                  <td className="min-w-48 px-3 py-2 text-xs text-slate-600">{resumoDoPerfil(b.perfil)}</td>
                  <td className="px-3 py-2">
                    <BadgeEstadoBenchmark estado={b.estado} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right">{tokS(melhorGeracao(b))}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link
                      href={`/provedores-llm/${provedorId}/desempenho/${b.id}`}
                      className={CLASSE_LINK_ACAO}
                      aria-label={`Ver a execução #${b.id}`}
                    >
                      Ver
                    </Link>
                    {b.estado === "executando" ? null : <BotaoExcluirBenchmark provedorId={provedorId} bid={b.id} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
          Nenhuma execução ainda. Escolha um modelo e um perfil acima e clique em Iniciar.
        </p>
      )}
    </section>
  );
}
