// The doors that speak other clients' dialects (Anthropic's Messages, Ollama's native API, OpenAI's
// Responses), as OpenAPI 3.1: their request bodies at the level of the fields the doors read, their answers
// and their own error shapes. Merged into the document by lib/openapi/documento.ts.

type Esquema = Record<string, unknown>;

const ref = (nome: string) => ({ $ref: `#/components/schemas/${nome}` });
const json = (schema: Esquema) => ({ "application/json": { schema } });
const texto = { type: "string" };
const inteiro = { type: "integer", minimum: 0 };
const numero = { type: "number" };
const booleano = { type: "boolean" };
const lista = (items: Esquema) => ({ type: "array", items });
const objetoCom = (properties: Record<string, Esquema>, required: string[] = [], extra: Esquema = {}): Esquema => ({
  type: "object",
  properties,
  ...(required.length ? { required } : {}),
  ...extra,
});
const SSE = { "text/event-stream": { schema: { type: "string" } } };
const NDJSON = {
  "application/x-ndjson": { schema: { type: "string", description: "Um objeto JSON por linha; o último com done: true." } },
};

export const TAG_ANTHROPIC = "Anthropic (/v1/messages)";
export const TAG_OLLAMA = "Ollama (/api)";
export const TAG_RESPONSES = "OpenAI Responses (/v1/responses)";

const op = (tag: string, summary: string, resto: Esquema) => ({ tags: [tag], summary, ...resto });
const corpo = (nome: string) => ({ required: true, content: json(ref(nome)) });

// --- Anthropic Messages ---------------------------------------------------------------------------------

const blocoTexto = objetoCom(
  { type: { const: "text" }, text: texto, cache_control: { type: "object", description: "Aceito e ignorado." } },
  ["type", "text"],
);
const blocoImagem = objetoCom(
  {
    type: { const: "image" },
    source: objetoCom({ type: { const: "base64" }, media_type: texto, data: { type: "string", contentEncoding: "base64" } }, [
      "type",
      "media_type",
      "data",
    ]),
  },
  ["type", "source"],
);
const blocoToolUse = objetoCom({ type: { const: "tool_use" }, id: texto, name: texto, input: { type: "object" } }, [
  "type",
  "id",
  "name",
  "input",
]);
const blocoToolResult = objetoCom(
  {
    type: { const: "tool_result" },
    tool_use_id: texto,
    content: { anyOf: [texto, lista(blocoTexto)] },
    is_error: booleano,
  },
  ["type", "tool_use_id"],
);

const camposAnthropic = {
  model: { ...texto, description: "Um id de /v1/models: <modelo> (roteado) ou <slug>/<modelo> (um provedor fixo)." },
  max_tokens: { type: "integer", minimum: 1, description: "Obrigatório, como na API da Anthropic." },
  messages: lista(
    objetoCom(
      {
        role: { enum: ["user", "assistant"] },
        content: { anyOf: [texto, lista({ anyOf: [blocoTexto, blocoImagem, blocoToolUse, blocoToolResult] })] },
      },
      ["role", "content"],
    ),
  ),
  system: { anyOf: [texto, lista(blocoTexto)] },
  stop_sequences: lista(texto),
  temperature: { type: "number", minimum: 0, maximum: 1 },
  top_p: { type: "number", minimum: 0, maximum: 1 },
  top_k: { type: "integer", minimum: 0 },
  stream: booleano,
  tools: lista(objetoCom({ name: texto, description: texto, input_schema: { type: "object" } }, ["name", "input_schema"])),
  tool_choice: objetoCom({ type: { enum: ["auto", "any", "tool", "none"] }, name: texto }, ["type"]),
  metadata: { type: "object", description: "Aceito e ignorado." },
};
const CorpoMensagensAnthropic = objetoCom(camposAnthropic, ["model", "max_tokens", "messages"]);
/** count_tokens takes the same fields, max_tokens not required (as Anthropic's). */
const CorpoContagemAnthropic = objetoCom(camposAnthropic, ["model", "messages"]);

