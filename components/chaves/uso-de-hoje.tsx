import { inteiro } from "../formatos";

/** Today's tokens against the daily budget (when the key has one), or a dash while they are not known. */
export function UsoDeHoje({ tokens, orcamento }: { tokens: number | null; orcamento: number | null }) {
  if (tokens === null) return <span>—</span>;
  if (orcamento === null) return <span>{inteiro(tokens)} tokens</span>;
  const fracao = Math.min(1, tokens / orcamento);
  return (
    <span className="inline-flex items-center gap-2">
      <span>
        {inteiro(tokens)} de {inteiro(orcamento)} tokens
      </span>
      <span aria-hidden="true" className="inline-block h-1.5 w-16 overflow-hidden rounded-full bg-slate-200">
        <span className={`block h-full ${fracao >= 1 ? "bg-red-600" : "bg-sky-700"}`} style={{ width: `${Math.round(fracao * 100)}%` }} />
      </span>
    </span>
  );
}
