import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  trechoContinue,
  trechosAnthropic,
  trechosOllama,
  trechosOpenAI,
  trechosResponses,
  VARIAVEL_DA_CHAVE,
} from "@/components/usar-pela-api/trechos";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { clienteApi } from "../support/cliente-api";
import { app as appCompartilhado } from "../support/contexto";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// The snippets of "Usar pela API", run as shown against the app: the JavaScript ones as a file of their own (the
// official SDKs), printing the model's answer; the curl ones as curl would send them (URL, headers, body). Each
// reads the access key from PROVEDORES_LLM_CHAVE, as a user who followed the page has it in the environment:
// an app of its own, with a key in use, so its model doors refuse a call without a valid key.

const RESPOSTA = "Resposta do trecho";
const MODELO = `trecho-${randomUUID().slice(0, 8)}`;
const pasta = path.join(process.cwd(), ".tmp", `trechos-${process.pid}`);
let llama: LlamaCppFalso;
let servidor: ServidorApp;
let CHAVE = "";
const app = () => servidor;

beforeAll(async () => {
  [llama, servidor] = await Promise.all([
    new LlamaCppFalso({ modelos: [{ id: MODELO }], resposta: RESPOSTA }).iniciar(),
    iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado" }),
  ]);
  const rest = clienteApi(`${servidor.url}/api/provedores-llm`);
  const provedor = await rest.pedir<{ id: number }>("", { json: { nome: "Servidor dos trechos", tipo: "llama_cpp", base_url: llama.url } });
  expect(provedor.status, provedor.texto).toBe(201);
  expect((await rest.pedir<{ sucesso: boolean }>(`/${provedor.corpo.id}/testar`, { method: "POST" })).corpo.sucesso).toBe(true);
  const chave = await clienteApi(`${servidor.url}/api/chaves`).pedir<{ chave: string }>("", { json: { nome: "Trechos" } });
  expect(chave.status, chave.texto).toBe(201);
  CHAVE = chave.corpo.chave;
  mkdirSync(pasta, { recursive: true });
}, 60_000);
afterAll(async () => {
  rmSync(pasta, { recursive: true, force: true });
  await Promise.all([llama?.parar(), servidor?.parar()]);
});

/**
 * A curl snippet as curl sends it: its URL, every `-H`, and `-d` as the body (curl's -d without a Content-Type
 * header would send application/x-www-form-urlencoded, which is what a copied snippet would get).
 */
async function enviarComoCurl(trecho: string, chave = CHAVE): Promise<{ status: number; texto: string }> {
  const url = /^curl (\S+)/.exec(trecho)![1]!;
  const cabecalhos = new Headers();
  // Inside double quotes the shell expands the variable the snippet names.
  for (const [, nome, valor] of trecho.matchAll(/-H "([^:]+): ([^"]*)"/g))
    cabecalhos.set(nome!, valor!.replaceAll(`$${VARIAVEL_DA_CHAVE}`, chave));
  const corpo = /-d '([^']*)'/.exec(trecho)?.[1];
  if (corpo !== undefined && !cabecalhos.has("content-type")) cabecalhos.set("content-type", "application/x-www-form-urlencoded");
  const r = await fetch(url, { method: corpo === undefined ? "GET" : "POST", headers: cabecalhos, body: corpo });
  return { status: r.status, texto: await r.text() };
}

/** Runs a snippet as a module of its own (inside the project, so the SDKs resolve), the key in its variable, and answers what it printed. */
async function executar(codigo: string): Promise<string> {
  const arquivo = path.join(pasta, `${randomUUID()}.mjs`);
  writeFileSync(arquivo, codigo);
  const env = { ...process.env, [VARIAVEL_DA_CHAVE]: CHAVE };
  const { stdout } = await promisify(execFile)(process.execPath, [arquivo], { timeout: 20_000, env });
  return stdout.trim();
}

