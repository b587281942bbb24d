import type { Metadata } from "next";
import { AbasProvedor } from "@/components/abas-provedor";
import { PainelTeste } from "@/components/painel-teste";
import { Playground } from "@/components/playground/playground";
import { FilaAoVivo } from "@/components/fila-ao-vivo";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { lerModelosEmCache } from "@/lib/provedores";
import { provedorDaPagina } from "../provedor-da-pagina";

export const metadata: Metadata = { title: "Testar provedor" };

export default async function PaginaTestar({ params }: { params: Promise<{ id: string }> }) {
  const p = await provedorDaPagina(params);
  const { modelos } = await lerModelosEmCache(p.id);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{p.nome}</h1>
        <StatusAoVivo id={p.id} inicial={p.status} />
        <FilaAoVivo id={p.id} />
      </div>
      <AbasProvedor id={p.id} atual="testar" />
      <PainelTeste id={p.id} timeoutSegundos={p.timeout_segundos} />
      {p.ativo ? (
        <Playground id={p.id} modelos={modelos.map((m) => m.modelo)} modeloPadrao={p.modelo_padrao} />
      ) : (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">Este provedor está inativo: ative-o para enviar prompts.</p>
      )}
    </div>
  );
}
