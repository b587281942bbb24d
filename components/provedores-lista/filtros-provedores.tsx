import Link from "next/link";
import { TIPOS_PROVEDOR } from "@/lib/schemas/tipo-e-status";
import { ROTULO_TIPO } from "../rotulos";
import { Botao } from "../ui/botao";
import { Campo } from "../ui/campo";

export type Filtros = { tipo?: string; ativo?: string; busca?: string };

/** Search and filters of the list, as a plain GET form (the URL keeps them); "Limpar" while any is set. */
export function FiltrosProvedores({ filtros, filtrando }: { filtros: Filtros; filtrando: boolean }) {
  return (
    <search>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <Campo rotulo="Buscar" tamanho="compacto" className="min-w-40 flex-1">
          {(a) => (
            <input
              {...a}
              name="busca"
              defaultValue={filtros.busca ?? ""}
              placeholder="Nome, descrição ou URL"
              className={`${a.className} w-full`}
            />
          )}
        </Campo>
        <Campo rotulo="Tipo" tamanho="compacto">
          {(a) => (
            <select {...a} name="tipo" defaultValue={filtros.tipo ?? ""}>
              <option value="">Todos</option>
              {TIPOS_PROVEDOR.map((t) => (
                <option key={t} value={t}>
                  {ROTULO_TIPO[t]}
                </option>
              ))}
            </select>
          )}
        </Campo>
        <Campo rotulo="Situação" tamanho="compacto">
          {(a) => (
            <select {...a} name="ativo" defaultValue={filtros.ativo ?? ""}>
              <option value="">Todos</option>
              <option value="true">Ativos</option>
              <option value="false">Inativos</option>
            </select>
          )}
        </Campo>
        <Botao type="submit" variante="secundario" tamanho="medio">
          Filtrar
        </Botao>
        {filtrando ? (
          <Link href="/provedores-llm" className="py-1.5 text-sm text-slate-600 underline">
            Limpar
          </Link>
        ) : null}
      </form>
    </search>
  );
}
