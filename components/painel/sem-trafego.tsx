import Link from "next/link";

/** No request in the last 24 h on any server: how to send the first ones. */
export function SemTrafego() {
  return (
    <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600" data-sem-trafego>
      Nenhuma requisição nas últimas 24 horas. Aponte seus programas para este endereço — veja os exemplos prontos em{" "}
      <Link href="/provedores-llm/api" className="font-medium text-sky-700 underline">
        Usar pela API
      </Link>
      .
    </p>
  );
}
