import type { Metadata } from "next";
import { ReferenciaOpenAPI } from "@/components/referencia-openapi";
import { headers } from "next/headers";
import Link from "next/link";
import { BotaoCopiar } from "@/components/botao-copiar";
import { listarModelosOpenAI } from "@/lib/gateway";
import { autenticacaoLigada } from "@/lib/seguranca/autenticacao";

export const metadata: Metadata = { title: "Usar pela API" };

function Trecho({ titulo, codigo }: { titulo: string; codigo: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
        <h3 className="text-sm font-semibold">{titulo}</h3>
        <BotaoCopiar texto={codigo} />
      </div>
      <pre className="overflow-x-auto p-3 text-xs leading-relaxed">
        <code>{codigo}</code>
      </pre>
    </div>
  );
}

export default async function PaginaUsarPelaApi() {
  const h = await headers();
  const protocolo = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  const base = `${protocolo}://${h.get("host") ?? "localhost:3000"}/v1`;
  const comToken = autenticacaoLigada();
  const chave = comToken ? "SEU_AUTH_TOKEN" : "sem-chave";
  const { data } = await listarModelosOpenAI();
  const roteados = data.filter((m) => !m.provedores_llm.fixo);
  const exemplo = roteados.find((m) => !m.provedores_llm.embedding)?.id ?? "nome-do-modelo";

  const curl = `curl ${base}/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${chave}" \\
  -d '{"model": "${exemplo}", "messages": [{"role": "user", "content": "Olá!"}]}'`;
  const js = `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base}", apiKey: "${chave}" });
const resposta = await client.chat.completions.create({
  model: "${exemplo}",
  messages: [{ role: "user", content: "Olá!" }],
});
console.log(resposta.choices[0].message.content);`;
  const py = `from openai import OpenAI

client = OpenAI(base_url="${base}", api_key="${chave}")
resposta = client.chat.completions.create(
    model="${exemplo}",
    messages=[{"role": "user", "content": "Olá!"}],
)
print(resposta.choices[0].message.content)`;

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Usar pela API</h1>
        <p className="text-sm text-slate-700">
          Um endereço compatível com a API da OpenAI que alcança todos os modelos de todos os provedores ativos. Aponte para ele qualquer
          ferramenta que fale OpenAI (SDKs, Open WebUI, Continue, LangChain, curl).
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
          <dt className="text-xs text-slate-600">API key</dt>
          <dd className="mt-1 text-sm">
            {comToken
              ? "Obrigatória: use o token de acesso deste servidor (AUTH_TOKEN)."
              : "Não é exigida: este servidor não tem AUTH_TOKEN. Os SDKs pedem uma chave; qualquer valor serve."}
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
        {roteados.length ? (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Id
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Provedores (id fixo)
                  </th>
                </tr>
              </thead>
              <tbody>
                {roteados.map((m) => (
                  <tr key={m.id} className="border-t border-slate-100 align-top">
                    <th scope="row" className="px-3 py-2 text-left font-mono font-normal">
                      {m.id}
                      {m.provedores_llm.embedding ? (
                        <span className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-800">embeddings</span>
                      ) : null}
                    </th>
                    <td className="px-3 py-2">
                      <ul className="space-y-1">
                        {m.provedores_llm.provedores.map((p) => (
                          <li key={p.id}>
                            <Link href={`/provedores-llm/${p.id}/detalhes`} className="text-sky-800 hover:underline">
                              {p.nome}
                            </Link>
                            {p.carregado ? <span className="ml-1 text-xs text-emerald-700">(carregado)</span> : null}
                            <span className="ml-2 font-mono text-xs text-slate-500">{`${p.slug}/${m.id}`}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
            Nenhum modelo conhecido ainda. Cadastre um provedor e clique em &quot;Testar conexão&quot; para carregar a lista dele.
          </p>
        )}
      </section>

      <section aria-labelledby="exemplos" className="space-y-3">
        <h2 id="exemplos" className="text-lg font-semibold">
          Exemplos
        </h2>
        <Trecho titulo="curl" codigo={curl} />
        <Trecho titulo="JavaScript (pacote openai)" codigo={js} />
        <Trecho titulo="Python (pacote openai)" codigo={py} />
        <div className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
          <h3 className="font-semibold">Open WebUI</h3>
          <ol className="mt-2 list-decimal space-y-1 pl-5">
            <li>Configurações do administrador → Conexões → API OpenAI → adicionar conexão.</li>
            <li>
              URL: <code>{base}</code> · Chave: {comToken ? "o seu AUTH_TOKEN" : "qualquer valor"}.
            </li>
            <li>
              Se o Open WebUI roda em Docker, ele chega ao app por <code>host.docker.internal</code>: o app precisa escutar na rede (
              <code>HOST=0.0.0.0</code>, com <code>AUTH_TOKEN</code>) e ter esse nome em <code>ALLOWED_HOSTS</code>.
            </li>
          </ol>
        </div>
      </section>
      <ReferenciaOpenAPI />
    </div>
  );
}
