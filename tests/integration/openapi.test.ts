import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { ROTAS } from "../../lib/http/rotas";
import { rotasDoApp } from "../support/contexto";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, Record<string, unknown>> }> };
};

/**
 * The routes of the Anthropic, Ollama and Responses doors, as the document gives them: the route table has
 * them once the doors are in it (where it has a path, its methods are the ones compared).
 */
const DAS_PORTAS: Record<string, string[]> = {
  "/v1/messages": ["post"],
  "/v1/messages/count_tokens": ["post"],
  "/v1/responses": ["post"],
  "/": ["get"],
  "/api/version": ["get"],
  "/api/tags": ["get"],
  "/api/ps": ["get"],
  "/api/show": ["post"],
  "/api/chat": ["post"],
  "/api/generate": ["post"],
  "/api/embed": ["post"],
  "/api/embeddings": ["post"],
  "/api/pull": ["post"],
  "/api/delete": ["delete"],
};

/** Every route the app serves, with its methods, from the one route table (lib/http/rotas.ts): `:id` → `{id}`. */
function rotasDaTabela(): Record<string, string[]> {
  return Object.fromEntries(
    ROTAS.map((r) => [
      r.padrao.replace(/:(\w+)/g, "{$1}"),
      Object.keys(r.metodos)
        .map((m) => m.toLowerCase())
        .sort(),
    ]),
  );
}

