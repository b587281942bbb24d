import Link from "next/link";
import type { ServidorNoPainel } from "@/lib/painel/consultar-painel";
import { FilaAoVivo } from "../fila-ao-vivo";
import { inteiro, ms, tokS } from "../formatos";
import { ROTULO_TIPO } from "../rotulos";
import { StatusAoVivo } from "../status-ao-vivo";
import { Grafico24h } from "./grafico-24h";
import { ModelosCarregados } from "./modelos-carregados";

/** One server of the overview: live status and queue, loaded models, and its last 24 h at a glance. */
export function CartaoServidor({ s }: { s: ServidorNoPainel }) {
  const numeros: [string, string, string?][] = [
    ["Modelos", inteiro(s.total_modelos)],
    ["Última verificação", ms(s.ultima_latencia_ms), "Latência da última verificação do monitor"],
    ["p95 (24 h)", ms(s.p95_24h_ms), "Tempo de resposta abaixo do qual ficaram 95% das requisições com sucesso nas últimas 24 h"],
    ["Geração típica", tokS(s.tokens_por_segundo), "Velocidade típica de geração (p50) nas últimas 24 h"],
  ];
  return (
    <li className="flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4" data-servidor={s.nome}>
      <div className="flex flex-wrap items-center gap-2">
        <Link href={`/provedores-llm/${s.id}/detalhes`} className="min-w-0 truncate font-medium text-slate-900 hover:underline">
          {s.nome}
        </Link>
        <span className="text-xs text-slate-500">{ROTULO_TIPO[s.tipo]}</span>
        <StatusAoVivo id={s.id} inicial={s.status} />
        {s.ativo ? null : <span className="text-xs text-slate-500">Inativo</span>}
      </div>
      <p className="-mt-2 truncate font-mono text-xs text-slate-600">{s.base_url}</p>
      <ModelosCarregados id={s.id} inicial={s.modelos_carregados} />
      <dl className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
        {numeros.map(([rotulo, valor, dica]) => (
          <div key={rotulo} title={dica}>
            <dt className="text-xs text-slate-600">{rotulo}</dt>
            <dd className="font-medium" data-rotulo={rotulo}>
              {valor}
            </dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <p className="text-xs text-slate-600">Requisições (24 h)</p>
          <p className="text-sm font-medium" data-rotulo="Requisições (24 h)">
            {inteiro(s.requisicoes_24h)}
            {s.erros_24h ? <span className="ml-1 text-xs font-normal text-red-700">({inteiro(s.erros_24h)} com erro)</span> : null}
          </p>
        </div>
        <Grafico24h serie={s.serie_24h} />
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <FilaAoVivo id={s.id} />
        <Link href={`/provedores-llm/${s.id}/estatisticas`} className="text-xs text-sky-700 hover:underline">
          Estatísticas
        </Link>
      </div>
    </li>
  );
}
