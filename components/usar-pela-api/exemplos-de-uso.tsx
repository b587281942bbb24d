import { BotaoCopiar } from "../botao-copiar";

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

/** The snippets, filled in with this server's address, its key (or none) and a model it has. */
function trechos(base: string, chave: string, modelo: string) {
  const curl = `curl ${base}/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${chave}" \\
  -d '{"model": "${modelo}", "messages": [{"role": "user", "content": "Olá!"}]}'`;
  const js = `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base}", apiKey: "${chave}" });
const resposta = await client.chat.completions.create({
  model: "${modelo}",
  messages: [{ role: "user", content: "Olá!" }],
});
console.log(resposta.choices[0].message.content);`;
  const py = `from openai import OpenAI

client = OpenAI(base_url="${base}", api_key="${chave}")
resposta = client.chat.completions.create(
    model="${modelo}",
    messages=[{"role": "user", "content": "Olá!"}],
)
print(resposta.choices[0].message.content)`;
  return { curl, js, py };
}

/** "Exemplos": curl, the JavaScript and Python SDKs, and how to point Open WebUI here. */
export function ExemplosDeUso({ base, comToken, modelo }: { base: string; comToken: boolean; modelo: string }) {
  const { curl, js, py } = trechos(base, comToken ? "SEU_AUTH_TOKEN" : "sem-chave", modelo);
  return (
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
  );
}
