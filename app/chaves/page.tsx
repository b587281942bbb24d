import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { LinhaChave } from "@/components/chaves/linha-chave";
import { SemChaves } from "@/components/chaves/sem-chaves";
import { classeBotao } from "@/components/ui/botao";
import { listarChaves } from "@/lib/chaves";
import { tokensDeHojeDaChave } from "@/lib/estatisticas/tokens-de-hoje-da-chave";
import { listarProvedores } from "@/lib/provedores";

export const metadata: Metadata = { title: "Chaves de acesso" };

export default async function PaginaChaves() {
  await connection();
  const [chaves, provedores] = await Promise.all([listarChaves(), listarProvedores()]);
  // A revoked key spends nothing today: no need to count it.
  const hoje = await Promise.all(chaves.map((c) => (c.revogada_em ? null : tokensDeHojeDaChave(c.id))));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Chaves de acesso</h1>
        <Link href="/chaves/nova" className={classeBotao()}>
          Nova chave
        </Link>
      </div>
      <p className="max-w-prose text-sm text-slate-600">
        Cada programa ou pessoa com a sua chave: ela abre só as portas de modelos, dentro do escopo e dos limites dela, e o uso dela é
        contado à parte.
      </p>
      {chaves.length === 0 ? (
        <SemChaves />
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Chaves de acesso">
          {chaves.map((c, i) => (
            <LinhaChave key={c.id} chave={c} provedores={provedores} tokensHoje={hoje[i] ?? null} />
          ))}
        </ul>
      )}
    </div>
  );
}