describe("GET /api/openapi.json", () => {
  it("documents every route the app serves, with the request schemas the routes validate with", async () => {
    const r = await rotasDoApp().resposta("/api/openapi.json");
    expect(r.status).toBe(200);
    const doc = (await r.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    // valid against the OpenAPI 3.1 schema itself, by a validator of its own
    const validador = new Validator();
    const resultado = await validador.validate(doc as unknown as Record<string, unknown>);
    expect(resultado.errors ?? [], JSON.stringify(resultado.errors)).toEqual([]);
    expect(resultado.valid).toBe(true);
    expect(validador.version).toBe("3.1");
    const tabela = rotasDaTabela();
    expect(Object.keys(tabela).length).toBeGreaterThan(20);
    expect(Object.keys(doc.paths).sort()).toEqual(Object.keys(tabela).sort());
    for (const [caminho, metodos] of Object.entries(tabela)) {
      const documentados = Object.keys(doc.paths[caminho]!).filter((k) => k !== "parameters");
      expect(documentados.sort(), caminho).toEqual(metodos);
    }

    const criar = doc.components.schemas.ProvedorLLMCriar!;
    expect(criar.required).toEqual(expect.arrayContaining(["nome", "tipo"]));
    expect(criar.properties!.timeout_segundos).toMatchObject({ type: "integer", minimum: 1, maximum: 600, default: 60 });
    expect(criar.properties!.intervalo_verificacao_segundos).toMatchObject({ type: "integer", minimum: 5, maximum: 3600, default: 30 });
    expect(criar.properties!.tipo).toMatchObject({ enum: ["lm_studio", "llama_cpp", "ollama", "openai_compativel"] });
    expect(doc.components.schemas.ProvedorLLM!.properties!.criado_em).toMatchObject({ type: "string", format: "date-time" });
    expect(doc.components.schemas.CorpoChatOpenAI!.required).toEqual(expect.arrayContaining(["model", "messages"]));
    const codigos = (doc.components.schemas.Erro!.properties!.erro as { properties: { codigo: { enum: string[] } } }).properties.codigo
      .enum;
    expect(codigos).toEqual(expect.arrayContaining(["validacao", "acao_nao_suportada", "modelo_nao_encontrado"]));

    // every $ref points at a schema that exists
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty([ref.slice(22, -1)]);
    expect(doc.paths["/v1/chat/completions"]!.post!.requestBody!.content["application/json"]!.schema.$ref).toBe(
      "#/components/schemas/CorpoChatOpenAI",
    );
  });
});

type Operacao = {
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};

describe("what the OpenAPI document says of the Anthropic, Ollama and Responses doors", () => {
  it("documents each door's routes with its request schema, its answers (streams included) and its own error shape", async () => {
    const doc = (await (await rotasDoApp().resposta("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, Operacao>>;
      components: Doc["components"];
    };
    for (const [caminho, metodos] of Object.entries(DAS_PORTAS)) expect(Object.keys(doc.paths[caminho] ?? {}), caminho).toEqual(metodos);
    const operacao = (caminho: string) => Object.values(doc.paths[caminho]!)[0]!;
    const corpoDe = (caminho: string) => operacao(caminho).requestBody?.content["application/json"]?.schema.$ref;
    const erroDe = (caminho: string, status: string) => operacao(caminho).responses[status]?.content?.["application/json"]?.schema.$ref;

    // Anthropic: max_tokens required as Anthropic requires, a stream of its events, its error type per status
    expect(corpoDe("/v1/messages")).toBe("#/components/schemas/CorpoMensagensAnthropic");
    expect(doc.components.schemas.CorpoMensagensAnthropic!.required).toEqual(expect.arrayContaining(["model", "max_tokens", "messages"]));
    expect(corpoDe("/v1/messages/count_tokens")).toBe("#/components/schemas/CorpoContagemAnthropic");
    expect(doc.components.schemas.CorpoContagemAnthropic!.required).not.toContain("max_tokens");
    expect(Object.keys(operacao("/v1/messages").responses["200"]!.content!)).toEqual(["application/json", "text/event-stream"]);
    for (const status of ["400", "401", "404", "429", "500", "529"]) {
      expect(erroDe("/v1/messages", status), status).toBe("#/components/schemas/ErroAnthropic");
      expect(erroDe("/v1/messages/count_tokens", status), status).toBe("#/components/schemas/ErroAnthropic");
    }
    const anthropic = doc.components.schemas.ErroAnthropic!;
    expect(anthropic.required).toEqual(["type", "error"]);
    expect((anthropic.properties!.error as { properties: { type: { enum: string[] } } }).properties.type.enum).toEqual(
      expect.arrayContaining([
        "invalid_request_error",
        "authentication_error",
        "not_found_error",
        "rate_limit_error",
        "api_error",
        "overloaded_error",
      ]),
    );

    // Responses: OpenAI's error shape, a stream of its events
    expect(corpoDe("/v1/responses")).toBe("#/components/schemas/CorpoResponses");
    expect(doc.components.schemas.CorpoResponses!.required).toEqual(expect.arrayContaining(["model", "input"]));
    expect(erroDe("/v1/responses", "400")).toBe("#/components/schemas/ErroOpenAI");
    expect(Object.keys(operacao("/v1/responses").responses["200"]!.content!)).toContain("text/event-stream");

    // Ollama: NDJSON streams, {error} on every failure, never a 500 (a route no server can serve is a 501)
    expect(corpoDe("/api/chat")).toBe("#/components/schemas/CorpoChatOllama");
    expect(corpoDe("/api/generate")).toBe("#/components/schemas/CorpoGenerateOllama");
    expect(corpoDe("/api/embed")).toBe("#/components/schemas/CorpoEmbedOllama");
    expect(corpoDe("/api/embeddings")).toBe("#/components/schemas/CorpoEmbeddingsOllama");
    for (const caminho of ["/api/show", "/api/pull", "/api/delete"])
      expect(corpoDe(caminho), caminho).toBe("#/components/schemas/CorpoNomeOllama");
    for (const caminho of ["/api/chat", "/api/generate", "/api/pull"])
      expect(Object.keys(operacao(caminho).responses["200"]!.content!), caminho).toContain("application/x-ndjson");
    for (const caminho of ["/api/show", "/api/chat", "/api/generate", "/api/embed", "/api/embeddings", "/api/pull", "/api/delete"]) {
      expect(erroDe(caminho, "400"), caminho).toBe("#/components/schemas/ErroOllama");
      expect(Object.keys(operacao(caminho).responses), caminho).not.toContain("500");
    }
    expect(erroDe("/api/pull", "501")).toBe("#/components/schemas/ErroOllama");
    expect(doc.components.schemas.ErroOllama).toMatchObject({ required: ["error"], properties: { error: { type: "string" } } });
    expect(operacao("/api/tags").responses["200"]!.content!["application/json"]!.schema.$ref).toBe("#/components/schemas/ModelosOllama");
  });

  it("the statistics answer documents por_porta, one entry per door", async () => {
    const doc = (await (await rotasDoApp().resposta("/api/openapi.json")).json()) as {
      paths: Record<
        string,
        { get: { responses: { "200": { content: { "application/json": { schema: Doc["components"]["schemas"][string] } } } } } }
      >;
      components: Doc["components"];
    };
    const estatisticas = doc.paths["/api/provedores-llm/{id}/estatisticas"]!.get.responses["200"].content["application/json"].schema;
    expect(estatisticas.properties!.por_porta).toMatchObject({ type: "array", items: { $ref: "#/components/schemas/UsoPorPorta" } });
    const uso = doc.components.schemas.UsoPorPorta!;
    expect((uso.properties!.porta as { anyOf: { enum?: string[] }[] }).anyOf.flatMap((s) => s.enum ?? [])).toEqual([
      "requisicao",
      "openai",
      "anthropic",
      "ollama",
      "responses",
    ]);
    expect(uso.required).toEqual(
      expect.arrayContaining(["porta", "requisicoes", "erros", "tempo_medio_ms", "p95_ms", "tokens_prompt", "tokens_resposta"]),
    );
  });
});

describe("what the OpenAPI document says of discovery and slugs", () => {
  it("portas and hosts may be repeated or comma-separated, and a provider has a slug", async () => {
    const doc = (await (await rotasDoApp().resposta("/api/openapi.json")).json()) as {
      paths: Record<string, { get: { parameters: { name: string; explode?: boolean; description?: string }[] } }>;
      components: Doc["components"];
    };
    expect(doc.components.schemas.ProvedorLLM!.required).toContain("slug");
    expect(doc.components.schemas.ProvedorLLM!.properties!.slug).toMatchObject({ type: "string" });
    const parametros = doc.paths["/api/provedores-llm/descobrir"]!.get.parameters;
    for (const nome of ["portas", "hosts"]) {
      const p = parametros.find((x) => x.name === nome)!;
      expect(p.explode, nome).toBe(true);
      expect(p.description, nome).toMatch(/Repita o parâmetro.*vírgula/);
    }
  });
});
