"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, useTransition } from "react";
import { atualizarModelosAcao, gerenciarModeloAcao, modelosEmCacheAcao } from "@/app/provedores-llm/actions";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import type { DownloadModelo, ListaModelos, ModeloLLM } from "@/lib/schemas/llm";
import { BotaoComConfirmacao } from "./botao-com-confirmacao";
import { CabecalhoTabela } from "./cabecalho-tabela";
import { ouvirMonitor } from "./monitor-ao-vivo";
import { tamanho } from "./formatos";
import { PainelDownloads } from "./painel-downloads";
import { dataHora } from "./rotulos";
import { useAviso } from "./toast";

const EM_ANDAMENTO = { carregar: "carregando…", descarregar: "descarregando…", excluir: "excluindo…" } as const;
const FEITO = { carregar: "carregado", descarregar: "descarregado", excluir: "excluído" } as const;

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
  const [lista, setLista] = useState(inicial);
  const [pendente, iniciar] = useTransition();
  const router = useRouter();
  const avisar = useAviso();

  const atualizar = () =>
    iniciar(async () => {
      const r = await atualizarModelosAcao(id);
      if (!r.ok) return avisar(r.mensagem, "erro");
      setLista(r.dados);
      if (r.dados.erro) avisar(`Não foi possível atualizar: ${r.dados.erro.mensagem}`, "erro");
      else avisar(`Lista atualizada: ${r.dados.modelos.length} modelo(s).`);
      router.refresh();
    });

  const [ocupado, setOcupado] = useState<{ modelo: string; acao: keyof typeof EM_ANDAMENTO } | null>(null);
  const gerenciar = async (acao: keyof typeof EM_ANDAMENTO, modelo: string) => {
    setOcupado({ modelo, acao });
    const r = await gerenciarModeloAcao(id, acao, { modelo });
    setOcupado(null);
    if (!r.ok) return avisar(r.mensagem, "erro");
    setLista(r.dados);
    avisar(`Modelo "${modelo}" ${FEITO[acao]}.`);
    router.refresh();
  };
  const { acoes } = lista;
  // A finished download has refreshed the cache already: read it.
  const recarregar = useCallback(async () => {
    const r = await modelosEmCacheAcao(id);
    if (r.ok) setLista(r.dados);
  }, [id]);
  // The monitor saw the server load or unload a model (another client, Ollama's keep_alive running out): reread.
  useEffect(
    () =>
      ouvirMonitor({
        modelos: (e) => {
          if (e.provedor_id === id) void recarregar();
        },
      }),
    [id, recarregar],
  );
  const temAcoes = acoes.carregar || acoes.descarregar || acoes.excluir;

  const carregado = (m: ModeloLLM) => {
    if (m.carregado === null) return "—";
    if (!m.carregado) return "Não";
    const vram = typeof m.detalhes?.vram_bytes === "number" && m.detalhes.vram_bytes > 0 ? m.detalhes.vram_bytes : null;
    return vram ? `Sim · ${tamanho(vram)} na GPU` : "Sim";
  };
  const numero = (n: unknown) => (typeof n === "number" ? n.toLocaleString("pt-BR") : null);
  // The window a loaded model runs with is often smaller than the one it was trained for.
  const emUso = (m: ModeloLLM) => (m.detalhes?.contexto_carregado !== m.contexto_max ? numero(m.detalhes?.contexto_carregado) : null);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          Última atualização: <strong>{lista.atualizado_em ? dataHora(new Date(lista.atualizado_em)) : "nunca"}</strong>
        </p>
        <button
          type="button"
          onClick={atualizar}
          disabled={pendente}
          className="rounded-md px-3 py-2 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-60"
        >
          {pendente ? "Atualizando…" : "Atualizar lista"}
        </button>
      </div>
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
            <CabecalhoTabela
              maiusculas
              colunas={[
                { rotulo: "Modelo" },
                { rotulo: "Tamanho" },
                { rotulo: "Família" },
                { rotulo: "Parâmetros" },
                { rotulo: "Quantização" },
                { rotulo: "Contexto" },
                { rotulo: "Carregado" },
                ...(temAcoes ? [{ rotulo: "Ações" }] : []),
              ]}
            />
            <tbody className="divide-y divide-slate-100">
              {lista.modelos.map((m) => (
                <tr key={m.modelo}>
                  <td className="px-3 py-2 font-mono text-xs">{m.modelo}</td>
                  <td className="px-3 py-2">{tamanho(m.tamanho_bytes)}</td>
                  <td className="px-3 py-2">{m.familia ?? "—"}</td>
                  <td className="px-3 py-2">{m.parametros ?? "—"}</td>
                  <td className="px-3 py-2">{m.quantizacao ?? "—"}</td>
                  <td className="px-3 py-2">
                    {numero(m.contexto_max) ?? "—"}
                    {emUso(m) ? <span className="block text-xs text-slate-500">em uso: {emUso(m)}</span> : null}
                  </td>
                  <td className="px-3 py-2">
                    {ocupado?.modelo === m.modelo ? (
                      <span role="status" className="text-slate-600">
                        {EM_ANDAMENTO[ocupado.acao]}
                      </span>
                    ) : (
                      carregado(m)
                    )}
                  </td>
                  {temAcoes ? (
                    <td className="whitespace-nowrap px-3 py-2">
                      {acoes.carregar && m.carregado !== true ? (
                        <button
                          type="button"
                          disabled={ocupado !== null}
                          onClick={() => gerenciar("carregar", m.modelo)}
                          aria-label={`Carregar ${m.modelo}`}
                          className="rounded-md px-2 py-1 text-sm font-medium text-sky-700 hover:bg-sky-50 disabled:opacity-50"
                        >
                          Carregar
                        </button>
                      ) : null}
                      {acoes.descarregar && m.carregado === true ? (
                        <button
                          type="button"
                          disabled={ocupado !== null}
                          onClick={() => gerenciar("descarregar", m.modelo)}
                          aria-label={`Descarregar ${m.modelo}`}
                          className="rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-50"
                        >
                          Descarregar
                        </button>
                      ) : null}
                      {acoes.excluir ? (
                        <BotaoComConfirmacao
                          rotulo="Excluir"
                          ariaLabel={`Excluir ${m.modelo}`}
                          titulo={`Excluir "${m.modelo}" do servidor?`}
                          texto="O arquivo do modelo será apagado do servidor; para usá-lo de novo será preciso baixá-lo outra vez."
                          confirmar="Excluir modelo"
                          confirmando="Excluindo…"
                          aoConfirmar={() => gerenciar("excluir", m.modelo)}
                        />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
