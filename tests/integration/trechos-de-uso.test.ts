import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trechosAnthropic, trechosOllama, trechosOpenAI, trechosResponses } from "@/components/usar-pela-api/trechos";
import { ROTAS } from "../../lib/http/rotas";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { api, app } from "../support/contexto";
import { criarProvedor } from "../support/llm";

// The JavaScript snippets of "Usar pela API", run as shown (a file of their own, the official SDKs) against the
// app: what they print is the model's answer. A door whose route the app does not serve yet is skipped, and
// runs from the moment the route table has it.

const RESPOSTA = "Resposta do trecho";
const MODELO = `trecho-${randomUUID().slice(0, 8)}`;
const pasta = path.join(process.cwd(), ".tmp", `trechos-${process.pid}`);
let llama: LlamaCppFalso;

beforeAll(async () => {
  llama = await new LlamaCppFalso({ modelos: [{ id: MODELO }], resposta: RESPOSTA }).iniciar();
  const id = await criarProvedor("llama_cpp", llama.url);
  expect((await (await api(`/${id}/testar`, { method: "POST" })).json()).sucesso).toBe(true);
  mkdirSync(pasta, { recursive: true });
});
afterAll(async () => {
  rmSync(pasta, { recursive: true, force: true });
  await llama.parar();
});

const servida = (padrao: string) => ROTAS.some((r) => r.padrao === padrao);

/** Runs a snippet as a module of its own (inside the project, so the SDKs resolve) and answers what it printed. */
async function executar(codigo: string): Promise<string> {
  const arquivo = path.join(pasta, `${randomUUID()}.mjs`);
  writeFileSync(arquivo, codigo);
  const { stdout } = await promisify(execFile)(process.execPath, [arquivo], { timeout: 20_000 });
  return stdout.trim();
}

describe("the JavaScript snippets of Usar pela API, as shown", () => {
  const destino = () => ({ raiz: app().url, chave: "sem-chave", modelo: MODELO });

  it("OpenAI (/v1): the openai SDK's chat completion prints the answer", async () => {
    expect(await executar(trechosOpenAI(destino()).js)).toBe(RESPOSTA);
  });

  it.skipIf(!servida("/v1/messages"))("Anthropic (/v1/messages): the @anthropic-ai/sdk message prints the answer", async () => {
    expect(await executar(trechosAnthropic(destino()).js)).toBe(RESPOSTA);
  });

  it.skipIf(!servida("/api/chat"))("Ollama (/api): the ollama client's chat, with the model's :latest tag, prints the answer", async () => {
    expect(trechosOllama(destino()).js).toContain(`"${MODELO}:latest"`);
    expect(await executar(trechosOllama(destino()).js)).toBe(RESPOSTA);
  });

  it.skipIf(!servida("/v1/responses"))("Responses (/v1/responses): the openai SDK's responses.create prints output_text", async () => {
    expect(await executar(trechosResponses(destino()).js)).toBe(RESPOSTA);
  });
});
