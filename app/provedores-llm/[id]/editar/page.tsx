import type { Metadata } from "next";
import { AbasProvedor } from "@/components/abas-provedor";
import { FormularioProvedor } from "@/components/provedor-formulario/formulario-provedor";
import { limitesAutomaticos } from "@/lib/provedores/limite-em-vigor";
import { provedorDaPagina } from "../provedor-da-pagina";

export const metadata: Metadata = { title: "Editar provedor" };

export default async function PaginaEditarProvedor({ params }: { params: Promise<{ id: string }> }) {
  const provedor = await provedorDaPagina(params);
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">Editar &quot;{provedor.nome}&quot;</h1>
      <AbasProvedor id={provedor.id} atual="editar" />
      <FormularioProvedor modo="editar" provedor={provedor} automaticos={limitesAutomaticos(provedor)} />
    </div>
  );
}
