import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DescobertaServidores } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LlamaCppRoteadorFalso } from "../servidores/llama-cpp-roteador";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { api } from "../support/contexto";
import { criarProvedor } from "../support/llm";

const falsos = {
  ollama: new OllamaFalso(),
  lmStudio: new LmStudioFalso(),
  lmStudioAntigo: Object.assign(new LmStudioFalso(), { semApiV0: true }),
  llama: new LlamaCppFalso(),
  roteador: new LlamaCppRoteadorFalso(),
};
// A bare OpenAI-compatible server: only /v1/models.
const generico = http.createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  if (req.url === "/v1/models") return res.end(JSON.stringify({ object: "list", data: [{ id: "gpt-local", object: "model" }] }));
  res.statusCode = 404;
  res.end(JSON.stringify({ error: { message: "not found" } }));
});
let portaGenerica = 0;
// A port nothing listens on.
let portaVazia = 0;

beforeAll(async () => {
  await Promise.all(Object.values(falsos).map((f) => f.iniciar()));
  await new Promise<void>((r) => generico.listen(0, "127.0.0.1", () => r()));
  portaGenerica = (generico.address() as AddressInfo).port;
  const vazio = http.createServer();
  await new Promise<void>((r) => vazio.listen(0, "127.0.0.1", () => r()));
  portaVazia = (vazio.address() as AddressInfo).port;
  await new Promise((r) => vazio.close(r));
});
afterAll(async () => {
  await Promise.all(Object.values(falsos).map((f) => f.parar()));
  await new Promise((r) => generico.close(r));
});

describe("GET /api/provedores-llm/descobrir", () => {
  it("tells each server type apart by its native answers, on the default ports plus the ones asked for", async () => {
    const jaCadastrado = await criarProvedor("ollama", falsos.ollama.url.replace("127.0.0.1", "localhost"));
    expect(jaCadastrado).toBeGreaterThan(0);
    const portas = [...Object.values(falsos).map((f) => f.porta), portaGenerica, portaVazia];
    const r = await api(`/descobrir?portas=${portas.join(",")}`);
    expect(r.status).toBe(200);
    const d = (await r.json()) as DescobertaServidores;
    expect(d.hosts).toEqual(["127.0.0.1"]);
    expect(d.portas).toEqual(expect.arrayContaining([11434, 1234, 8080, ...portas]));
    const porPorta = new Map(d.servidores.map((s) => [Number(new URL(s.base_url).port), s]));
    expect(porPorta.get(falsos.ollama.porta)).toMatchObject({ tipo: "ollama", versao: "0.12.3", cadastrado: true });
    expect(porPorta.get(falsos.lmStudio.porta)).toMatchObject({ tipo: "lm_studio", cadastrado: false });
    expect(porPorta.get(falsos.lmStudioAntigo.porta)).toMatchObject({ tipo: "lm_studio" });
    expect(porPorta.get(falsos.llama.porta)).toMatchObject({ tipo: "llama_cpp", versao: "b1-de3ff81" });
    expect(porPorta.get(falsos.roteador.porta)).toMatchObject({ tipo: "llama_cpp" });
    expect(porPorta.get(portaGenerica)).toMatchObject({
      tipo: "openai_compativel",
      nome_sugerido: `servidor OpenAI-compatível (localhost:${portaGenerica})`,
    });
    expect(porPorta.has(portaVazia)).toBe(false);
    // what it found registers as is
    const lm = porPorta.get(falsos.lmStudio.porta)!;
    expect((await api("", { method: "POST", json: { nome: lm.nome_sugerido, tipo: lm.tipo, base_url: lm.base_url } })).status).toBe(201);
  });

  it("bad lists are a 400; a list that would turn into a port scan too", async () => {
    for (const q of ["portas=abc", "portas=70000", "hosts=a%20b", `portas=${Array.from({ length: 70 }, (_, i) => 20000 + i).join(",")}`]) {
      const r = await api(`/descobrir?${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { erro: { codigo: string } }).erro.codigo).toBe("validacao");
    }
  });
});
