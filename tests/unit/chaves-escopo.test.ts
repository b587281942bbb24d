import { describe, expect, it } from "vitest";
import { CHAMADOR_ADMIN, type Chamador, type ChaveEmUso } from "@/lib/chaves/chamador";
import { candidatoNoEscopo, pedidoPodeEstarNoEscopo } from "@/lib/chaves/escopo";
import { ErroApp } from "@/lib/errors";
import { autorizar } from "@/lib/gateway/autorizar";
import type { PedidoModelo } from "@/lib/gateway/pedido";
import { encontrarRota, ROTAS } from "@/lib/http/rotas";

// An access key's scope as the pipeline checks it, synchronously, before and while picking candidates.

const CHAVE: ChaveEmUso = {
  id: 1,
  nome: "Script",
  prefixo: "abcdefgh",
  provedores: null,
  modelos: null,
  portas: null,
  limite_rpm: null,
  limite_tpm: null,
  limite_concorrencia: null,
  orcamento_tokens_dia: null,
  orcamento_tokens_mes: null,
  prioridade: 0,
};
const chave = (escopo: Partial<ChaveEmUso>): ChaveEmUso => ({ ...CHAVE, ...escopo });
const casa = { id: 1, slug: "casa" };
const porao = { id: 2, slug: "porao" };

function pedido(chamador: Chamador, extra: Partial<PedidoModelo> = {}): PedidoModelo {
  return {
    porta: "openai",
    modelo: "llama3:8b",
    provedorId: null,
    stream: false,
    entrada: { formato: "passagem", planejar: () => Promise.reject(new Error("não chamado")) },
    recebidoEm: 0,
    chamador,
    depois: () => {},
    ...extra,
  };
}

/** The ErroApp autorizar throws, or null. */
function recusa(p: PedidoModelo): ErroApp | null {
  try {
    autorizar(p);
    return null;
  } catch (e) {
    if (e instanceof ErroApp) return e;
    throw e;
  }
}

describe("candidates in a key's scope", () => {
  it("a key with no lists may use every model on every provider", () => {
    expect(candidatoNoEscopo(CHAVE, "qualquer", casa, "qualquer")).toBe(true);
  });

  it("matches a model by any of its names: as asked, its bare id, or <slug>/<id>", () => {
    const k = chave({ modelos: ["llama3*", "porao/qwen*"] });
    expect(candidatoNoEscopo(k, "llama3:8b", casa, "llama3:8b")).toBe(true);
    expect(candidatoNoEscopo(k, "casa/llama3:8b", casa, "llama3:8b")).toBe(true);
    expect(candidatoNoEscopo(k, "qwen2.5:7b", porao, "qwen2.5:7b")).toBe(true);
    expect(candidatoNoEscopo(k, "qwen2.5:7b", casa, "qwen2.5:7b")).toBe(false);
    expect(candidatoNoEscopo(k, "mistral", casa, "mistral")).toBe(false);
  });

  it("a pattern without `/` is about model ids: it never opens a provider whose slug starts with it", () => {
    const k = chave({ modelos: ["llama3*"] });
    const llama3Box = { id: 3, slug: "llama3-box" };
    expect(candidatoNoEscopo(k, "secret", llama3Box, "secret")).toBe(false);
    expect(candidatoNoEscopo(k, "llama3-box/secret", llama3Box, "secret")).toBe(false);
    expect(candidatoNoEscopo(k, "llama3-box/llama3:8b", llama3Box, "llama3:8b")).toBe(true);
    // A bare id with its own `/` is still a bare id; a tag alias as asked still counts.
    expect(candidatoNoEscopo(chave({ modelos: ["*coder*"] }), "org/deepseek-coder", casa, "org/deepseek-coder")).toBe(true);
    expect(candidatoNoEscopo(chave({ modelos: ["llama3"] }), "llama3", casa, "llama3:latest")).toBe(true);
    // A pattern with `/` matches the pinned form.
    expect(candidatoNoEscopo(chave({ modelos: ["llama3-box/*"] }), "secret", llama3Box, "secret")).toBe(true);
  });

  it("a provider outside the key's providers is never a candidate, whatever the model", () => {
    const k = chave({ provedores: [2] });
    expect(candidatoNoEscopo(k, "llama3:8b", casa, "llama3:8b")).toBe(false);
    expect(candidatoNoEscopo(k, "llama3:8b", porao, "llama3:8b")).toBe(true);
  });

  it("before the catalogue is read, only a model that cannot be in scope under any name is refused", () => {
    expect(pedidoPodeEstarNoEscopo(chave({ modelos: ["llama3*"] }), "mistral")).toBe(false);
    expect(pedidoPodeEstarNoEscopo(chave({ modelos: ["llama3*"] }), "casa/llama3:8b")).toBe(true);
    // A pattern with a slug may match `<slug>/mistral` for some provider: decided per candidate.
    expect(pedidoPodeEstarNoEscopo(chave({ modelos: ["*/mistral"] }), "mistral")).toBe(true);
  });
});

