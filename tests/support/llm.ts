import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { EstatisticasProvedor } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import type { OpcoesServidorFalso, ServidorFalso } from "../servidores/base";
import { clienteApi } from "./cliente-api";
import { api, app } from "./contexto";

export type EventoSSE = { evento: string; dados: Record<string, unknown> };

/** Reads our own SSE answer into its events. */
export async function lerEventos(r: Response): Promise<EventoSSE[]> {
  const texto = await r.text();
  return texto
    .split("\n\n")
    .filter((b) => b.trim())
    .map((bloco) => {
      const evento = /^event: (.+)$/m.exec(bloco)?.[1] ?? "message";
      const dados = /^data: (.+)$/m.exec(bloco)?.[1] ?? "{}";
      return { evento, dados: JSON.parse(dados) as Record<string, unknown> };
    });
}

/** The fake each provider type talks to; openai_compativel uses LM Studio's /v1 only. */
export function criarFalso(tipo: TipoProvedor, opcoes: OpcoesServidorFalso = {}): ServidorFalso {
  switch (tipo) {
    case "llama_cpp":
      return new LlamaCppFalso(opcoes);
    case "ollama":
      return new OllamaFalso(opcoes);
    case "lm_studio":
    case "openai_compativel":
      return new LmStudioFalso(opcoes);
  }
}

/** POST /api/provedores-llm as it answers (refusals included): an Ollama at a closed port unless told otherwise. */
export function postarProvedor(
  campos: { nome: string; tipo?: TipoProvedor; base_url?: string } & Record<string, unknown>,
): Promise<Response> {
  return api("", { method: "POST", json: { tipo: "ollama", base_url: "http://127.0.0.1:9", ...campos } });
}

/** A provider created (201); named `<tipo> <random>` unless `extra.nome` says otherwise. */
export async function criarProvedor(
  tipo: TipoProvedor,
  base_url: string,
  extra: Record<string, unknown> & { nome?: string } = {},
): Promise<number> {
  const r = await postarProvedor({ nome: `${tipo} ${randomUUID().slice(0, 8)}`, tipo, base_url, ...extra });
  expect(r.status, await r.clone().text()).toBe(201);
  return ((await r.json()) as { id: number }).id;
}

/** POST /v1/chat/completions of one user message, at the shared app or another (`url`). */
export function conversarV1(model: string, extra: Record<string, unknown> = {}, url = app().url): Promise<Response> {
  return clienteApi(url).resposta("/v1/chat/completions", {
    json: { model, messages: [{ role: "user", content: "oi" }], ...extra },
  });
}

/** A type as it arrives over JSON: dates become strings. */
export type ComoJson<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? ComoJson<U>[]
    : T extends object
      ? { [K in keyof T]: ComoJson<T[K]> }
      : T;

export type Estatisticas = ComoJson<EstatisticasProvedor>;

/** The provider's statistics now; a read sees every request already answered. */
export async function lerEstatisticas(id: number, periodo = "1h"): Promise<Estatisticas> {
  const r = await api(`/${id}/estatisticas?periodo=${periodo}`);
  expect(r.status).toBe(200);
  return (await r.json()) as Estatisticas;
}

/** For requests whose end the app learns of later than the caller (a cancelled stream): wait until `total`. */
export async function esperarEstatisticas(id: number, total: number, periodo = "1h"): Promise<Estatisticas> {
  const fim = Date.now() + 10_000;
  let ultima: Estatisticas | null = null;
  while (Date.now() < fim) {
    ultima = await lerEstatisticas(id, periodo);
    if (ultima.total_requisicoes >= total) return ultima;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`estatísticas não chegaram a ${total}: ${JSON.stringify(ultima)}`);
}

export const MENSAGENS = [{ role: "user", content: "Diga olá em uma frase." }];
