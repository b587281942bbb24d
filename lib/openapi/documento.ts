import type { z as zod } from "zod";
import { STATUS_HTTP } from "../errors";
import {
  PaginaRequisicoes,
  PedidoAcaoModelo,
  PedidoDescoberta,
  PeriodoEstatisticas,
  RequisicaoLLM,
  UsoDaChavePorModelo,
  UsoDaChavePorProvedor,
  UsoPorChave,
  UsoPorPorta,
} from "../schemas/llm";
import { CorpoChatOpenAI, CorpoCompletionOpenAI, CorpoEmbeddingsOpenAI } from "../schemas/corpos-openai";
import { CorpoContagemAnthropic, CorpoMensagensAnthropic } from "../schemas/corpos-anthropic";
import { CorpoResponses } from "../schemas/corpos-responses";
import { CorpoChatOllama, CorpoEmbeddingsOllama, CorpoEmbedOllama, CorpoGenerateOllama, CorpoNomeOllama } from "../schemas/corpos-ollama";
import { Benchmark, NovoBenchmark } from "../schemas/benchmark";
import { CatalogoDeModelos, FiltrosCatalogo } from "../schemas/catalogo";
import { ChaveAcesso, ChaveAcessoAtualizar, ChaveAcessoCriada, ChaveAcessoCriar } from "../schemas/chave";
import { Disponibilidade } from "../schemas/disponibilidade-e-incidentes";
import { FiltrosProvedores, ProvedorLLM, ProvedorLLMAtualizar, ProvedorLLMCriar } from "../schemas/provedor";
import { z } from "../schemas/zod-pt";
import { caminhosDasPortas, esquemasDasPortas, TAG_ANTHROPIC, TAG_OLLAMA, TAG_RESPONSES } from "./portas";

type Esquema = Record<string, unknown>;

/** JSON Schema of a contract type, straight from the zod schema the route validates with. */
function esquema(schema: zod.ZodType, io: "input" | "output"): Esquema {
  const { $schema: _versao, ...resto } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    // Dates travel as ISO 8601 strings.
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  }) as Esquema;
  return resto;
}

const ref = (nome: string) => ({ $ref: `#/components/schemas/${nome}` });
const json = (schema: Esquema) => ({ "application/json": { schema } });
const objeto = (descricao: string): Esquema => ({ type: "object", description: descricao });

const erro = (descricao: string) => ({ description: descricao, content: json(ref("Erro")) });
const erroOpenAI = (descricao: string) => ({ description: descricao, content: json(ref("ErroOpenAI")) });
const erroOllama = (descricao: string) => ({ description: descricao, content: json(ref("ErroOllama")) });

