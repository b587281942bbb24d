import type { AcaoModeloGerenciada, ListaModelos, ModeloLLM } from "@/lib/schemas/llm";
import { tamanho } from "../formatos";
import { AcoesModelo } from "./acoes-modelo";
import type { ModeloOcupado } from "./use-modelos-do-provedor";

const EM_ANDAMENTO: Record<AcaoModeloGerenciada, string> = {
  carregar: "carregando…",
  descarregar: "descarregando…",
  excluir: "excluindo…",
};

const numero = (n: unknown) => (typeof n === "number" ? n.toLocaleString("pt-BR") : null);

function carregado(m: ModeloLLM): string {
  if (m.carregado === null) return "—";
  if (!m.carregado) return "Não";
  const vram = typeof m.detalhes?.vram_bytes === "number" && m.detalhes.vram_bytes > 0 ? m.detalhes.vram_bytes : null;
  return vram ? `Sim · ${tamanho(vram)} na GPU` : "Sim";
}

// The window a loaded model runs with is often smaller than the one it was trained for.
const emUso = (m: ModeloLLM) => (m.detalhes?.contexto_carregado !== m.contexto_max ? numero(m.detalhes?.contexto_carregado) : null);

type Props = {
  modelo: ModeloLLM;
  acoes: ListaModelos["acoes"];
  /** Whether the table has an "Ações" column. */
  comAcoes: boolean;
  ocupado: ModeloOcupado | null;
  aoGerenciar: (acao: AcaoModeloGerenciada, modelo: string) => Promise<void>;
};

/** One model: what the server says about it, whether it is loaded (or what is being done to it), and its actions. */
export function LinhaModelo({ modelo: m, acoes, comAcoes, ocupado, aoGerenciar }: Props) {
  return (
    <tr>
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
      {comAcoes ? (
        <td className="whitespace-nowrap px-3 py-2">
          <AcoesModelo modelo={m} acoes={acoes} bloqueado={ocupado !== null} aoGerenciar={aoGerenciar} />
        </td>
      ) : null}
    </tr>
  );
}
