import type { ChaveAcesso } from "@/lib/schemas/chave";
import { dataHora } from "../rotulos";
import { prefixoVisivel, resumoLimites, resumoModelos, resumoPortas, resumoProvedores } from "./escopo";

/** A key's details: what it may reach, its limits and its dates. */
export function FichaChave({ chave: c, provedores }: { chave: ChaveAcesso; provedores: { id: number; nome: string }[] }) {
  const itens: [string, string][] = [
    ["Prefixo", prefixoVisivel(c.prefixo)],
    ["Descrição", c.descricao ?? "—"],
    ["Provedores", resumoProvedores(c.provedores, provedores)],
    ["Modelos", resumoModelos(c.modelos)],
    ["Portas", resumoPortas(c.portas)],
    ["Limites", resumoLimites(c)],
    ["Criada em", dataHora(c.criada_em)],
    ["Expira em", c.expira_em ? dataHora(c.expira_em) : "não expira"],
    ["Último uso", c.ultimo_uso_em ? dataHora(c.ultimo_uso_em) : "nunca"],
    ...(c.revogada_em ? ([["Revogada em", dataHora(c.revogada_em)]] as [string, string][]) : []),
  ];
  return (
    <dl className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
      {itens.map(([rotulo, valor]) => (
        <div key={rotulo} className="min-w-0">
          <dt className="text-xs text-slate-600">{rotulo}</dt>
          <dd className="mt-0.5 break-words text-slate-900" data-rotulo={rotulo}>
            {valor}
          </dd>
        </div>
      ))}
    </dl>
  );
}
