import Link from "next/link";
import type { ReactNode } from "react";
import type { EstatisticasProvedor, ListaModelos } from "@/lib/schemas/llm";
import type { ProvedorLLM } from "@/lib/schemas/provedor";
import { inteiro, ms, porcentagem } from "../formatos";
import { dataHora } from "../rotulos";
import { StatusAoVivo } from "../status-ao-vivo";

function Resumo({ titulo, href, acao, children }: { titulo: string; href: string; acao: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label={titulo}>
      <h2 className="text-sm font-medium text-slate-600">{titulo}</h2>
      <div className="mt-2">{children}</div>
      <Link href={href} className="mt-2 inline-block text-sm text-sky-800 underline-offset-2 hover:underline">
        {acao}
      </Link>
    </section>
  );
}

type Props = { provedor: ProvedorLLM; lista: Pick<ListaModelos, "modelos" | "atualizado_em">; estatisticas: EstatisticasProvedor };

/** Three cards on top of the details page: the connection, the models, the last 24 hours; each links to its tab. */
export function ResumosProvedor({ provedor: p, lista, estatisticas: e }: Props) {
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <Resumo titulo="Conexão" href={`/provedores-llm/${p.id}/testar`} acao="Testar">
        <StatusAoVivo id={p.id} inicial={p.status} />
        <p className="mt-1 text-sm text-slate-700">
          {p.ultimo_teste_em ? `Verificado em ${dataHora(p.ultimo_teste_em)}` : "Ainda não verificado"}
          {p.ultima_latencia_ms !== null ? ` · ${p.ultima_latencia_ms} ms` : ""}
        </p>
      </Resumo>
      <Resumo titulo="Modelos" href={`/provedores-llm/${p.id}/modelos`} acao="Ver modelos">
        <p className="text-2xl font-semibold">{lista.modelos.length}</p>
        <p className="text-sm text-slate-700">
          {e.modelos_carregados} carregado(s) ·{" "}
          {lista.atualizado_em ? `lista de ${dataHora(lista.atualizado_em)}` : "lista nunca atualizada"}
        </p>
      </Resumo>
      <Resumo titulo="Últimas 24 horas" href={`/provedores-llm/${p.id}/estatisticas`} acao="Ver estatísticas">
        <p className="text-2xl font-semibold">{inteiro(e.total_requisicoes)} requisições</p>
        <p className="text-sm text-slate-700">
          sucesso {porcentagem(e.taxa_sucesso)} · p50 {ms(e.p50_ms)} · {inteiro(e.tokens_totais)} tokens
        </p>
      </Resumo>
    </div>
  );
}
