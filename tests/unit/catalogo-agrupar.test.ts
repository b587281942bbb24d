import { describe, expect, it } from "vitest";
import type { ModeloProvedorLinha, ProvedorLLMLinha } from "@/db/schema";
import { agrupar, capacidadesDe, type Entrada, modeloDoCatalogo } from "@/lib/catalogo/montar";

function entrada(provedor: number, modelo: string, extra: Partial<ModeloProvedorLinha> & { digest?: string } = {}): Entrada {
  const { digest = null, ...campos } = extra;
  const linha = {
    id: provedor,
    nome: `Servidor ${provedor}`,
    slug: `servidor-${provedor}`,
    tipo: "ollama",
    status: "online",
  } as ProvedorLLMLinha;
  const m = {
    id: provedor * 100,
    provedor_id: provedor,
    modelo,
    nome: modelo,
    tamanho_bytes: null,
    familia: null,
    parametros: null,
    quantizacao: null,
    contexto_max: null,
    carregado: null,
    detalhes: digest ? { digest } : null,
    atualizado_em: new Date(0),
    ...campos,
  } as ModeloProvedorLinha;
  return { linha, modelo: m, digest };
}

const ids = (grupos: Entrada[][]) => grupos.map((g) => g.map((e) => `${e.linha.id}:${e.modelo.modelo}`));
const acoes = new Map([1, 2, 3].map((id) => [id, { carregar: true, descarregar: true, motivo: null }]));

describe("the catalogue's grouping: one model is one row", () => {
  it("the same id on two servers is one group; another id is another", () => {
    expect(ids(agrupar([entrada(1, "a"), entrada(2, "a"), entrada(2, "b")]))).toEqual([["1:a", "2:a"], ["2:b"]]);
  });

  it("another name with the same digest is the same model; a different digest under another name is not", () => {
    const grupos = agrupar([
      entrada(1, "llama3.2:latest", { digest: "d1" }),
      entrada(2, "llama3.2:3b", { digest: "d1" }),
      entrada(3, "x", { digest: "d2" }),
    ]);
    expect(ids(grupos)).toEqual([["1:llama3.2:latest", "2:llama3.2:3b"], ["3:x"]]);
    const m = modeloDoCatalogo(grupos[0]!, new Map(), acoes);
    expect(m.ids).toEqual(["llama3.2:3b", "llama3.2:latest"]);
    expect(m.servidores.map((s) => s.id_fixo).sort()).toEqual(["servidor-1/llama3.2:latest", "servidor-2/llama3.2:3b"]);
  });

  it("links by name and by digest chain: x on 1 and 2 (two digests), y on 3 with the second digest", () => {
    const grupos = agrupar([entrada(1, "x", { digest: "d1" }), entrada(2, "x", { digest: "d2" }), entrada(3, "y", { digest: "d2" })]);
    expect(grupos).toHaveLength(1);
  });

  it("the row: the loaded server first, its figures; capabilities a server states win over inferred ones; traffic summed", () => {
    const grupo = [
      entrada(1, "m", { carregado: false, contexto_max: 8192, detalhes: null }),
      entrada(2, "m", { carregado: true, contexto_max: 32768, familia: "qwen2", detalhes: { capacidades: ["completion", "vision"] } }),
    ];
    const uso = new Map([
      ["1\u0000m", { requisicoes: 2, tokens: 10, erros: 1 }],
      ["2\u0000m", { requisicoes: 3, tokens: 5, erros: 0 }],
    ]);
    const m = modeloDoCatalogo(grupo, uso, acoes);
    expect(m.servidores.map((s) => s.provedor_id)).toEqual([2, 1]);
    expect(m.contexto_max).toBe(32768);
    expect(m.familia).toBe("qwen2");
    expect(m.carregado).toBe(true);
    expect(m.capacidades).toEqual(["chat", "visao"]);
    expect(m.capacidades_informadas).toBe(true);
    expect(m.uso_24h).toEqual({ requisicoes: 5, tokens: 15, erros: 1 });
  });

  it("capabilities from the cache: Ollama's list, LM Studio's type, else chat (inferred)", () => {
    expect(capacidadesDe({ capacidades: ["completion", "tools", "insert"] })).toEqual({
      capacidades: ["chat", "ferramentas"],
      informadas: true,
    });
    expect(capacidadesDe({ capacidades: ["embedding"] })).toEqual({ capacidades: ["embeddings"], informadas: true });
    expect(capacidadesDe({ tipo: "embeddings" })).toEqual({ capacidades: ["embeddings"], informadas: true });
    expect(capacidadesDe({ tipo: "vlm" })).toEqual({ capacidades: ["chat", "visao"], informadas: true });
    expect(capacidadesDe({ tipo: "llm" })).toEqual({ capacidades: ["chat"], informadas: true });
    expect(capacidadesDe(null)).toEqual({ capacidades: ["chat"], informadas: false });
  });
});
