import Link from "next/link";
import type { ChaveAcesso } from "@/lib/schemas/chave";
import { dataHora } from "../rotulos";
import { BadgeEstadoChave } from "./badge-estado";
import { estadoDaChave, prefixoVisivel, resumoLimites, resumoModelos, resumoPortas, resumoProvedores } from "./escopo";
import { UsoDeHoje } from "./uso-de-hoje";

type Props = { chave: ChaveAcesso; provedores: { id: number; nome: string }[]; tokensHoje: number | null };

/** One key of the list: name, prefix, state, what it may reach, its limits, last use and today's tokens. */
export function LinhaChave({ chave: c, provedores, tokensHoje }: Props) {
  return (
    <li className="space-y-2 p-4" data-chave={c.nome}>
      <div className="flex flex-wrap items-center gap-2">
        <Link href={`/chaves/${c.id}`} className="font-medium text-slate-900 hover:underline">
          {c.nome}
        </Link>
        <code className="text-xs text-slate-600">{prefixoVisivel(c.prefixo)}</code>
        <BadgeEstadoChave estado={estadoDaChave(c)} />
      </div>
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <div className="min-w-0">
          <dt className="inline text-slate-500">Escopo: </dt>
          <dd className="inline break-words text-slate-800">
            provedores {resumoProvedores(c.provedores, provedores)} · modelos {resumoModelos(c.modelos)} · portas {resumoPortas(c.portas)}
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Limites: </dt>
          <dd className="inline text-slate-800">{resumoLimites(c)}</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Último uso: </dt>
          <dd className="inline text-slate-800">{c.ultimo_uso_em ? dataHora(c.ultimo_uso_em) : "nunca"}</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Hoje (UTC): </dt>
          <dd className="inline text-slate-800" data-rotulo="Tokens hoje">
            <UsoDeHoje tokens={tokensHoje} orcamento={c.orcamento_tokens_dia} />
          </dd>
        </div>
      </dl>
    </li>
  );
}
