import type { Metadata } from "next";
import { ReferenciaOpenAPI } from "@/components/referencia-openapi";
import { headers } from "next/headers";
import Link from "next/link";
import { BotaoCopiar } from "@/components/botao-copiar";
import { ExemplosDeUso } from "@/components/usar-pela-api/exemplos-de-uso";
import { ModelosRoteados } from "@/components/usar-pela-api/modelos-roteados";
import { listarModelosOpenAI } from "@/lib/gateway";
import { autenticacaoLigada } from "@/lib/seguranca/autenticacao";

export const metadata: Metadata = { title: "Usar pela API" };

export default async function PaginaUsarPelaApi() {
  const h = await headers();
  const protocolo = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  const raiz = `${protocolo}://${h.get("host") ?? "localhost:3000"}`;
  const base = `${raiz}/v1`;
  const comToken = autenticacaoLigada();
  const { data } = await listarModelosOpenAI();
  const roteados = data.filter((m) => !m.provedores_llm.fixo);
  const exemplo = roteados.find((m) => !m.provedores_llm.embedding)?.id ?? "nome-do-modelo";

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Usar pela API</h1>
        <p className="text-sm text-slate-700">
          Um endereço que alcança todos os modelos de todos os provedores ativos, na língua de cada cliente: a API da OpenAI (
          <code>/v1</code>), a da Anthropic (<code>/v1/messages</code>, para o Claude Code), a nativa do Ollama (<code>/api</code>, para o
          Open WebUI e plugins) e a Responses da OpenAI (<code>/v1/responses</code>).
        </p>
      </div>

      <dl className="grid gap-3 sm:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white p-3">
          <dt className="text-xs text-slate-600">URL base</dt>
          <dd className="mt-1 flex items-center gap-2">
            <code className="break-all text-sm font-semibold" data-testid="url-base">
              {base}
            </code>
            <BotaoCopiar texto={base} />
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-3">
          <dt className="text-xs text-slate-600">Endereço do app (Anthropic e Ollama)</dt>
          <dd className="mt-1 flex items-center gap-2">
            <code className="break-all text-sm font-semibold" data-testid="url-raiz">
              {raiz}
            </code>
            <BotaoCopiar texto={raiz} />
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-3">
          <dt className="text-xs text-slate-600">API key</dt>
          <dd className="mt-1 space-y-1 text-sm">
            <p>
              {comToken
                ? "Obrigatória: uma chave de acesso (pllm_…) ou o token de acesso deste servidor (AUTH_TOKEN)."
                : "Não é exigida enquanto não houver chaves de acesso: este servidor não tem AUTH_TOKEN. Depois da primeira, use uma chave (pllm_…)."}
            </p>
            <p>
              <Link href="/chaves/nova" className="font-medium text-sky-800 underline">
                Criar uma chave de acesso
              </Link>{" "}
              para cada programa ou pessoa: com escopo, limites e estatísticas próprias.
            </p>
          </dd>
        </div>
      </dl>

      <section aria-labelledby="modelos" className="space-y-2">
        <h2 id="modelos" className="text-lg font-semibold">
          Modelos que você pode usar agora
        </h2>
        <p className="text-sm text-slate-600">
          Use o id sozinho para ir a qualquer provedor que tenha o modelo (os que estão com ele carregado primeiro; se um falhar antes de
          responder, o próximo é tentado), ou <code>provedor/modelo</code> para fixar um provedor.
        </p>
        <ModelosRoteados modelos={roteados} />
      </section>

      <ExemplosDeUso raiz={raiz} modelo={exemplo} />
      <ReferenciaOpenAPI />
    </div>
  );
}