const MensagemAnthropic = objetoCom(
  {
    id: texto,
    type: { const: "message" },
    role: { const: "assistant" },
    model: texto,
    content: lista({ anyOf: [blocoTexto, blocoToolUse] }),
    stop_reason: { enum: ["end_turn", "max_tokens", "stop_sequence", "tool_use", null] },
    stop_sequence: { type: ["string", "null"] },
    usage: objetoCom({ input_tokens: inteiro, output_tokens: inteiro }, ["input_tokens", "output_tokens"]),
  },
  ["id", "type", "role", "model", "content", "stop_reason", "usage"],
);

const ErroAnthropic = objetoCom(
  {
    type: { const: "error" },
    error: objetoCom(
      {
        type: {
          enum: [
            "invalid_request_error",
            "authentication_error",
            "permission_error",
            "not_found_error",
            "request_too_large",
            "rate_limit_error",
            "api_error",
            "timeout_error",
            "overloaded_error",
          ],
        },
        message: texto,
      },
      ["type", "message"],
    ),
  },
  ["type", "error"],
);

const erroAnthropic = (descricao: string) => ({ description: descricao, content: json(ref("ErroAnthropic")) });
const ERROS_ANTHROPIC = {
  "400": erroAnthropic("invalid_request_error: corpo inválido (nada é enviado ao servidor) ou recusado pelo servidor"),
  "401": erroAnthropic("authentication_error: token ausente ou errado"),
  "404": erroAnthropic("not_found_error: modelo desconhecido"),
  "413": erroAnthropic("request_too_large"),
  "429": erroAnthropic("rate_limit_error"),
  "500": erroAnthropic("api_error: o servidor falhou"),
  "504": erroAnthropic("timeout_error: o servidor não respondeu a tempo"),
  "529": erroAnthropic("overloaded_error: servidor ocupado ou carregando o modelo (os SDKs tentam de novo)"),
};

// --- OpenAI Responses -----------------------------------------------------------------------------------

const itemDeEntrada = {
  anyOf: [
    objetoCom(
      {
        type: { const: "message" },
        role: { enum: ["user", "assistant", "system", "developer"] },
        content: { anyOf: [texto, lista(objetoCom({ type: { enum: ["input_text", "output_text"] }, text: texto }, ["type", "text"]))] },
      },
      ["role", "content"],
    ),
    objetoCom({ type: { const: "function_call" }, call_id: texto, name: texto, arguments: texto }, [
      "type",
      "call_id",
      "name",
      "arguments",
    ]),
    objetoCom({ type: { const: "function_call_output" }, call_id: texto, output: texto }, ["type", "call_id", "output"]),
  ],
};

const CorpoResponses = objetoCom(
  {
    model: { ...texto, description: "Um id de /v1/models." },
    input: { anyOf: [texto, lista(itemDeEntrada)] },
    instructions: texto,
    tools: lista(
      objetoCom({ type: { const: "function" }, name: texto, description: texto, parameters: { type: "object" }, strict: booleano }, [
        "type",
        "name",
      ]),
    ),
    tool_choice: { anyOf: [{ enum: ["auto", "none", "required"] }, { type: "object" }] },
    stream: booleano,
    temperature: numero,
    top_p: numero,
    max_output_tokens: { type: "integer", minimum: 1 },
    previous_response_id: { type: "string", description: "Não suportado (nada é guardado): 400 invalid_request_error." },
  },
  ["model", "input"],
);

const RespostaResponses = objetoCom(
  {
    id: texto,
    object: { const: "response" },
    created_at: inteiro,
    status: { enum: ["completed", "incomplete", "failed", "in_progress"] },
    model: texto,
    output: lista({
      anyOf: [
        objetoCom({
          type: { const: "message" },
          id: texto,
          role: { const: "assistant" },
          content: lista(objetoCom({ type: { const: "output_text" }, text: texto }, ["type", "text"])),
        }),
        objetoCom({ type: { const: "function_call" }, id: texto, call_id: texto, name: texto, arguments: texto }),
      ],
    }),
    usage: objetoCom({ input_tokens: inteiro, output_tokens: inteiro, total_tokens: inteiro }),
  },
  ["id", "object", "model", "output"],
);

