import Link from "next/link";

const ABAS = [
  ["detalhes", "Detalhes"],
  ["testar", "Testar"],
  ["modelos", "Modelos"],
  ["estatisticas", "Estatísticas"],
  ["desempenho", "Desempenho"],
  ["editar", "Editar"],
] as const;

/** The tabs shared by a provider's pages. */
export function AbasProvedor({ id, atual }: { id: number; atual: (typeof ABAS)[number][0] }) {
  return (
    <nav aria-label="Seções do provedor" className="-mx-4 overflow-x-auto px-4">
      <ul className="flex gap-1 border-b border-slate-200">
        {ABAS.map(([aba, rotulo]) => (
          <li key={aba}>
            <Link
              href={`/provedores-llm/${id}/${aba}`}
              aria-current={aba === atual ? "page" : undefined}
              className={`block whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
                aba === atual ? "border-sky-700 text-sky-800" : "border-transparent text-slate-600 hover:text-slate-900"
              }`}
            >
              {rotulo}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
