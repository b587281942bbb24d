import { comoErroApp, ErroApp } from "../../errors";
import type { ModeloNoProvedor } from "../../gateway/catalogo";
import { carregarModelo, descarregarModelo } from "../../provedores";
import type { Resposta } from "../troca";
import { CABECALHOS_NDJSON } from "./quadros";
import { ehDescarregar } from "./traduzir";

/**
 * A chat without messages (a generate without a prompt) loads the model, or unloads it with `keep_alive: 0`,
 * as Ollama does: through the server's own model management (Ollama's keep_alive, LM Studio's load/unload,
 * llama.cpp's router). A server that cannot (a single-model llama-server) loads on demand: the answer is the
 * same. The first provider that has the model is the one asked.
 */
export async function carregarPeloOllama(
  modo: "chat" | "generate",
  alvo: { nome: string; entradas: ModeloNoProvedor[] },
  manter: string | number | undefined,
  stream: boolean,
  sinal: AbortSignal,
): Promise<Resposta> {
  const entrada = alvo.entradas[0];
  if (!entrada) throw new ErroApp("modelo_nao_encontrado", `model '${alvo.nome}' not found: nenhum provedor ativo tem este modelo.`);
  const descarregar = ehDescarregar(manter);
  try {
    const acao = descarregar ? descarregarModelo : carregarModelo;
    await acao(entrada.provedor.id, { modelo: entrada.modelo }, sinal);
  } catch (e) {
    if (comoErroApp(e).codigo !== "acao_nao_suportada") throw e;
  }
  const base = { model: alvo.nome, created_at: new Date().toISOString() };
  const corpo = modo === "chat" ? { ...base, message: { role: "assistant", content: "" } } : { ...base, response: "" };
  const texto = JSON.stringify({ ...corpo, done: true, done_reason: descarregar ? "unload" : "load" });
  return stream
    ? { status: 200, cabecalhos: CABECALHOS_NDJSON, corpo: `${texto}\n` }
    : { status: 200, cabecalhos: { "content-type": "application/json" }, corpo: texto };
}