describe("autorizar", () => {
  it("lets the admin do anything", () => {
    expect(recusa(pedido(CHAMADOR_ADMIN, { porta: "ollama", modelo: "qualquer", provedorId: 9 }))).toBeNull();
  });

  it("refuses a door the key does not open, naming the key and the door", () => {
    const e = recusa(pedido({ tipo: "chave", chave: chave({ portas: ["ollama"] }) }));
    expect(e?.codigo).toBe("fora_do_escopo");
    expect(e?.status).toBe(403);
    expect(e?.message).toContain('"Script"');
    expect(e?.message).toContain("openai");
    expect(recusa(pedido({ tipo: "chave", chave: chave({ portas: ["ollama"] }) }, { porta: "ollama" }))).toBeNull();
  });

  it("refuses a model out of scope naming the key and the model, and a pinned provider out of scope", () => {
    const k: Chamador = { tipo: "chave", chave: chave({ modelos: ["llama3*"], provedores: [1] }) };
    expect(recusa(pedido(k))).toBeNull();
    const modelo = recusa(pedido(k, { modelo: "mistral:7b" }));
    expect(modelo?.codigo).toBe("fora_do_escopo");
    expect(modelo?.message).toContain('"mistral:7b"');
    expect(modelo?.message).toContain('"Script"');
    const provedor = recusa(pedido(k, { porta: "requisicao", provedorId: 2 }));
    expect(provedor?.codigo).toBe("fora_do_escopo");
    expect(provedor?.message).toContain('provedor "2"');
    expect(recusa(pedido(k, { porta: "requisicao", provedorId: 1 }))).toBeNull();
    // A pinned provider's default model is unknown until tried: a key limited to some models must name one.
    expect(recusa(pedido(k, { porta: "requisicao", provedorId: 1, modelo: null }))?.codigo).toBe("fora_do_escopo");
  });
});

describe("the route table's model doors", () => {
  it("are exactly the doors that call models and list them; managing servers and the app is the admin's", () => {
    const modelos = ROTAS.filter((r) => r.modelo).map((r) => r.padrao);
    expect(modelos.sort()).toEqual(
      [
        "/",
        "/api/chat",
        "/api/embed",
        "/api/embeddings",
        "/api/generate",
        "/api/provedores-llm/:id/requisicao",
        "/api/ps",
        "/api/show",
        "/api/tags",
        "/api/version",
        "/v1/chat/completions",
        "/v1/completions",
        "/v1/embeddings",
        "/v1/messages",
        "/v1/messages/count_tokens",
        "/v1/models",
        "/v1/responses",
      ].sort(),
    );
    for (const caminho of [
      "/api/pull",
      "/api/delete",
      "/api/chaves",
      "/api/chaves/1",
      "/api/metrics",
      "/api/provedores-llm/1",
      "/api/outra",
    ]) {
      expect(encontrarRota(caminho)?.modelo, caminho).toBe(false);
    }
    expect(encontrarRota("/v1/inexistente")?.modelo).toBe(true);
  });
});
