import Link from "next/link";
import type { ChaveAcessoCriada } from "@/lib/schemas/chave";
import { BotaoCopiar } from "../botao-copiar";
import { classeBotao } from "../ui/botao";
import { exportarChave, trechosOpenAI } from "../usar-pela-api/trechos";
import { modeloDeExemplo, type OpcaoProvedor } from "./escopo";

/** A new key's secret, this once: copy it now (only its hash is kept), and how to use it. */
export function SegredoCriado({ chave, raiz, provedores }: { chave: ChaveAcessoCriada; raiz: string; provedores: OpcaoProvedor[] }) {
  const trecho = `${exportarChave(chave.chave)}\n\n${trechosOpenAI({ raiz, modelo: modeloDeExemplo(chave.modelos, provedores) }).curl}`;
  return (
    <section aria-labelledby="chave-criada" className="space-y-4 rounded-lg border border-emerald-300 bg-emerald-50 p-4">
      <h2 id="chave-criada" className="text-lg font-semibold text-emerald-900">
        Chave &quot;{chave.nome}&quot; criada
      </h2>
      <p className="text-sm font-medium text-amber-900">
        Copie a chave agora: ela não será mostrada de novo. O app guarda só um resumo (hash) dela; se você a perder, revogue esta e crie
        outra.
      </p>
      <div className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white p-3">
        <code className="min-w-0 break-all font-mono text-sm font-semibold" data-testid="segredo-da-chave">
          {chave.chave}
        </code>
        <BotaoCopiar texto={chave.chave} rotulo="Copiar chave" />
      </div>
      <div className="rounded-lg border border-slate-200 bg-white">
        <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
          <h3 className="text-sm font-semibold">Teste com curl</h3>
          <BotaoCopiar texto={trecho} />
        </div>
        <pre className="overflow-x-auto p-3 text-xs leading-relaxed">
          <code>{trecho}</code>
        </pre>
      </div>
      <p className="text-sm text-slate-700">
        Os exemplos de{" "}
        <Link href="/provedores-llm/api" className="font-medium text-sky-800 underline">
          Usar pela API
        </Link>{" "}
        leem a chave da mesma variável.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <Link href={`/chaves/${chave.id}`} className={classeBotao()}>
          Ver a chave
        </Link>
        <Link href="/chaves" className="text-sm text-slate-700 underline-offset-2 hover:underline">
          Voltar para a lista
        </Link>
      </div>
    </section>
  );
}
