import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OllamaFalso } from "../servidores/ollama";
import { api, rotasDoApp } from "../support/contexto";
import { criarProvedor } from "../support/llm";
import { esperarAte } from "../support/portas";

function chatV1(modelo: string, signal?: AbortSignal): Promise<Response> {
  return rotasDoApp().resposta("/v1/chat/completions", {
    json: { model: modelo, messages: [{ role: "user", content: "oi" }] },
    signal,
  });
}

describe("the gateway's shared catalogue refresh", () => {
  it("runs to its end when the caller that started it leaves: another caller waiting on it gets the new model", async () => {
    const ollama = await new OllamaFalso({ modelos: [{ id: "antigo:1b", carregado: true }] }).iniciar();
    try {
      const id = await criarProvedor("ollama", ollama.url, { timeout_segundos: 10 });
      expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
      const novo = `novo-${randomUUID().slice(0, 8)}:1b`;
      ollama.modelos.push({ id: novo, carregado: true });
      // The refresh (and the chat after it) take a while; any refresh in the last second would be skipped.
      await ollama.definirFalha("lento", 800);
      await new Promise((r) => setTimeout(r, 1100));

      const tags = () => ollama.recebidas.filter((r) => r.caminho === "/api/tags").length;
      const antes = tags();
      const sair = new AbortController();
      const primeiro = chatV1(novo, sair.signal);
      // The first caller's refresh has reached the server: the second joins it, then the first leaves.
      await esperarAte(async () => tags() > antes, 10_000, "the refresh asking the server for its models");
      const segundo = chatV1(novo);
      sair.abort();
      await expect(primeiro).rejects.toThrow();
      const r = await segundo;
      expect(r.status, await r.clone().text()).toBe(200);
      expect(((await r.json()) as { model: string }).model).toBe(novo);
      // one refresh, shared: the server was asked for its models once
      expect(tags() - antes).toBe(1);
    } finally {
      await ollama.parar();
    }
  });
});
