import Link from "next/link";
import { TIPOS_PROVEDOR } from "@/lib/schemas/tipo-e-status";
import { ROTULO_TIPO } from "../rotulos";

export type Filtros = { tipo?: string; ativo?: string; busca?: string };

const CLASSE_ROTULO = "block text-xs font-medium text-slate-600";
const CLASSE_CONTROLE = "mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** Search and filters of the list, as a plain GET form (the URL keeps them); "Limpar" while any is set. */
export function FiltrosProvedores({ filtros, filtrando }: { filtros: Filtros; filtrando: boolean }) {
  return (
    <search>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <div className="min-w-40 flex-1">
          <label htmlFor="busca" className={CLASSE_ROTULO}>
            Buscar
          </label>
          <input
            id="busca"
            name="busca"
            defaultValue={filtros.busca ?? ""}
            placeholder="Nome, descrição ou URL"
            className={`${CLASSE_CONTROLE} w-full`}
          />
        </div>
        <div>
          <label htmlFor="tipo" className={CLASSE_ROTULO}>
            Tipo
          </label>
          <select id="tipo" name="tipo" defaultValue={filtros.tipo ?? ""} className={CLASSE_CONTROLE}>
            <option value="">Todos</option>
            {TIPOS_PROVEDOR.map((t) => (
              <option key={t} value={t}>
                {ROTULO_TIPO[t]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="ativo" className={CLASSE_ROTULO}>
            Situação
          </label>
          <select id="ativo" name="ativo" defaultValue={filtros.ativo ?? ""} className={CLASSE_CONTROLE}>
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
  );
}
