import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AbasProvedor } from "@/components/abas-provedor";
import { BotaoExcluirBenchmark } from "@/components/desempenho/botao-excluir-benchmark";
import { VisaoBenchmark } from "@/components/desempenho/visao-benchmark";
import { dataHora } from "@/components/rotulos";
import { obterBenchmark } from "@/lib/benchmarks";
import { ErroApp } from "@/lib/errors";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { provedorDaPagina } from "../../provedor-da-pagina";

export const metadata: Metadata = { title: "Execução de desempenho" };

/** The run of the page's [bid], or the 404 page for an unknown or malformed one. */
async function execucaoDaPagina(provedorId: number, bid: string): Promise<Benchmark> {
  if (!/^\d+$/.test(bid)) notFound();
  try {
    return await obterBenchmark(provedorId, Number(bid));
  } catch (e) {
    if (e instanceof ErroApp && e.codigo === "nao_encontrado") notFound();
    throw e;
  }
}

/** One run: live while it runs, then its charts, cells and the server as it was. */
export default async function PaginaExecucao({ params }: { params: Promise<{ id: string; bid: string }> }) {
  const p = await provedorDaPagina(params);
  const b = await execucaoDaPagina(p.id, (await params).bid);
  const voltar = `/provedores-llm/${p.id}/desempenho`;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">
        Execução #{b.id} de {p.nome}
      </h1>
      <AbasProvedor id={p.id} atual="desempenho" />
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
        <span>Iniciada em {dataHora(new Date(b.criado_em))}</span>
        {b.concluido_em ? <span>· terminada em {dataHora(new Date(b.concluido_em))}</span> : null}
        <Link href={voltar} className="font-medium text-sky-800 hover:underline">
          Voltar ao histórico
        </Link>
        <Link href={`/desempenho?ids=${b.id}`} className="font-medium text-sky-800 hover:underline">
          Comparar com outras
        </Link>
        {b.estado === "executando" ? null : <BotaoExcluirBenchmark provedorId={p.id} bid={b.id} depois={voltar} />}
      </div>
      <VisaoBenchmark inicial={b} />
    </div>
  );
}
