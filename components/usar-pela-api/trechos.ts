/** Where the snippets point: the app's root (`http://maquina:3000`) and a model it lists. */
export type Destino = { raiz: string; modelo: string };

/**
 * The environment variable every snippet reads the access key from (created on /chaves/nova): a snippet that is
 * copied, pasted in a chat or committed carries no secret.
 */
export const VARIAVEL_DA_CHAVE = "PROVEDORES_LLM_CHAVE";
const SH = `$${VARIAVEL_DA_CHAVE}`;
const JS = `process.env.${VARIAVEL_DA_CHAVE}`;
const PY = `os.environ["${VARIAVEL_DA_CHAVE}"]`;

/** The line that puts a key in that variable, for a shell (what the page shows beside a new key). */
export const exportarChave = (chave: string): string => `export ${VARIAVEL_DA_CHAVE}="${chave}"`;

/** Ollama clients name models `name:tag`: a model listed without a tag is sent with `:latest`. */
export const comTag = (modelo: string): string => (modelo.includes(":") ? modelo : `${modelo}:latest`);

const PERGUNTA = "Olá!";

/** OpenAI's chat completions at /v1: curl and the `openai` SDKs. */
export function trechosOpenAI({ raiz, modelo }: Destino) {
  const base = `${raiz}/v1`;
  return {
    curl: `curl ${base}/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${SH}" \\
  -d '{"model": "${modelo}", "messages": [{"role": "user", "content": "${PERGUNTA}"}]}'`,
    js: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base}", apiKey: ${JS} });
const resposta = await client.chat.completions.create({
  model: "${modelo}",
  messages: [{ role: "user", content: "${PERGUNTA}" }],
});
console.log(resposta.choices[0].message.content);`,
    py: `import os

from openai import OpenAI

client = OpenAI(base_url="${base}", api_key=${PY})
resposta = client.chat.completions.create(
    model="${modelo}",
    messages=[{"role": "user", "content": "${PERGUNTA}"}],
)
print(resposta.choices[0].message.content)`,
  };
}

/**
 * Anthropic's Messages API at /v1/messages: Claude Code (its token as a Bearer, `ANTHROPIC_AUTH_TOKEN`), curl and
 * the SDKs. The SDKs get it as `apiKey` (sent as `x-api-key`, which the gate reads too): an explicit key keeps the
 * SDK from sending a real Anthropic key it finds in ANTHROPIC_API_KEY.
 */
export function trechosAnthropic({ raiz, modelo }: Destino) {
  return {
    claudeCode: `export ANTHROPIC_BASE_URL="${raiz}"
export ANTHROPIC_AUTH_TOKEN="${SH}"
export ANTHROPIC_MODEL="${modelo}"
export ANTHROPIC_DEFAULT_OPUS_MODEL="${modelo}"
export ANTHROPIC_DEFAULT_SONNET_MODEL="${modelo}"
export ANTHROPIC_DEFAULT_HAIKU_MODEL="${modelo}"
claude`,
    curl: `curl ${raiz}/v1/messages \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${SH}" \\
  -H "anthropic-version: 2023-06-01" \\
  -d '{"model": "${modelo}", "max_tokens": 512, "messages": [{"role": "user", "content": "${PERGUNTA}"}]}'`,
    js: `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${raiz}", apiKey: ${JS} });
const mensagem = await client.messages.create({
  model: "${modelo}",
  max_tokens: 512,
  messages: [{ role: "user", content: "${PERGUNTA}" }],
});
console.log(mensagem.content[0].type === "text" ? mensagem.content[0].text : mensagem.content);`,
    py: `import os

from anthropic import Anthropic

client = Anthropic(base_url="${raiz}", api_key=${PY})
mensagem = client.messages.create(
    model="${modelo}",
    max_tokens=512,
    messages=[{"role": "user", "content": "${PERGUNTA}"}],
)
print(mensagem.content[0].text)`,
  };
}

/** Ollama's native API at the app's root: curl and the `ollama` clients, models as `name:tag`. */
export function trechosOllama({ raiz, modelo }: Destino) {
  const nome = comTag(modelo);
  return {
    curl: `curl ${raiz}/api/chat \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${SH}" \\
  -d '{"model": "${nome}", "messages": [{"role": "user", "content": "${PERGUNTA}"}], "stream": false}'`,
    js: `import { Ollama } from "ollama";

const ollama = new Ollama({ host: "${raiz}", headers: { Authorization: \`Bearer \${${JS}}\` } });
const resposta = await ollama.chat({
  model: "${nome}",
  messages: [{ role: "user", content: "${PERGUNTA}" }],
});
console.log(resposta.message.content);`,
    py: `import os

from ollama import Client

client = Client(host="${raiz}", headers={"Authorization": "Bearer " + ${PY}})
resposta = client.chat(
    model="${nome}",
    messages=[{"role": "user", "content": "${PERGUNTA}"}],
)
print(resposta.message.content)`,
  };
}

/** OpenAI's Responses API at /v1/responses, with the `openai` SDKs (no stored state: send the whole input). */
export function trechosResponses({ raiz, modelo }: Destino) {
  const base = `${raiz}/v1`;
  return {
    curl: `curl ${base}/responses \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${SH}" \\
  -d '{"model": "${modelo}", "input": "${PERGUNTA}"}'`,
    js: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base}", apiKey: ${JS} });
const resposta = await client.responses.create({
  model: "${modelo}",
  instructions: "Responda em português.",
  input: "${PERGUNTA}",
});
console.log(resposta.output_text);`,
    py: `import os

from openai import OpenAI

client = OpenAI(base_url="${base}", api_key=${PY})
resposta = client.responses.create(
    model="${modelo}",
    instructions="Responda em português.",
    input="${PERGUNTA}",
)
print(resposta.output_text)`,
  };
}

/**
 * Continue's config.yaml (and editor plugins that take the same fields): the Ollama and the Anthropic provider,
 * the key read from Continue's secrets (`PROVEDORES_LLM_CHAVE=pllm_…` in ~/.continue/.env).
 */
const SECRETO_CONTINUE = `\${{ secrets.${VARIAVEL_DA_CHAVE} }}`;

export function trechoContinue({ raiz, modelo }: Destino): string {
  return `models:
  - name: Provedores LLM (Ollama)
    provider: ollama
    model: ${comTag(modelo)}
    apiBase: ${raiz}
    requestOptions:
      headers:
        Authorization: Bearer ${SECRETO_CONTINUE}
  - name: Provedores LLM (Anthropic)
    provider: anthropic
    model: ${modelo}
    apiBase: ${raiz}/v1/
    apiKey: ${SECRETO_CONTINUE}`;
}
