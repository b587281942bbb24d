import { comoErroApp, ErroApp } from "../../errors";
import type { ModeloNoProvedor } from "../../gateway/catalogo";
import { outroPodeResponder } from "../../gateway/tentar";
import { carregarModelo, descarregarModelo } from "../../provedores";
import { sabidamenteOffline } from "../../saude/estado";
import { respostaJson } from "../resposta-json";
import type { Resposta } from "../troca";
import { ehDescarregar } from "./traduzir";

/** Ollama's answer to a load (or an unload): one object, `done_reason` saying which. */
export function linhaDeCarga(modo: "chat" | "generate", nome: string, descarregar: boolean): Record<string, unknown> {
  const base = { model: nome, created_at: new Date().toISOString() };
  const corpo = modo === "chat" ? { ...base, message: { role: "assistant", content: "" } } : { ...base, response: "" };
  return { ...corpo, done: true, done_reason: descarregar ? "unload" : "load" };
}

/**
 * The load (or, with `keep_alive: 0`, the unload) an empty chat or generate asks for, on a server that is not
 * an Ollama (a real Ollama gets the request itself, through the pipeline, and applies the client's keep_alive):
 * through its model management (LM Studio's load/unload, llama.cpp's router), the candidates in routing order.
 * A model some candidate already has loaded is not loaded again (LM Studio would load a second instance); an
 * unload reaches every candidate that has it loaded. A server that cannot (a single-model llama-server) loads on
 * demand: the answer is the same.
 */
export async function carregarForaDoOllama(
  modo: "chat" | "generate",
  nome: string,
  candidatos: readonly ModeloNoProvedor[],
  manter: string | number | undefined,
  sinal: AbortSignal,
): Promise<Resposta> {
  const descarregar = ehDescarregar(manter);
  const responder = () => respostaJson(200, linhaDeCarga(modo, nome, descarregar));
  if (descarregar) {
    for (const c of candidatos)
      if (c.carregado !== false) await tentar(() => descarregarModelo(c.provedor.id, { modelo: c.modelo }, sinal));
    return responder();
  }
  if (candidatos.some((c) => c.carregado === true)) return responder();
  let ultimo: ErroApp | null = null;
  for (const c of candidatos) {
    // A provider known offline is skipped (a load is no probe of the breaker's); the failover rule is the pipeline's.
    if (sabidamenteOffline(c.provedor.id)) {
      ultimo ??= new ErroApp(
        "provedor_indisponivel",
        `O provedor "${c.provedor.nome}" está offline: o modelo "${nome}" não foi carregado.`,
      );
      continue;
    }
    try {
      await tentar(() => carregarModelo(c.provedor.id, { modelo: c.modelo }, sinal));
      return responder();
    } catch (e) {
      ultimo = comoErroApp(e);
      if (!outroPodeResponder(ultimo) || sinal.aborted) throw ultimo;
    }
  }
  if (ultimo) throw ultimo;
  return responder();
}

/** A server without model management (acao_nao_suportada) loads on demand: not a failure here. */
async function tentar(acao: () => Promise<unknown>): Promise<void> {
  try {
    await acao();
  } catch (e) {
    if (comoErroApp(e).codigo !== "acao_nao_suportada") throw e;
  }
}
