import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { autenticacaoLigada, destinoSeguro } from "@/lib/seguranca/autenticacao";
import { FormularioLogin } from "./formulario-login";

export const metadata: Metadata = { title: "Entrar" };

export default async function PaginaLogin({ searchParams }: { searchParams: Promise<{ proximo?: string }> }) {
  const { proximo } = await searchParams;
  if (!autenticacaoLigada()) redirect(destinoSeguro(proximo));
  return (
    <div className="mx-auto max-w-sm space-y-4 py-8">
      <h1 className="text-2xl font-semibold">Entrar</h1>
      <p className="text-sm text-slate-600">Este servidor exige o token de acesso definido em AUTH_TOKEN.</p>
      <FormularioLogin proximo={destinoSeguro(proximo)} />
    </div>
  );
}
