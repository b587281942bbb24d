"use client";

import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import type { DownloadModelo, ListaModelos } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "../cabecalho-tabela";
import { BarraAtualizacao } from "./barra-atualizacao";
import { LinhaModelo } from "./linha-modelo";
import { PainelDownloads } from "./painel-downloads";
import { useModelosDoProvedor } from "./use-modelos-do-provedor";

const COLUNAS = ["Modelo", "Tamanho", "Família", "Parâmetros", "Quantização", "Contexto", "Carregado"].map((rotulo) => ({ rotulo }));

/**
 * The cached models with a refresh button (a failed refresh keeps the list and says it may be old), and
 * the actions this server supports on each row: load, unload, delete (after a confirmation).
 */
export function TabelaModelos({
  id,
  tipo,
  inicial,
  downloads,
}: {
  id: number;
  tipo: TipoProvedor;
  inicial: ListaModelos;
  downloads: DownloadModelo[];
}) {
  const { lista, atualizar, atualizando, gerenciar, ocupado, recarregar } = useModelosDoProvedor(id, inicial);
  const { acoes } = lista;
  const comAcoes = acoes.carregar || acoes.descarregar || acoes.excluir;

  return (
    <div className="space-y-3">
      <BarraAtualizacao atualizadoEm={lista.atualizado_em} atualizando={atualizando} aoAtualizar={atualizar} />
      {acoes.motivo ? <p className="text-sm text-slate-600">{acoes.motivo}</p> : null}
      <PainelDownloads id={id} tipo={tipo} acoes={acoes} iniciais={downloads} aoConcluir={recarregar} />
      {lista.desatualizado ? (
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Mostrando a lista em cache, que pode estar desatualizada. {lista.erro?.mensagem}
        </p>
      ) : null}
      {lista.modelos.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
          Nenhum modelo em cache. Clique em &quot;Atualizar lista&quot; para perguntar ao servidor.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <CabecalhoTabela maiusculas colunas={comAcoes ? [...COLUNAS, { rotulo: "Ações" }] : COLUNAS} />
            <tbody className="divide-y divide-slate-100">
              {lista.modelos.map((m) => (
                <LinhaModelo key={m.modelo} modelo={m} acoes={acoes} comAcoes={comAcoes} ocupado={ocupado} aoGerenciar={gerenciar} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