const erroOpenAI = (descricao: string) => ({ description: descricao, content: json(ref("ErroOpenAI")) });

// --- Ollama ---------------------------------------------------------------------------------------------

const nomeOllama = { ...texto, description: "nome:tag, como /api/tags lista (um modelo sem tag ganha :latest)." };
const opcoesOllama = objetoCom(
  {
    temperature: numero,
    top_p: numero,
    top_k: { type: "integer" },
    num_predict: { type: "integer" },
    stop: lista(texto),
    seed: { type: "integer" },
    num_ctx: { type: "integer", description: "Onde o servidor aceita." },
  },
  [],
  { description: "Opções de geração; as que o servidor não tem são ignoradas." },
);
const formato = { anyOf: [{ const: "json" }, { type: "object", description: "Um JSON Schema: saída estruturada." }] };
const ferramentasOllama = lista(
  objetoCom(
    { type: { const: "function" }, function: objetoCom({ name: texto, description: texto, parameters: { type: "object" } }, ["name"]) },
    ["type", "function"],
  ),
);
const chamadasOllama = lista(objetoCom({ function: objetoCom({ name: texto, arguments: { type: "object" } }, ["name", "arguments"]) }));
const mensagemOllama = objetoCom(
  {
    role: { enum: ["system", "user", "assistant", "tool"] },
    content: texto,
    images: lista({ type: "string", contentEncoding: "base64" }),
    tool_calls: chamadasOllama,
    thinking: texto,
  },
  ["role"],
);
const comunsOllama = {
  model: nomeOllama,
  stream: { type: "boolean", default: true, description: "Por omissão true, como no Ollama: NDJSON." },
  options: opcoesOllama,
  format: formato,
  keep_alive: { anyOf: [texto, numero], description: "Carrega ou descarrega onde o servidor permite; senão é ignorado." },
  think: booleano,
};
const tempos = {
  total_duration: { ...inteiro, description: "Nanossegundos." },
  load_duration: inteiro,
  prompt_eval_count: inteiro,
  prompt_eval_duration: inteiro,
  eval_count: inteiro,
  eval_duration: inteiro,
};

const CorpoChatOllama = objetoCom({ ...comunsOllama, messages: lista(mensagemOllama), tools: ferramentasOllama }, ["model"]);
const CorpoGenerateOllama = objetoCom(
  {
    ...comunsOllama,
    prompt: texto,
    suffix: texto,
    system: texto,
    raw: booleano,
    images: lista({ type: "string", contentEncoding: "base64" }),
  },
  ["model"],
);
const RespostaChatOllama = objetoCom(
  {
    model: texto,
    created_at: { type: "string", format: "date-time" },
    message: mensagemOllama,
    done: booleano,
    done_reason: texto,
    ...tempos,
  },
  ["model", "created_at", "done"],
);
const RespostaGenerateOllama = objetoCom(
  {
    model: texto,
    created_at: { type: "string", format: "date-time" },
    response: texto,
    thinking: texto,
    done: booleano,
    done_reason: texto,
    ...tempos,
  },
  ["model", "created_at", "response", "done"],
);
const detalhesModelo = objetoCom({
  format: texto,
  family: texto,
  families: { type: ["array", "null"], items: texto },
  parameter_size: texto,
  quantization_level: texto,
});
const ModelosOllama = objetoCom(
  {
    models: lista(
      objetoCom(
        {
          name: nomeOllama,
          model: nomeOllama,
          modified_at: { type: "string", format: "date-time" },
          size: inteiro,
          digest: texto,
          details: detalhesModelo,
          expires_at: { type: "string", format: "date-time", description: "Só em /api/ps." },
          size_vram: { ...inteiro, description: "Só em /api/ps." },
        },
        ["name", "model"],
      ),
    ),
  },
  ["models"],
);
const CorpoEmbedOllama = objetoCom(
  {
    model: nomeOllama,
    input: { anyOf: [texto, lista(texto)] },
    truncate: booleano,
    options: opcoesOllama,
    keep_alive: { anyOf: [texto, numero] },
  },
  ["model", "input"],
);
const CorpoEmbeddingsOllama = objetoCom({ model: nomeOllama, prompt: texto, options: opcoesOllama }, ["model", "prompt"]);
/** The body of show, pull and delete: the model by `model` or by its older name `name`. */
const CorpoNomeOllama = objetoCom({ model: nomeOllama, name: nomeOllama, verbose: booleano, stream: booleano, insecure: booleano });
const ErroOllama = objetoCom({ error: texto }, ["error"]);

