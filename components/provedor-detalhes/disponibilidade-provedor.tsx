import type { Disponibilidade } from "@/lib/schemas/disponibilidade-e-incidentes";
import type { ProvedorLLM } from "@/lib/schemas/provedor";
import { BadgeStatus } from "../badge-status";
import { CabecalhoTabela } from "../cabecalho-tabela";
import { duracao } from "../formatos";
import { dataHora } from "../rotulos";

const PERIODOS = { "24h": "24 horas", "7d": "7 dias", "30d": "30 dias" } as const;

const COLUNAS_INCIDENTES = [{ rotulo: "Início" }, { rotulo: "Fim" }, { rotulo: "Duração" }, { rotulo: "Motivo" }];

/** The provider's uptime over 24 hours, 7 and 30 days, how it is checked, and its latest incidents. */
export function DisponibilidadeProvedor({ provedor: p, disponibilidade: d }: { provedor: ProvedorLLM; disponibilidade: Disponibilidade }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Disponibilidade">
      <h2 className="text-sm font-medium text-slate-600">Disponibilidade</h2>
      <dl className="mt-2 grid grid-cols-3 gap-3">
        {(["24h", "7d", "30d"] as const).map((periodo) => (
          <div key={periodo}>
            <dt className="text-xs text-slate-600">{PERIODOS[periodo]}</dt>
            <dd className="text-2xl font-semibold" data-uptime={periodo}>
              {d.uptime[periodo] === null ? "—" : `${d.uptime[periodo].toLocaleString("pt-BR", { maximumFractionDigits: 2 })}%`}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-1 text-xs text-slate-600">
        {p.ativo
          ? `Verificado a cada ${p.intervalo_verificacao_segundos} s; offline depois de 3 falhas seguidas.`
          : "Provedor inativo: não é verificado."}
      </p>
      <h3 className="mt-4 text-sm font-medium text-slate-600">Últimos incidentes</h3>
      {d.incidentes.length ? (
        <table className="mt-2 w-full text-left text-sm">
          <CabecalhoTabela discreto colunas={COLUNAS_INCIDENTES} />
          <tbody className="divide-y divide-slate-100">
            {d.incidentes.map((i) => (
              <tr key={i.inicio.getTime()} data-incidente>
                <td className="py-1 pr-3 whitespace-nowrap">{dataHora(i.inicio)}</td>
                <td className="py-1 pr-3 whitespace-nowrap">{i.fim ? dataHora(i.fim) : "em andamento"}</td>
                <td className="py-1 pr-3 whitespace-nowrap">{duracao(i.duracao_ms)}</td>
                <td className="py-1 text-slate-700">
                  <BadgeStatus status={i.status} /> {i.motivo ?? ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="mt-1 text-sm text-slate-700">Nenhum incidente nos últimos 30 dias.</p>
      )}
    </section>
  );
}
