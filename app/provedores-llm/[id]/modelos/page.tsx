import type { Metadata } from "next";
import { AbasProvedor } from "@/components/abas-provedor";
import { FilaAoVivo } from "@/components/fila-ao-vivo";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { TabelaModelos } from "@/components/modelos/tabela-modelos";
import { lerModelosEmCache, listarDownloads } from "@/lib/provedores";
import { provedorDaPagina } from "../provedor-da-pagina";

export const metadata: Metadata = { title: "Modelos" };

export default async function PaginaModelos({ params }: { params: Promise<{ id: string }> }) {
  const p = await provedorDaPagina(params);
  const [lista, downloads] = await Promise.all([lerModelosEmCache(p.id), listarDownloads(p.id)]);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Modelos de {p.nome}</h1>
        <StatusAoVivo id={p.id} inicial={p.status} />
        <FilaAoVivo id={p.id} />
      </div>
      <AbasProvedor id={p.id} atual="modelos" />
      <TabelaModelos id={p.id} tipo={p.tipo} inicial={lista} downloads={downloads} />
    </div>
  );
}