const erroOllama = (descricao: string) => ({ description: descricao, content: json(ref("ErroOllama")) });
const ERROS_OLLAMA = {
  "400": erroOllama("Corpo inválido (nada é enviado ao servidor)"),
  "401": erroOllama("Token ausente ou errado"),
  "404": erroOllama("Modelo desconhecido"),
  "502": erroOllama("O servidor falhou"),
  "503": erroOllama("Servidores carregando o modelo ou ocupados"),
  "504": erroOllama("O servidor não respondeu a tempo"),
};
const naoImplementado = { "501": erroOllama("Nenhum servidor cadastrado faz isso") };
const okJson = (descricao: string, schema: Esquema) => ({ "200": { description: descricao, content: json(schema) } });

/** The doors' paths, keyed as in the route table (lib/http/rotas.ts). */
export function caminhosDasPortas(): Record<string, Record<string, unknown>> {
  const A = TAG_ANTHROPIC;
  const O = TAG_OLLAMA;
  return {
    "/v1/messages": {
      post: op(A, "Messages da Anthropic (Claude Code, SDKs): nativo onde o servidor tem a rota, traduzido nos outros", {
        parameters: [
          { name: "anthropic-version", in: "header", required: false, schema: texto, description: "Aceito." },
          { name: "anthropic-beta", in: "header", required: false, schema: texto, description: "Aceito." },
          { name: "x-api-key", in: "header", required: false, schema: texto, description: "O AUTH_TOKEN (ou como Bearer)." },
        ],
        requestBody: corpo("CorpoMensagensAnthropic"),
        responses: {
          "200": {
            description:
              "A mensagem; com stream: true, os eventos message_start, content_block_start, ping, content_block_delta, content_block_stop, message_delta, message_stop (uma falha depois do primeiro byte é um evento error)",
            content: { ...json(ref("MensagemAnthropic")), ...SSE },
          },
          ...ERROS_ANTHROPIC,
        },
      }),
    },
    "/v1/messages/count_tokens": {
      post: op(A, "Conta os tokens de um pedido: a contagem do servidor onde ele tem uma; senão uma estimativa, sinalizada", {
        requestBody: corpo("CorpoContagemAnthropic"),
        responses: {
          ...okJson("{input_tokens}", objetoCom({ input_tokens: inteiro }, ["input_tokens"])),
          ...ERROS_ANTHROPIC,
        },
      }),
    },
    "/v1/responses": {
      post: op(
        TAG_RESPONSES,
        "Responses da OpenAI: nativo onde o servidor tem a rota, traduzido para chat nos outros; sem estado guardado",
        {
          requestBody: corpo("CorpoResponses"),
          responses: {
            "200": {
              description: "A resposta; com stream: true, os eventos response.created, response.output_text.delta, …, response.completed",
              content: { ...json(ref("RespostaResponses")), ...SSE },
            },
            "400": erroOpenAI("invalid_request_error (previous_response_id incluído)"),
            "401": erroOpenAI("authentication_error"),
            "404": erroOpenAI("model_not_found"),
            "502": erroOpenAI("Todos os candidatos falharam"),
            "503": erroOpenAI("Servidores carregando o modelo"),
            "504": erroOpenAI("Tempo esgotado"),
          },
        },
      ),
    },
    "/": {
      get: op(O, 'Responde "Ollama is running", como os clientes do Ollama sondam', {
        responses: { "200": { description: "Ollama is running", content: { "text/plain": { schema: texto } } } },
      }),
    },
    "/api/version": {
      get: op(O, "Versão (do Ollama que os clientes esperam)", {
        responses: okJson("{version}", objetoCom({ version: texto }, ["version"])),
      }),
    },
    "/api/tags": {
      get: op(O, "Modelos de todos os provedores ativos (um modelo em dois servidores é uma entrada, roteada)", {
        responses: { ...okJson("{models}", ref("ModelosOllama")), "401": ERROS_OLLAMA["401"] },
      }),
    },
    "/api/ps": {
      get: op(O, "Modelos carregados na memória", {
        responses: { ...okJson("{models}", ref("ModelosOllama")), "401": ERROS_OLLAMA["401"] },
      }),
    },
    "/api/show": {
      post: op(O, "Detalhes de um modelo", {
        requestBody: corpo("CorpoNomeOllama"),
        responses: {
          ...okJson(
            "{details, model_info, capabilities, modelfile, parameters, template}",
            objetoCom({
              details: detalhesModelo,
              model_info: { type: "object" },
              capabilities: lista(texto),
              modelfile: texto,
              parameters: texto,
              template: texto,
            }),
          ),
          ...ERROS_OLLAMA,
        },
      }),
    },
    "/api/chat": {
      post: op(O, "Chat do Ollama sobre qualquer tipo de servidor (NDJSON por omissão)", {
        requestBody: corpo("CorpoChatOllama"),
        responses: {
          "200": { description: "A resposta, ou uma linha por pedaço", content: { ...json(ref("RespostaChatOllama")), ...NDJSON } },
          ...ERROS_OLLAMA,
        },
      }),
    },
    "/api/generate": {
      post: op(O, "Geração a partir de um prompt (NDJSON por omissão)", {
        requestBody: corpo("CorpoGenerateOllama"),
        responses: {
          "200": { description: "A resposta, ou uma linha por pedaço", content: { ...json(ref("RespostaGenerateOllama")), ...NDJSON } },
          ...ERROS_OLLAMA,
        },
      }),
    },
    "/api/embed": {
      post: op(O, "Embeddings de um ou vários textos", {
        requestBody: corpo("CorpoEmbedOllama"),
        responses: {
          ...okJson(
            "{model, embeddings}",
            objetoCom({ model: texto, embeddings: lista(lista(numero)), prompt_eval_count: inteiro }, ["model", "embeddings"]),
          ),
          ...ERROS_OLLAMA,
        },
      }),
    },
    "/api/embeddings": {
      post: op(O, "Embedding de um texto (rota antiga)", {
        requestBody: corpo("CorpoEmbeddingsOllama"),
        responses: { ...okJson("{embedding}", objetoCom({ embedding: lista(numero) }, ["embedding"])), ...ERROS_OLLAMA },
      }),
    },
    "/api/pull": {
      post: op(O, "Baixa um modelo no servidor que sabe fazê-lo; o progresso em NDJSON no formato do Ollama", {
        requestBody: corpo("CorpoNomeOllama"),
        responses: {
          "200": {
            description: "{status, digest?, total?, completed?} por linha; o último {status: success}",
            content: { ...json(objetoCom({ status: texto, digest: texto, total: inteiro, completed: inteiro }, ["status"])), ...NDJSON },
          },
          ...ERROS_OLLAMA,
          ...naoImplementado,
        },
      }),
    },
    "/api/delete": {
      delete: op(O, "Exclui um modelo no servidor que sabe fazê-lo", {
        requestBody: corpo("CorpoNomeOllama"),
        responses: { "200": { description: "Excluído" }, ...ERROS_OLLAMA, ...naoImplementado },
      }),
    },
  };
}

/**
 * The components the doors' paths refer to. The request bodies are named as the doors' zod schemas are: the
 * document lists these first, so a door's own `esquema(…)` entry after them takes the name's place.
 */
export function esquemasDasPortas(): Record<string, Esquema> {
  return {
    CorpoMensagensAnthropic,
    CorpoContagemAnthropic,
    MensagemAnthropic,
    ErroAnthropic,
    CorpoResponses,
    RespostaResponses,
    CorpoChatOllama,
    CorpoGenerateOllama,
    CorpoEmbedOllama,
    CorpoEmbeddingsOllama,
    CorpoNomeOllama,
    RespostaChatOllama,
    RespostaGenerateOllama,
    ModelosOllama,
    ErroOllama,
  };
}
