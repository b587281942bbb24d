import { inteiro, ms, tokS } from "../formatos";
import { ROTULO_TIPO } from "../rotulos";
import type { ExecucaoComparada } from "./graficos-comparacao";
import { ROTULO_FONTE, ROTULO_TAMANHO_PROMPTS, nomeDaExecucao } from "./rotulos-benchmark";

const chave = (p: number, c: number) => `${p}x${c}`;

/** The chosen runs side by side: one group of columns per run, one row per prompt length × concurrency. */
export function TabelaComparacao({ execucoes }: { execucoes: ExecucaoComparada[] }) {
  const linhas = [
    ...new Map(execucoes.flatMap((b) => b.celulas.map((c) => [chave(c.tokens_prompt, c.concorrencia), c] as const))).values(),
  ].sort((a, b) => a.tokens_prompt - b.tokens_prompt || a.concorrencia - b.concorrencia);
  const celula = (b: ExecucaoComparada, p: number, c: number) => b.celulas.find((x) => x.tokens_prompt === p && x.concorrencia === c);
  return (
    <section aria-labelledby="lado-a-lado" className="space-y-2">
      <h2 id="lado-a-lado" className="text-lg font-semibold">
        Lado a lado
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs text-slate-600">
            <tr>
              <th scope="col" rowSpan={2} className="px-3 py-2 text-right">
                Prompt (tokens)
              </th>
              <th scope="col" rowSpan={2} className="px-3 py-2 text-right">
                Concorrência
              </th>
              {execucoes.map((b) => (
                <th key={b.id} scope="colgroup" colSpan={3} className="border-l border-slate-200 px-3 py-2">
                  <span className="block font-medium text-slate-800">{nomeDaExecucao(b)}</span>
                  <span className="block font-normal">
                    {b.servidor
                      ? `${ROTULO_TIPO[b.servidor.tipo]} ${b.servidor.versao ?? ""} · ${b.servidor.modelo.quantizacao ?? "—"} · prompts: ${ROTULO_TAMANHO_PROMPTS[b.servidor.tamanho_dos_prompts]}`
                      : "—"}
                  </span>
                </th>
              ))}
            </tr>
            <tr>
              {execucoes.flatMap((b) => [
                <th key={`${b.id}-t`} scope="col" className="border-l border-slate-200 px-3 py-1 text-right">
                  TTFT p50
                </th>,
                <th key={`${b.id}-g`} scope="col" className="px-3 py-1 text-right">
                  Geração por stream
                </th>,
                <th key={`${b.id}-a`} scope="col" className="px-3 py-1 text-right">
                  Agregada
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {linhas.map((l) => (
              <tr key={chave(l.tokens_prompt, l.concorrencia)} className="border-t border-slate-100">
                <td className="px-3 py-2 text-right">{inteiro(l.tokens_prompt)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.concorrencia)}</td>
                {execucoes.flatMap((b) => {
                  const c = celula(b, l.tokens_prompt, l.concorrencia);
                  const fonte = c ? ` (${ROTULO_FONTE[c.fonte]})` : "";
                  return [
                    <td key={`${b.id}-t`} className="border-l border-slate-100 px-3 py-2 text-right">
                      {ms(c?.ttft_p50_ms)}
                    </td>,
                    <td key={`${b.id}-g`} className="whitespace-nowrap px-3 py-2 text-right" title={`Fonte${fonte}`}>
                      {tokS(c?.geracao_tokens_s)}
                    </td>,
                    <td key={`${b.id}-a`} className="whitespace-nowrap px-3 py-2 text-right">
                      {tokS(c?.geracao_agregada_tokens_s)}
                    </td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
