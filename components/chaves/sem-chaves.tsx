import Link from "next/link";
import { classeBotao } from "../ui/botao";

/** No key yet: what one is for, and where to create it. */
export function SemChaves() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <h2 className="text-lg font-semibold">Nenhuma chave de acesso ainda</h2>
      <p className="mx-auto mt-2 max-w-prose text-sm text-slate-600">
        Uma chave de acesso deixa um programa, um colega ou alguém da família usar os seus modelos pela API (<code>/v1</code> e as outras
        portas) sem receber o seu token de administrador: ela não abre esta interface nem a API de gerenciamento, pode ficar restrita a
        alguns provedores, modelos e portas, ter limites de uso, e o uso dela aparece nas estatísticas com o nome dela.
      </p>
      <Link href="/chaves/nova" className={`mt-4 inline-block ${classeBotao()}`}>
        Nova chave
      </Link>
    </div>
  );
}
