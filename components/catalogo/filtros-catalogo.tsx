import Link from "next/link";
import { TIPOS_PROVEDOR } from "@/lib/schemas/tipo-e-status";
import { ROTULO_TIPO } from "../rotulos";
import { Botao } from "../ui/botao";
import { Campo } from "../ui/campo";

export type FiltrosDaPagina = { q?: string; carregado?: string; tipo?: string; capacidade?: string };

export const ROTULO_CAPACIDADE: Record<string, string> = {
  chat: "Chat",
  embeddings: "Embeddings",
  visao: "Visão",
  ferramentas: "Ferramentas",
};

/** The catalogue's filters as a plain GET form (the URL keeps them, no script needed); "Limpar" while any is set. */
export function FiltrosCatalogo({ filtros, filtrando }: { filtros: FiltrosDaPagina; filtrando: boolean }) {
  return (
    <search>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <Campo rotulo="Buscar" tamanho="compacto" className="min-w-40 flex-1">
          {(a) => (
            <input
              {...a}
              name="q"
              defaultValue={filtros.q ?? ""}
              placeholder="Id, família, quantização ou servidor"
              className={`${a.className} w-full`}
            />
          )}
        </Campo>
        <Campo rotulo="Carregado" tamanho="compacto">
          {(a) => (
            <select {...a} name="carregado" defaultValue={filtros.carregado ?? ""}>
              <option value="">Todos</option>
              <option value="true">Só carregados</option>
              <option value="false">Não carregados</option>
            </select>
          )}
        </Campo>
        <Campo rotulo="Tipo de servidor" tamanho="compacto">
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
        <Campo rotulo="Capacidade" tamanho="compacto">
          {(a) => (
            <select {...a} name="capacidade" defaultValue={filtros.capacidade ?? ""}>
              <option value="">Todas</option>
              {Object.entries(ROTULO_CAPACIDADE).map(([valor, rotulo]) => (
                <option key={valor} value={valor}>
                  {rotulo}
                </option>
              ))}
            </select>
          )}
        </Campo>
        <Botao type="submit" variante="secundario" tamanho="medio">
          Filtrar
        </Botao>
        {filtrando ? (
          <Link href="/modelos" className="py-1.5 text-sm text-slate-600 underline">
            Limpar
          </Link>
        ) : null}
      </form>
    </search>
  );
}
