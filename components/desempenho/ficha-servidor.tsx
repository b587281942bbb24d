import type { ServidorDoBenchmark } from "@/lib/schemas/benchmark";
import { inteiro, tamanho } from "../formatos";
import { ROTULO_TIPO } from "../rotulos";
import { EXPLICACAO_TAMANHO_PROMPTS, ROTULO_TAMANHO_PROMPTS } from "./rotulos-benchmark";

/** The server and model as they were when the run started, and how its prompts were sized. */
export function FichaServidor({ s }: { s: ServidorDoBenchmark | null }) {
  if (!s) return <p className="text-sm text-slate-600">Os dados do servidor ainda não foram lidos.</p>;
  const m = s.modelo;
  const itens: [string, string][] = [
    ["Servidor", `${s.nome} (${ROTULO_TIPO[s.tipo]})`],
    ["Versão", s.versao ?? "—"],
    ["Modelo", m.id],
    ["Tamanho", tamanho(m.tamanho_bytes)],
    ["Quantização", m.quantizacao ?? "—"],
    ["Parâmetros", m.parametros ?? "—"],
    ["Família", m.familia ?? "—"],
    ["Contexto", m.contexto === null ? "—" : `${inteiro(m.contexto)} tokens`],
    ["Carregado", m.carregado === null ? "não informado" : m.carregado ? "sim" : "não"],
    ["Tamanho dos prompts", ROTULO_TAMANHO_PROMPTS[s.tamanho_dos_prompts]],
  ];
  return (
    <section aria-labelledby="ficha-servidor" className="space-y-2">
      <h2 id="ficha-servidor" className="text-lg font-semibold">
        Servidor e modelo no início
      </h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
        {itens.map(([rotulo, valor]) => (
          <div key={rotulo} className="flex min-w-0 gap-2">
            <dt className="shrink-0 text-slate-600">{rotulo}:</dt>
            <dd className="min-w-0 break-words font-medium">{valor}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-slate-600">{EXPLICACAO_TAMANHO_PROMPTS[s.tamanho_dos_prompts]}</p>
    </section>
  );
}
