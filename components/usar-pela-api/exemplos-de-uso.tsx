import Link from "next/link";
import { BotaoCopiar } from "../botao-copiar";
import { Abas } from "./abas";
import {
  type Destino,
  exportarChave,
  trechoContinue,
  trechosAnthropic,
  trechosOllama,
  trechosOpenAI,
  trechosResponses,
  VARIAVEL_DA_CHAVE,
} from "./trechos";

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

function Passos({ titulo, children }: { titulo: string; children: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <h3 className="font-semibold">{titulo}</h3>
      <ol className="mt-2 list-decimal space-y-1 pl-5">{children}</ol>
    </div>
  );
}

/** Reaching the app from Docker: the same note for every connection a container makes. */
function NotaDocker() {
  return (
    <li>
      Se a ferramenta roda em Docker, ela chega ao app por <code>host.docker.internal</code>: o app precisa escutar na rede (
      <code>HOST=0.0.0.0</code>, com <code>AUTH_TOKEN</code>) e ter esse nome em <code>ALLOWED_HOSTS</code>.
    </li>
  );
}

/**
 * "Exemplos": one tab per way in (OpenAI's /v1, Anthropic's Messages, Ollama's API, OpenAI's Responses, editor
 * plugins), each with setups filled in with this server's address and a model it lists; the key comes from the
 * environment (PROVEDORES_LLM_CHAVE), so a copied snippet carries no secret.
 */
export function ExemplosDeUso({ raiz, modelo }: { raiz: string; modelo: string }) {
  const destino: Destino = { raiz, modelo };
  const chaveEmTexto = "a sua chave de acesso (pllm_…)";
  const openai = trechosOpenAI(destino);
  const anthropic = trechosAnthropic(destino);
  const ollama = trechosOllama(destino);
  const responses = trechosResponses(destino);
  const abas = [
    {
      id: "openai",
      rotulo: "OpenAI (/v1)",
      conteudo: (
        <>
          <Trecho titulo="curl" codigo={openai.curl} />
          <Trecho titulo="JavaScript (pacote openai)" codigo={openai.js} />
          <Trecho titulo="Python (pacote openai)" codigo={openai.py} />
          <Passos titulo="Open WebUI (conexão OpenAI)">
            <li>Configurações do administrador → Conexões → API OpenAI → adicionar conexão.</li>
            <li>
              URL: <code>{`${raiz}/v1`}</code> · Chave: {chaveEmTexto}.
            </li>
            <NotaDocker />
          </Passos>
        </>
      ),
    },
    {
      id: "anthropic",
      rotulo: "Anthropic (/v1/messages)",
      conteudo: (
        <>
          <p className="text-sm text-slate-700">
            A API Messages da Anthropic em <code>{`${raiz}/v1/messages`}</code>: o Claude Code, os SDKs da Anthropic e os agentes feitos com
            eles. O modelo é um id da lista acima.
          </p>
          <Trecho titulo="Claude Code (variáveis de ambiente)" codigo={anthropic.claudeCode} />
          <Trecho titulo="curl" codigo={anthropic.curl} />
          <Trecho titulo="JavaScript (pacote @anthropic-ai/sdk)" codigo={anthropic.js} />
          <Trecho titulo="Python (pacote anthropic)" codigo={anthropic.py} />
        </>
      ),
    },
    {
      id: "ollama",
      rotulo: "Ollama (/api)",
      conteudo: (
        <>
          <p className="text-sm text-slate-700">
            A API nativa do Ollama na raiz do app (<code>{`${raiz}/api/…`}</code>), sobre qualquer tipo de servidor. Os modelos têm o nome
            no formato <code>nome:tag</code> (um modelo sem tag ganha <code>:latest</code>).
          </p>
          <Passos titulo="Open WebUI (conexão Ollama)">
            <li>Configurações do administrador → Conexões → API Ollama → adicionar conexão.</li>
            <li>
              URL: <code>{raiz}</code> · Chave: {chaveEmTexto}.
            </li>
            <NotaDocker />
          </Passos>
          <Trecho titulo="curl" codigo={ollama.curl} />
          <Trecho titulo="JavaScript (pacote ollama)" codigo={ollama.js} />
          <Trecho titulo="Python (pacote ollama)" codigo={ollama.py} />
        </>
      ),
    },
    {
      id: "responses",
      rotulo: "Responses (/v1/responses)",
      conteudo: (
        <>
          <p className="text-sm text-slate-700">
            A API Responses da OpenAI, sem estado guardado: envie a conversa inteira a cada chamada (<code>previous_response_id</code> é
            recusado).
          </p>
          <Trecho titulo="curl" codigo={responses.curl} />
          <Trecho titulo="JavaScript (pacote openai)" codigo={responses.js} />
          <Trecho titulo="Python (pacote openai)" codigo={responses.py} />
        </>
      ),
    },
    {
      id: "editores",
      rotulo: "Continue e editores",
      conteudo: (
        <>
          <p className="text-sm text-slate-700">
            No <code>config.yaml</code> do Continue (e em plugins de editor com os mesmos campos): o provedor <code>ollama</code> ou o{" "}
            <code>anthropic</code>, com <code>apiBase</code> apontando para este app.
          </p>
          <Trecho titulo="Continue (config.yaml)" codigo={trechoContinue(destino)} />
        </>
      ),
    },
  ];
  return (
    <section aria-labelledby="exemplos" className="space-y-3">
      <h2 id="exemplos" className="text-lg font-semibold">
        Exemplos
      </h2>
      <p className="text-sm text-slate-700" data-testid="nota-da-chave">
        Os trechos leem a chave de acesso da variável <code>{VARIAVEL_DA_CHAVE}</code>. Crie uma em{" "}
        <Link href="/chaves/nova" className="font-medium text-sky-800 underline">
          Nova chave
        </Link>{" "}
        e guarde-a no ambiente: <code>{exportarChave("pllm_…")}</code>
      </p>
      <Abas rotulo="Exemplos por porta de entrada" abas={abas} />
    </section>
  );
}
