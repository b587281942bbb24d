import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { afterAll, expect } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { ServidorFalso } from "../servidores/base";
import { api, app, rotasDoApp } from "./contexto";
import { criarProvedor, MENSAGENS } from "./llm";
import { esperarAte } from "./portas";

// Helpers for tests that stream through both doors (/v1 and requisicao) on the shared app.

/** A model id no other test uses: /v1 routes by model over every active provider of the shared app. */
export const modeloUnico = (nome: string) => `st-${nome}-${randomUUID().slice(0, 6)}`;

/** Starts test servers, each stopped after the file's tests. Call at the top of a test file. */
export function servidoresDoArquivo(): <S extends ServidorFalso>(falso: S) => Promise<S> {
  const falsos: ServidorFalso[] = [];
  afterAll(() => Promise.all(falsos.map((f) => f.parar())));
  return (falso) => {
    falsos.push(falso);
    return falso.iniciar();
  };
}

/** A provider for a running server, its model cache filled by a connection test. */
export async function provedorTestado(tipo: TipoProvedor, falso: ServidorFalso, extra: Record<string, unknown> = {}): Promise<number> {
  const id = await criarProvedor(tipo, falso.url, { timeout_segundos: 5, ...extra });
  const teste = await api(`/${id}/testar`, { method: "POST" });
  expect(await teste.json()).toMatchObject({ sucesso: true });
  return id;
}

export function clienteV1(): OpenAI {
  return new OpenAI({ baseURL: `${app().url}/v1`, apiKey: "qualquer", maxRetries: 0, timeout: 15_000 });
}

/**
 * A streamed chat through /v1 read to its end with the SDK: the text, the usage, and what the SDK raised
 * (an error status before the stream, or an error event in it).
 */
export async function lerStreamV1(modelo: string, extra: { stream_options?: { include_usage: boolean } } = {}) {
  const messages = [{ role: "user" as const, content: MENSAGENS[0]!.content }];
  let texto = "";
  let uso: OpenAI.CompletionUsage | null = null;
  try {
    const stream = await clienteV1().chat.completions.create({ model: modelo, messages, stream: true, ...extra });
    for await (const c of stream) {
      texto += c.choices[0]?.delta?.content ?? "";
      uso = c.usage ?? uso;
    }
    return { texto, uso, erro: null };
  } catch (erro) {
    return { texto, uso, erro };
  }
}

/** The same /v1 stream, as raw bytes (what any client would receive). */
export async function streamCruV1(modelo: string): Promise<{ status: number; corpo: string }> {
  const r = await rotasDoApp().resposta("/v1/chat/completions", {
    json: { model: modelo, messages: MENSAGENS, stream: true },
  });
  return { status: r.status, corpo: await r.text() };
}

export type LinhaRequisicao = { sucesso: boolean; codigo_erro: string | null; stream: boolean; modelo: string };

/** The provider's request rows, newest first, once `n` are written (the statistics are written after the answer). */
export async function linhasDoProvedor(id: number, n: number): Promise<LinhaRequisicao[]> {
  let atuais: LinhaRequisicao[] = [];
  await esperarAte(
    async () => {
      const r = await api(`/${id}/requisicoes`);
      atuais = ((await r.json()) as { requisicoes: LinhaRequisicao[] }).requisicoes;
      return atuais.length >= n;
    },
    10_000,
    `${n} requisições do provedor ${id}`,
  );
  return atuais;
}
