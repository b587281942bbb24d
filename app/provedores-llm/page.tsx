import type { Metadata } from "next";
import Link from "next/link";
import { DescobrirServidores } from "@/components/descobrir-servidores";
import { connection } from "next/server";
import { BadgeAtivo } from "@/components/badge-status";
import { BotaoAtivo } from "@/components/botao-ativo";
import { BotaoExcluir } from "@/components/botao-excluir";
import { ROTULO_TIPO } from "@/components/rotulos";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { TIPOS_PROVEDOR } from "@/lib/schemas/tipo-e-status";
import { comoErroApp } from "@/lib/errors";
import { listarProvedores } from "@/lib/provedores";
import type { ProvedorLLM } from "@/lib/schemas/provedor";

export const metadata: Metadata = { title: "Provedores" };

type Filtros = { tipo?: string; ativo?: string; busca?: string };

export default async function PaginaProvedores({ searchParams }: { searchParams: Promise<Filtros> }) {
  await connection();
  const filtros = await searchParams;
  const filtrando = Boolean(filtros.tipo || filtros.ativo || filtros.busca);
  let provedores: ProvedorLLM[] = [];
  let erroFiltro: string | null = null;
  try {
    provedores = await listarProvedores(Object.fromEntries(Object.entries(filtros).filter(([, v]) => v)));
  } catch (e) {
    erroFiltro = comoErroApp(e).message;
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Provedores</h1>
        <Link href="/provedores-llm/novo" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800">
          Novo provedor
        </Link>
      </div>
      <DescobrirServidores />

      <search>
        <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
          <div className="min-w-40 flex-1">
            <label htmlFor="busca" className="block text-xs font-medium text-slate-600">
              Buscar
            </label>
            <input
              id="busca"
              name="busca"
              defaultValue={filtros.busca ?? ""}
              placeholder="Nome, descrição ou URL"
              className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
          </div>
          <div>
            <label htmlFor="tipo" className="block text-xs font-medium text-slate-600">
              Tipo
            </label>
            <select
              id="tipo"
              name="tipo"
              defaultValue={filtros.tipo ?? ""}
              className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              <option value="">Todos</option>
              {TIPOS_PROVEDOR.map((t) => (
                <option key={t} value={t}>
                  {ROTULO_TIPO[t]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="ativo" className="block text-xs font-medium text-slate-600">
              Situação
            </label>
            <select
              id="ativo"
              name="ativo"
              defaultValue={filtros.ativo ?? ""}
              className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              <option value="">Todos</option>
              <option value="true">Ativos</option>
              <option value="false">Inativos</option>
            </select>
          </div>
          <button type="submit" className="rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50">
            Filtrar
          </button>
          {filtrando ? (
            <Link href="/provedores-llm" className="py-1.5 text-sm text-slate-600 underline">
              Limpar
            </Link>
          ) : null}
        </form>
      </search>

      {erroFiltro ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {erroFiltro}
        </p>
      ) : null}

      {!erroFiltro && provedores.length === 0 ? (
        filtrando ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">
            Nenhum provedor corresponde aos filtros.
          </p>
        ) : (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
            <h2 className="text-lg font-semibold">Nenhum provedor cadastrado ainda</h2>
            <p className="mx-auto mt-2 max-w-prose text-sm text-slate-600">
              Cadastre o servidor LLM que você roda — LM Studio (porta 1234), llama.cpp / llama-server (8080), Ollama (11434) ou qualquer
              servidor compatível com a API da OpenAI — para ver se está no ar, quais modelos ele tem e testar um prompt.
            </p>
            <Link
              href="/provedores-llm/novo"
              className="mt-4 inline-block rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800"
            >
              Cadastrar o primeiro provedor
            </Link>
          </div>
        )
      ) : null}

      {provedores.length > 0 ? (
        <ul
          className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white"
          aria-label="Provedores cadastrados"
        >
          {provedores.map((p) => (
            <li key={p.id} className="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between" data-provedor={p.nome}>
              <div className="min-w-0">
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={`/provedores-llm/${p.id}/detalhes`} className="font-medium text-slate-900 hover:underline">
                    {p.nome}
                  </Link>
                  <span className="text-xs text-slate-500">{ROTULO_TIPO[p.tipo]}</span>
                  <StatusAoVivo id={p.id} inicial={p.status} />
                  <BadgeAtivo ativo={p.ativo} />
                </div>
                <p className="mt-1 truncate font-mono text-xs text-slate-600">{p.base_url}</p>
              </div>
              <div className="flex shrink-0 flex-wrap items-center gap-1">
                <Link
                  href={`/provedores-llm/${p.id}/testar`}
                  className="rounded-md px-2 py-1 text-sm font-medium text-sky-800 hover:bg-sky-50"
                  aria-label={`Testar ${p.nome}`}
                >
                  Testar
                </Link>
                <Link
                  href={`/provedores-llm/${p.id}/editar`}
                  className="rounded-md px-2 py-1 text-sm font-medium text-sky-800 hover:bg-sky-50"
                  aria-label={`Editar ${p.nome}`}
                >
                  Editar
                </Link>
                <BotaoAtivo id={p.id} nome={p.nome} ativo={p.ativo} />
                <BotaoExcluir id={p.id} nome={p.nome} />
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
