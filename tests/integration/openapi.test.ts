import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { ROTAS } from "../../lib/http/rotas";
import { rotasDoApp } from "../support/contexto";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, Record<string, unknown>> }> };
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
