import Link from "next/link";
import type { ProvedorLLM } from "@/lib/schemas/provedor";
import { BadgeAtivo } from "../badge-status";
import { BotaoAtivo } from "../botao-ativo";
import { BotaoExcluir } from "../botao-excluir";
import { ROTULO_TIPO } from "../rotulos";
import { MedidorFila } from "../fila-ao-vivo";
import { StatusAoVivo } from "../status-ao-vivo";
import { CLASSE_LINK_ACAO } from "../ui/botao";

/** One provider of the list: name, type, live status, active or not, URL, and what can be done with it. */
export function LinhaProvedor({ provedor: p }: { provedor: ProvedorLLM }) {
  return (
    <li className="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between" data-provedor={p.nome}>
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/provedores-llm/${p.id}/detalhes`} className="font-medium text-slate-900 hover:underline">
            {p.nome}
          </Link>
          <span className="text-xs text-slate-500">{ROTULO_TIPO[p.tipo]}</span>
          <StatusAoVivo id={p.id} inicial={p.status} />
          <BadgeAtivo ativo={p.ativo} />
          <MedidorFila id={p.id} />
        </div>
        <p className="mt-1 truncate font-mono text-xs text-slate-600">{p.base_url}</p>
      </div>
      <div className="flex shrink-0 flex-wrap items-center gap-1">
        <Link href={`/provedores-llm/${p.id}/testar`} className={CLASSE_LINK_ACAO} aria-label={`Testar ${p.nome}`}>
          Testar
        </Link>
        <Link href={`/provedores-llm/${p.id}/editar`} className={CLASSE_LINK_ACAO} aria-label={`Editar ${p.nome}`}>
          Editar
        </Link>
        <BotaoAtivo id={p.id} nome={p.nome} ativo={p.ativo} />
        <BotaoExcluir id={p.id} nome={p.nome} />
      </div>
    </li>
  );
}