const ID = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
const BID = { name: "bid", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
const DOWNLOAD_ID = { name: "downloadId", in: "path", required: true, schema: { type: "string", format: "uuid" } };

/** Query parameters; a list may be repeated (`?portas=1&portas=2`, explode) or comma-separated, as its description says. */
function consulta(schema: zod.ZodObject): Esquema[] {
  const s = esquema(schema, "input") as { properties?: Record<string, Esquema> };
  return Object.entries(s.properties ?? {}).map(([name, { description, ...sch }]) => ({
    name,
    in: "query",
    required: false,
    ...(description ? { description } : {}),
    ...(sch.type === "array" ? { style: "form", explode: true } : {}),
    schema: sch,
  }));
}

type Operacao = { summary: string; tags: string[] } & Record<string, unknown>;

function op(tag: string, summary: string, resto: Record<string, unknown>): Operacao {
  return { tags: [tag], summary, ...resto };
}

const corpo = (nome: string) => ({ required: true, content: json(ref(nome)) });
const ok = (descricao: string, schema: Esquema = objeto(descricao)) => ({ "200": { description: descricao, content: json(schema) } });

/** The whole REST contract and the /v1 gateway, as OpenAPI 3.1 (JSON Schema 2020-12). */
export function documentoOpenAPI(): Record<string, unknown> {
  const P = "Provedores";
  const M = "Modelos";
  const E = "Estatísticas";
  const G = "Gateway OpenAI (/v1)";
  const O = "API nativa do Ollama (/api)";
  const C = "Chaves de acesso";
  const B = "Benchmarks";
  const errosDaChave = { "400": erro("Dados inválidos (validacao, json_invalido)"), "404": erro("Chave não encontrada") };
  const erros4xx = { "400": erro("Dados inválidos (validacao, json_invalido)"), "404": erro("Provedor não encontrado") };
  const doServidor = {
    "502": erro("O servidor falhou (provedor_indisponivel, provedor_erro, provedor_autenticacao)"),
    "504": erro("O servidor não respondeu a tempo (provedor_timeout)"),
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Provedores LLM",
      version: "1",
      description:
        "Cadastro e uso de servidores LLM locais (LM Studio, llama.cpp, Ollama, OpenAI-compatíveis). Erros da API REST: " +
        '`{"erro": {"codigo", "mensagem", "detalhes"?}}`; do /v1, no formato da OpenAI; de /v1/messages, no da Anthropic (`{"type": "error", "error": {"type", "message"}}`); ' +
        'das rotas do Ollama, `{"error"}`. Com AUTH_TOKEN definido, toda rota exige o token (Bearer).',
    },
    servers: [{ url: "/" }],
    security: [{}, { bearer: [] }],
    tags: [
      { name: P },
      { name: M },
      { name: E },
      { name: G },
      { name: TAG_ANTHROPIC },
      { name: TAG_OLLAMA },
      { name: TAG_RESPONSES },
      { name: C },
      { name: B },
      { name: "Operação" },
    ],
    paths: {
      "/api/provedores-llm": {
        get: op(P, "Lista os provedores", {
          parameters: consulta(FiltrosProvedores),
          responses: { ...ok("Provedores", { type: "array", items: ref("ProvedorLLM") }), "400": erro("Filtro inválido") },
        }),
        post: op(P, "Cadastra um provedor", {
          requestBody: corpo("ProvedorLLMCriar"),
          responses: {
            "201": { description: "Criado (com Location)", content: json(ref("ProvedorLLM")) },
            "400": erro("Dados inválidos"),
            "409": erro("nome_duplicado"),
            "413": erro("corpo_muito_grande"),
            "415": erro("tipo_de_conteudo: o corpo precisa ser JSON"),
          },
        }),
      },
      "/api/provedores-llm/descobrir": {
        get: op(P, "Procura servidores LLM nas portas padrão desta máquina (11434, 1234, 8080) e nas indicadas", {
          parameters: consulta(PedidoDescoberta),
          responses: {
            ...ok("{servidores[{tipo, base_url, versao, nome_sugerido, cadastrado}], hosts, portas}"),
            "400": erro("Lista inválida"),
          },
        }),
      },
      "/api/provedores-llm/eventos": {
        get: op(
          P,
          "SSE do monitor: estado (todos os provedores, ao conectar), status (cada mudança), modelos (carregados) e fila ({provedor_id, em_voo, na_fila, limite, fila_max}: ao conectar, o estado de cada fila, e a cada mudança, no máximo uma a cada 100 ms por provedor; as filas desta instância do app — cada instância tem a sua)",
          {
            responses: { "200": { description: "text/event-stream", content: { "text/event-stream": { schema: { type: "string" } } } } },
          },
        ),
      },
      "/api/provedores-llm/ativos": {
        get: op(P, "Lista só os provedores ativos", { responses: ok("Provedores ativos", { type: "array", items: ref("ProvedorLLM") }) }),
      },
      "/api/provedores-llm/{id}": {
        parameters: [ID],
        get: op(P, "Um provedor", { responses: { ...ok("O provedor", ref("ProvedorLLM")), ...erros4xx } }),
        put: op(P, "Atualiza um provedor (parcial)", {
          requestBody: corpo("ProvedorLLMAtualizar"),
          responses: { ...ok("O provedor", ref("ProvedorLLM")), ...erros4xx, "409": erro("nome_duplicado") },
        }),
        delete: op(P, "Exclui um provedor, com modelos e estatísticas", { responses: { "204": { description: "Excluído" }, ...erros4xx } }),
      },
      "/api/provedores-llm/{id}/testar": {
        parameters: [ID],
        post: op(P, "Testa a conexão (um teste que falha também é 200, com sucesso: false)", {
          responses: { ...ok("Resultado do teste"), ...erros4xx },
        }),
      },
      "/api/provedores-llm/{id}/disponibilidade": {
        parameters: [ID],
        get: op(P, "Uptime (24 h, 7 d, 30 d) e últimos incidentes, das mudanças de status guardadas", {
          responses: { ...ok("Disponibilidade", ref("Disponibilidade")), ...erros4xx },
        }),
      },
      "/api/provedores-llm/{id}/requisicao": {
        parameters: [ID],
        post: op(P, "Envia mensagens a um modelo; com stream: true, responde text/event-stream", {
          requestBody: corpo("RequisicaoLLM"),
          responses: {
            "200": {
              description: "A resposta, ou o stream de eventos delta/fim/erro",
              content: { ...json(objeto("RespostaLLM")), "text/event-stream": { schema: { type: "string" } } },
            },
            ...erros4xx,
            "409": erro("provedor_inativo"),
            ...doServidor,
          },
        }),
      },
      "/api/provedores-llm/{id}/modelos": {
        parameters: [ID],
        get: op(M, "Modelos em cache e o que o servidor permite fazer com eles", {
          parameters: [
            { name: "atualizar", in: "query", required: false, schema: { type: "boolean" }, description: "Pergunta ao servidor antes" },
          ],
          responses: { ...ok("{modelos, acoes, atualizado_em, origem, desatualizado, erro?}"), ...erros4xx },
        }),
      },
      ...Object.fromEntries(
        (["carregar", "descarregar", "excluir"] as const).map((acao) => [
          `/api/provedores-llm/{id}/modelos/${acao}`,
          {
            parameters: [ID],
            post: op(M, `${acao[0]!.toUpperCase()}${acao.slice(1)} um modelo no servidor`, {
              requestBody: corpo("PedidoAcaoModelo"),
              responses: {
                ...ok("O modelo como o servidor o confirma"),
                ...erros4xx,
                "409": erro("acao_nao_suportada, com o motivo"),
                ...doServidor,
              },
            }),
          },
        ]),
      ),
      "/api/modelos": {
        get: op(
          M,
          "Catálogo: todo modelo de todo provedor ativo, do cache (o mesmo modelo em vários servidores é uma entrada), com o uso em 24 h",
          {
            parameters: consulta(FiltrosCatalogo),
            responses: { ...ok("O catálogo", ref("CatalogoDeModelos")), "400": erro("Filtro inválido (validacao)") },
          },
        ),
      },
      "/api/provedores-llm/{id}/modelos/downloads": {
        parameters: [ID],
        get: op(M, "Downloads em andamento e da última hora", { responses: { ...ok("{downloads}"), ...erros4xx } }),
        post: op(M, "Inicia (ou reencontra) o download de um modelo", {
          requestBody: corpo("PedidoAcaoModelo"),
          responses: {
            "202": { description: "O download (com Location)", content: json(ref("DownloadModelo")) },
            ...erros4xx,
            "409": erro("acao_nao_suportada"),
          },
        }),
      },
      "/api/provedores-llm/{id}/modelos/downloads/{downloadId}": {
        parameters: [ID, DOWNLOAD_ID],
        get: op(M, "Estado de um download", { responses: { ...ok("O download", ref("DownloadModelo")), ...erros4xx } }),
        delete: op(M, "Cancela um download", {
          responses: { ...ok("O download", ref("DownloadModelo")), ...erros4xx, "409": erro("O servidor não permite cancelar") },
        }),
      },
      "/api/provedores-llm/{id}/modelos/downloads/{downloadId}/eventos": {
        parameters: [ID, DOWNLOAD_ID],
        get: op(M, "SSE do progresso (eventos progresso e fim)", {
          responses: {
            "200": { description: "text/event-stream", content: { "text/event-stream": { schema: { type: "string" } } } },
            ...erros4xx,
          },
        }),
      },
      "/api/provedores-llm/{id}/benchmarks": {
        parameters: [ID],
        get: op(B, "Execuções de benchmark do provedor, da mais nova à mais antiga", {
          responses: {
            ...ok("{benchmarks: Benchmark[]}", { type: "object", properties: { benchmarks: { type: "array", items: ref("Benchmark") } } }),
            ...erros4xx,
          },
        }),
        post: op(
          B,
          "Inicia um benchmark de um modelo: um preset (rapido, completo) e/ou tamanhos de prompt, tamanho da resposta, concorrências e repetições (os campos explícitos valem sobre o preset). Roda em segundo plano, pela fila do provedor, fora das estatísticas de uso; no máximo 2000 requisições por execução e uma execução por provedor de cada vez",
          {
            requestBody: corpo("NovoBenchmark"),
            responses: {
              "202": { description: "A execução (com Location), em executando", content: json(ref("Benchmark")) },
              "400": erro("Dados inválidos ou perfil acima do limite de requisições (validacao, json_invalido)"),
              "404": erro("Provedor não encontrado (nao_encontrado) ou modelo fora da lista do provedor (modelo_nao_encontrado)"),
              "409": erro(
                "Provedor inativo (provedor_inativo), offline segundo o monitor ou sem lista de modelos (provedor_offline), ou já há um benchmark em execução nele (benchmark_em_andamento)",
              ),
            },
          },
        ),
      },
      "/api/provedores-llm/{id}/benchmarks/{bid}": {
        parameters: [ID, BID],
        get: op(B, "Uma execução: estado, progresso (feitas, total, eta_segundos) e células", {
          responses: { ...ok("A execução", ref("Benchmark")), ...erros4xx },
        }),
        delete: op(B, "Cancela uma execução em andamento (200, com as células feitas até então) ou exclui uma terminada (204)", {
          responses: { ...ok("A execução cancelada", ref("Benchmark")), "204": { description: "Excluída" }, ...erros4xx },
        }),
      },
      "/api/provedores-llm/{id}/benchmarks/{bid}/eventos": {
        parameters: [ID, BID],
        get: op(
          B,
          "SSE do progresso: um evento data com a execução inteira ao conectar, depois de cada requisição e o final (igual ao GET); então o stream fecha",
          {
            responses: {
              "200": { description: "text/event-stream", content: { "text/event-stream": { schema: { type: "string" } } } },
              ...erros4xx,
            },
          },
        ),
      },
      "/api/benchmarks": {
        get: op(B, "Execuções de quaisquer provedores, por id, na ordem pedida (para comparar)", {
          parameters: [
            {
              name: "ids",
              in: "query",
              required: true,
              description: "Ids separados por vírgula (até 10), por exemplo 1,2",
              schema: { type: "string" },
            },
          ],
          responses: {
            ...ok("{benchmarks: (Benchmark & {provedor_nome})[]}", {
              type: "object",
              properties: {
                benchmarks: {
                  type: "array",
                  items: { allOf: [ref("Benchmark"), { type: "object", properties: { provedor_nome: { type: "string" } } }] },
                },
              },
            }),
            "400": erro("ids inválidos (validacao)"),
            "404": erro("Alguma execução não existe (nao_encontrado, nomeando os ids)"),
          },
        }),
      },
      "/api/provedores-llm/{id}/estatisticas": {
        parameters: [ID],
        get: op(E, "Totais, percentis, série, uso por modelo, por porta de entrada e por chave de acesso do período", {
          parameters: [{ name: "periodo", in: "query", required: false, schema: esquema(PeriodoEstatisticas, "input") }],
          responses: {
            ...ok("Estatísticas", {
              type: "object",
              description:
                "{periodo, total_requisicoes, requisicoes_sucesso, requisicoes_erro, taxa_sucesso, tempo_medio_resposta_ms, p50_ms, p95_ms, p99_ms, p50_primeiro_token_ms, …, p50_fila_ms, p95_fila_ms, p99_fila_ms, p50_tokens_por_segundo, p95_tokens_por_segundo, p99_tokens_por_segundo, tokens_totais, modelos_carregados, ultima_atividade, serie[], por_modelo[] (com p50_ms, p95_ms, p50_tokens_por_segundo, p95_tokens_por_segundo, p50_fila_ms, p95_fila_ms, p99_fila_ms), por_porta[], por_chave[]}; *_fila_ms: espera na fila do provedor das requisições que passaram por ela (0: não esperou), null sem nenhuma no período; *_tokens_por_segundo: velocidade de geração das respostas (a do servidor, ou tokens da resposta ÷ tempo de geração: depois do 1º token num stream), null sem nenhuma no período",
              properties: {
                por_porta: {
                  type: "array",
                  description:
                    "Cada porta (requisicao, openai, anthropic, ollama, responses), nesta ordem; depois porta: null (anterior), se houver.",
                  items: ref("UsoPorPorta"),
                },
                por_chave: {
                  type: "array",
                  description:
                    "As chaves que usaram o provedor no período (mais requisições primeiro), depois o administrador (chave_id: null), sempre; as linhas somam os totais.",
                  items: ref("UsoPorChave"),
                },
              },
              required: ["por_porta", "por_chave"],
            }),
            ...erros4xx,
          },
        }),
      },
      "/api/estatisticas": {
        get: op(
          E,
          "As estatísticas de todos os servidores juntos: totais, percentis dos histogramas somados, série, por servidor, por modelo (com os servidores lado a lado), por porta e por chave",
          {
            parameters: [{ name: "periodo", in: "query", required: false, schema: esquema(PeriodoEstatisticas, "input") }],
            responses: {
              ...ok("Estatísticas de todos os servidores", {
                type: "object",
                description:
                  "Os mesmos campos das estatísticas de um provedor (contadores somados; p50/p95/p99 de resposta, 1º token, fila e tokens/s tirados dos histogramas somados, nunca de médias), mais provedores (quantos estão cadastrados), por_provedor[] e, em cada linha de por_modelo[], provedores[]",
                properties: {
                  por_provedor: {
                    type: "array",
                    description:
                      "Cada servidor cadastrado, mais requisições primeiro: {provedor_id, nome, requisicoes, erros, tempo_medio_ms, p50_ms, p95_ms, p50_tokens_por_segundo, p95_tokens_por_segundo, tokens}",
                    items: { type: "object" },
                  },
                  por_modelo: {
                    type: "array",
                    description:
                      "Por id de modelo em todos os servidores (os 50 mais usados), cada um com provedores[]: os servidores que o serviram no período, com os mesmos campos de por_provedor",
                    items: { type: "object" },
                  },
                },
                required: ["por_provedor", "por_modelo"],
              }),
              "400": erro("periodo inválido (validacao)"),
            },
          },
        ),
      },
      "/api/provedores-llm/{id}/requisicoes": {
        parameters: [ID],
        get: op(E, "Últimas requisições, da mais nova à mais antiga", {
          parameters: consulta(PaginaRequisicoes),
          responses: {
            ...ok(
              "{requisicoes: [{id, criado_em, modelo, porta, stream, sucesso, codigo_erro, tempo_resposta_ms, tempo_primeiro_token_ms, tempo_fila_ms, tokens_prompt, tokens_resposta, tokens_por_segundo}], pagina, por_pagina, total, paginas}; tempo_fila_ms: espera na fila do provedor (0: não esperou; null: anterior à fila); tokens_por_segundo: velocidade de geração da resposta (null: falha, sem contagem de tokens ou anterior)",
            ),
            ...erros4xx,
          },
        }),
      },
      "/api/metrics": {
        get: op(
          "Operação",
          "Métricas no formato de texto do Prometheus (as séries de requisições com os rótulos porta, chave_id e chave; as filas desta instância: em voo, esperando, recusadas e a espera)",
          {
            responses: { "200": { description: "text/plain; version=0.0.4", content: { "text/plain": { schema: { type: "string" } } } } },
          },
        ),
      },
      "/api/cron/verificar": {
        get: op("Operação", "Uma rodada de verificações de todos os provedores ativos (para o cron da Vercel)", {
          responses: ok("{verificados}"),
        }),
      },
      "/api/openapi.json": { get: op("Operação", "Este documento", { responses: ok("OpenAPI 3.1") }) },
      // Ollama's routes the app does not serve (the ones it serves are in lib/openapi/portas.ts).
      ...Object.fromEntries(
        ["/api/create", "/api/copy", "/api/push"].map((caminho) => [
          caminho,
          {
            post: op(O, "Não servido: crie, copie e publique modelos no próprio Ollama", {
              responses: { "501": erroOllama("nao_implementado") },
            }),
          },
        ]),
      ),
      "/api/blobs/{digest}": {
        parameters: [{ name: "digest", in: "path", required: true, schema: { type: "string" } }],
        get: op(O, "Não servido (HEAD incluído)", { responses: { "501": erroOllama("nao_implementado") } }),
        post: op(O, "Não servido", { responses: { "501": erroOllama("nao_implementado") } }),
      },
      "/v1/models": {
        get: op(G, "Modelos de todos os provedores ativos: <modelo> e <slug>/<modelo>", {
          responses: { ...ok("{object: list, data}"), "401": erroOpenAI("Token ausente ou errado") },
        }),
      },
      ...Object.fromEntries(
        (
          [
            ["/v1/chat/completions", "CorpoChatOpenAI", "Chat, com ou sem stream (SSE data: … [DONE])"],
            ["/v1/completions", "CorpoCompletionOpenAI", "Completions (legado)"],
            ["/v1/embeddings", "CorpoEmbeddingsOpenAI", "Embeddings"],
          ] as const
        ).map(([caminho, nome, resumo]) => [
          caminho,
          {
            post: op(G, resumo, {
              requestBody: corpo(nome),
              responses: {
                "200": {
                  description: "A resposta da OpenAI, do servidor escolhido (x-provedor-id, x-provedor-nome)",
                  content: { ...json(objeto("Resposta")), "text/event-stream": { schema: { type: "string" } } },
                },
                "400": erroOpenAI("invalid_request_error"),
                "401": erroOpenAI("authentication_error"),
                "404": erroOpenAI("model_not_found, com os ids mais próximos"),
                "502": erroOpenAI("Todos os candidatos falharam"),
                "503": erroOpenAI("Servidores carregando o modelo"),
                "504": erroOpenAI("Tempo esgotado"),
              },
            }),
          },
        ]),
      ),
      ...caminhosDasPortas(),
      "/api/chaves": {
        get: op(C, "Lista as chaves de acesso (as revogadas também; nunca o segredo)", {
          responses: ok("Chaves", { type: "array", items: ref("ChaveAcesso") }),
        }),
        post: op(C, "Cria uma chave de acesso: o segredo (chave) vem só nesta resposta", {
          requestBody: corpo("ChaveAcessoCriar"),
          responses: {
            "201": { description: "Criada (com Location)", content: json(ref("ChaveAcessoCriada")) },
            "400": erro("Dados inválidos"),
            "409": erro("nome_duplicado: outra chave em uso tem o nome"),
            "415": erro("tipo_de_conteudo: o corpo precisa ser JSON"),
          },
        }),
      },
      "/api/chaves/{id}": {
        parameters: [ID],
        get: op(C, "Uma chave de acesso", { responses: { ...ok("A chave", ref("ChaveAcesso")), ...errosDaChave } }),
        put: op(C, "Atualiza escopo, limites, nome, descrição, validade ou ativa (parcial; o segredo nunca muda)", {
          requestBody: corpo("ChaveAcessoAtualizar"),
          responses: { ...ok("A chave", ref("ChaveAcesso")), ...errosDaChave, "409": erro("nome_duplicado") },
        }),
        delete: op(C, "Revoga a chave (a linha fica, com revogada_em)", {
          responses: { "204": { description: "Revogada" }, ...errosDaChave },
        }),
      },
      "/api/chaves/{id}/estatisticas": {
        parameters: [ID],
        get: op(C, "Uso da chave no período (as revogadas também): totais, percentis, série, por modelo e por provedor", {
          parameters: [{ name: "periodo", in: "query", required: false, schema: esquema(PeriodoEstatisticas, "input") }],
          responses: {
            ...ok("Estatísticas da chave", {
              type: "object",
              description:
                "{chave_id, nome, prefixo, periodo, total_requisicoes, requisicoes_sucesso, requisicoes_erro, taxa_sucesso, tempo_medio_resposta_ms, p50_ms, p95_ms, p99_ms, p50_primeiro_token_ms, p95_primeiro_token_ms, p99_primeiro_token_ms, p50_fila_ms, p95_fila_ms, p99_fila_ms, tokens_prompt, tokens_resposta, tokens_totais, ultima_atividade, serie[], por_modelo[], por_provedor[]}",
              properties: {
                por_modelo: { type: "array", description: "Por id de modelo (os 50 mais usados).", items: ref("UsoDaChavePorModelo") },
                por_provedor: {
                  type: "array",
                  description: "Por provedor, mais requisições primeiro.",
                  items: ref("UsoDaChavePorProvedor"),
                },
              },
              required: ["por_modelo", "por_provedor"],
            }),
            ...errosDaChave,
          },
        }),
      },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "O AUTH_TOKEN, quando definido" } },
      schemas: {
        ...esquemasDasPortas(),
        ProvedorLLMCriar: esquema(ProvedorLLMCriar, "input"),
        Disponibilidade: esquema(Disponibilidade, "output"),
        ProvedorLLMAtualizar: esquema(ProvedorLLMAtualizar, "input"),
        ProvedorLLM: esquema(ProvedorLLM, "output"),
        ChaveAcessoCriar: esquema(ChaveAcessoCriar, "input"),
        ChaveAcessoAtualizar: esquema(ChaveAcessoAtualizar, "input"),
        ChaveAcesso: esquema(ChaveAcesso, "output"),
        ChaveAcessoCriada: esquema(ChaveAcessoCriada, "output"),
        RequisicaoLLM: esquema(RequisicaoLLM, "input"),
        PedidoAcaoModelo: esquema(PedidoAcaoModelo, "input"),
        CatalogoDeModelos: esquema(CatalogoDeModelos, "output"),
        CorpoChatOpenAI: esquema(CorpoChatOpenAI, "input"),
        CorpoCompletionOpenAI: esquema(CorpoCompletionOpenAI, "input"),
        CorpoEmbeddingsOpenAI: esquema(CorpoEmbeddingsOpenAI, "input"),
        UsoPorPorta: esquema(UsoPorPorta, "output"),
        UsoPorChave: esquema(UsoPorChave, "output"),
        UsoDaChavePorModelo: esquema(UsoDaChavePorModelo, "output"),
        UsoDaChavePorProvedor: esquema(UsoDaChavePorProvedor, "output"),
        // The doors' real schemas over the hand-written ones of esquemasDasPortas().
        CorpoResponses: esquema(CorpoResponses, "input"),
        CorpoMensagensAnthropic: esquema(CorpoMensagensAnthropic, "input"),
        CorpoContagemAnthropic: esquema(CorpoContagemAnthropic, "input"),
        CorpoChatOllama: esquema(CorpoChatOllama, "input"),
        CorpoGenerateOllama: esquema(CorpoGenerateOllama, "input"),
        CorpoEmbedOllama: esquema(CorpoEmbedOllama, "input"),
        CorpoEmbeddingsOllama: esquema(CorpoEmbeddingsOllama, "input"),
        CorpoNomeOllama: esquema(CorpoNomeOllama, "input"),
        NovoBenchmark: esquema(NovoBenchmark, "input"),
        Benchmark: esquema(Benchmark, "output"),
        DownloadModelo: objeto(
          "{id, provedor_id, modelo, estado (baixando|concluido|falhou|cancelado), status, total_bytes, baixados_bytes, velocidade_bps, restante_segundos, camadas[], erro, iniciado_em, terminado_em}",
        ),
        Erro: {
          type: "object",
          required: ["erro"],
          properties: {
            erro: {
              type: "object",
              required: ["codigo", "mensagem"],
              properties: { codigo: { type: "string", enum: Object.keys(STATUS_HTTP) }, mensagem: { type: "string" }, detalhes: {} },
            },
          },
        },
        ErroOpenAI: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              properties: {
                message: { type: "string" },
                type: { type: "string" },
                param: { type: ["string", "null"] },
                code: { type: ["string", "null"] },
              },
            },
          },
        },
      },
    },
  };
}
