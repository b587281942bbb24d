import Link from "next/link";

export default function NaoEncontrado() {
  return (
    <div className="space-y-3 py-12 text-center">
      <h1 className="text-xl font-semibold">Página não encontrada</h1>
      <p className="text-slate-600">O endereço não existe ou o provedor foi excluído.</p>
      <Link href="/provedores-llm" className="text-sky-700 underline">
        Voltar para a lista de provedores
      </Link>
    </div>
  );
}