describe("the snippets carry no key: each reads it from PROVEDORES_LLM_CHAVE", () => {
  const destino = { raiz: "http://maquina:3000", modelo: "m" };
  it.each([
    [
      "OpenAI",
      trechosOpenAI(destino),
      {
        curl: 'Bearer $PROVEDORES_LLM_CHAVE"',
        js: "apiKey: process.env.PROVEDORES_LLM_CHAVE }",
        py: 'api_key=os.environ["PROVEDORES_LLM_CHAVE"]',
      },
    ],
    [
      "Anthropic",
      trechosAnthropic(destino),
      {
        claudeCode: 'export ANTHROPIC_AUTH_TOKEN="$PROVEDORES_LLM_CHAVE"',
        js: "apiKey: process.env.PROVEDORES_LLM_CHAVE }",
        py: 'api_key=os.environ["PROVEDORES_LLM_CHAVE"]',
      },
    ],
    [
      "Ollama",
      trechosOllama(destino),
      {
        curl: 'Bearer $PROVEDORES_LLM_CHAVE"',
        js: `Authorization: \`Bearer \${process.env.PROVEDORES_LLM_CHAVE}\``,
        py: '"Bearer " + os.environ["PROVEDORES_LLM_CHAVE"]',
      },
    ],
    [
      "Responses",
      trechosResponses(destino),
      {
        curl: 'Bearer $PROVEDORES_LLM_CHAVE"',
        js: "apiKey: process.env.PROVEDORES_LLM_CHAVE }",
        py: 'api_key=os.environ["PROVEDORES_LLM_CHAVE"]',
      },
    ],
  ])("%s", (_nome, trechos, esperado) => {
    for (const [qual, texto] of Object.entries(esperado)) expect(trechos[qual as keyof typeof trechos], qual).toContain(texto);
    // Python reads the environment through os
    if ("py" in trechos) expect(trechos.py).toMatch(/^import os\n/);
  });
  it("Continue: the key from Continue's secrets, in both providers", () => {
    expect(trechoContinue(destino).match(/\$\{\{ secrets\.PROVEDORES_LLM_CHAVE \}\}/g)).toHaveLength(2);
  });
});

describe("the JavaScript snippets of Usar pela API, as shown", () => {
  const destino = () => ({ raiz: app().url, modelo: MODELO });

  it("OpenAI (/v1): the openai SDK's chat completion prints the answer", async () => {
    expect(await executar(trechosOpenAI(destino()).js)).toBe(RESPOSTA);
  });

  it("Anthropic (/v1/messages): the @anthropic-ai/sdk message prints the answer", async () => {
    expect(await executar(trechosAnthropic(destino()).js)).toBe(RESPOSTA);
  });

  it("Ollama (/api): the ollama client's chat, with the model's :latest tag, prints the answer", async () => {
    expect(trechosOllama(destino()).js).toContain(`"${MODELO}:latest"`);
    expect(await executar(trechosOllama(destino()).js)).toBe(RESPOSTA);
  });

  it("Responses (/v1/responses): the openai SDK's responses.create prints output_text", async () => {
    expect(await executar(trechosResponses(destino()).js)).toBe(RESPOSTA);
  });
});

describe("the curl snippets of Usar pela API, as curl sends them", () => {
  const destino = () => ({ raiz: app().url, modelo: MODELO });
  it.each([
    ["OpenAI", () => trechosOpenAI(destino()).curl],
    ["Anthropic", () => trechosAnthropic(destino()).curl],
    ["Ollama", () => trechosOllama(destino()).curl],
    ["Responses", () => trechosResponses(destino()).curl],
  ])("%s: 200 with the model's answer", async (_nome, trecho) => {
    const r = await enviarComoCurl(trecho());
    expect(r.status, r.texto).toBe(200);
    expect(r.texto).toContain(RESPOSTA);
  });
  it.each([
    ["OpenAI", () => trechosOpenAI(destino()).curl],
    ["Ollama", () => trechosOllama(destino()).curl],
  ])("%s: with the variable unset (empty), the door refuses it: 401", async (_nome, trecho) => {
    expect((await enviarComoCurl(trecho(), "")).status).toBe(401);
  });
});
