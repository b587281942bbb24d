import type { Metadata } from "next";
import Link from "next/link";
import { type ExecucaoComparada, GraficosComparacao } from "@/components/desempenho/graficos-comparacao";
import { SeletorComparacao } from "@/components/desempenho/seletor-comparacao";
import { TabelaComparacao } from "@/components/desempenho/tabela-comparacao";
import { ErroNoLugar } from "@/components/ui/erro-no-lugar";
import { listarTodosOsBenchmarks, obterBenchmarks } from "@/lib/benchmarks";
import { comoErroApp } from "@/lib/errors";
import { IdsDeBenchmarks } from "@/lib/schemas/benchmark";

export const metadata: Metadata = { title: "Desempenho" };

type Busca = { ids?: string | string[]; prompt?: string; concorrencia?: string };

/** The value to show: the asked one when some run has it, else the smallest every run has, else the smallest. */
function escolher(valores: number[][], pedido: string | undefined): number | null {
  const todos = [...new Set(valores.flat())].sort((a, b) => a - b);
  const n = Number(pedido);
  if (todos.includes(n)) return n;
  return todos.find((v) => valores.every((vs) => vs.includes(v))) ?? todos[0] ?? null;
}

/** Links to choose one of a set of values, keeping the rest of the query. */
function Opcoes({ rotulo, valores, atual, href }: { rotulo: string; valores: number[]; atual: number; href: (v: number) => string }) {
  if (valores.length < 2) return null;
  return (
    <nav aria-label={rotulo} className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-700">{rotulo}:</span>
      {valores.map((v) => (
        <Link
          key={v}
          href={href(v)}
          aria-current={v === atual ? "page" : undefined}
          className={`rounded-full px-3 py-1 ring-1 ${v === atual ? "bg-sky-700 text-white ring-sky-700" : "ring-slate-300 hover:bg-slate-100"}`}
        >
          {v.toLocaleString("pt-BR")}
        </Link>
      ))}
    </nav>
  );
}

/** Every run of every provider; the chosen ones (?ids=1,2) on the same two charts and one table. */
export default async function PaginaComparacao({ searchParams }: { searchParams: Promise<Busca> }) {
  const busca = await searchParams;
  // "?ids=1,2" (the Comparar button), or "?ids=1&ids=2" (the form without JavaScript).
  const idsTexto = Array.isArray(busca.ids) ? busca.ids.join(",") : busca.ids;
  const todas = await listarTodosOsBenchmarks();
  let erro: string | null = null;
  let ids: number[] = [];
  if (idsTexto !== undefined) {
    const lidos = IdsDeBenchmarks.safeParse({ ids: idsTexto });
    if (lidos.success) ids = lidos.data.ids;
    else erro = lidos.error.issues[0]?.message ?? "ids inválidos.";
  }
  let escolhidas: ExecucaoComparada[] = [];
  if (ids.length) {
    try {
      escolhidas = await obterBenchmarks(ids);
    } catch (e) {
      erro = comoErroApp(e).message;
    }
  }
  const prompt = escolher(
    escolhidas.map((b) => b.celulas.map((c) => c.tokens_prompt)),
    busca.prompt,
  );
  const concorrencia = escolher(
    escolhidas.map((b) => b.celulas.map((c) => c.concorrencia)),
    busca.concorrencia,
  );
  const href = (mudar: Partial<Record<"prompt" | "concorrencia", number>>) => {
    const q = new URLSearchParams({ ids: ids.join(",") });
    const p = mudar.prompt ?? prompt;
    const c = mudar.concorrencia ?? concorrencia;
    if (p !== null) q.set("prompt", String(p));
    if (c !== null) q.set("concorrencia", String(c));
    return `/desempenho?${q.toString().replaceAll("%2C", ",")}`;
  };
  const valores = (f: (c: { tokens_prompt: number; concorrencia: number }) => number) =>
    [...new Set(escolhidas.flatMap((b) => b.celulas.map(f)))].sort((a, b) => a - b);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Desempenho</h1>
        <p className="text-sm text-slate-700">
          Compare execuções de desempenho de qualquer servidor: outros provedores, outros modelos, ou o mesmo antes e depois de uma mudança.
        </p>
      </div>
      <ErroNoLugar mensagem={erro} />
      {escolhidas.length && prompt !== null && concorrencia !== null ? (
        <section aria-labelledby="comparacao" className="space-y-4">
          <h2 id="comparacao" className="text-lg font-semibold">
            Comparação de {escolhidas.length} execução(ões)
          </h2>
          <Opcoes rotulo="Tamanho do prompt" valores={valores((c) => c.tokens_prompt)} atual={prompt} href={(v) => href({ prompt: v })} />
          <Opcoes
            rotulo="Concorrência"
            valores={valores((c) => c.concorrencia)}
            atual={concorrencia}
            href={(v) => href({ concorrencia: v })}
          />
          <GraficosComparacao execucoes={escolhidas} prompt={prompt} concorrencia={concorrencia} />
          <TabelaComparacao execucoes={escolhidas} />
        </section>
      ) : null}
      <section aria-labelledby="execucoes" className="space-y-2">
        <h2 id="execucoes" className="text-lg font-semibold">
          Execuções
        </h2>
        {todas.length ? (
          <>
            <p className="text-sm text-slate-600">Marque duas ou mais execuções e clique em Comparar.</p>
            <SeletorComparacao key={ids.join(",")} execucoes={todas} escolhidas={ids} />
          </>
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
            Nenhuma execução de desempenho ainda. Abra um servidor em{" "}
            <Link href="/provedores-llm" className="font-medium text-sky-800 underline">
              Provedores
            </Link>
            , vá à aba Desempenho, escolha um modelo e clique em Iniciar; depois volte aqui para comparar.
          </p>
        )}
      </section>
    </div>
  );
}
