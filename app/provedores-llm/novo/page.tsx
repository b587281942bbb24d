import type { Metadata } from "next";
import { FormularioProvedor } from "@/components/provedor-formulario/formulario-provedor";
import { limitesAutomaticos } from "@/lib/provedores/limite-em-vigor";

export const metadata: Metadata = { title: "Novo provedor" };

export default function PaginaNovoProvedor() {
  return (
    <div className="max-w-2xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Novo provedor</h1>
        <p className="mt-1 text-sm text-slate-600">Escolha o tipo: a URL padrão dele é preenchida para você.</p>
      </div>
      <FormularioProvedor modo="criar" automaticos={limitesAutomaticos(null)} />
    </div>
  );
}
