import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import type { PedacoChat, PedidoChat } from "../adapters";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import type { Candidato, EntradaMensagens, PedidoModelo, ResultadoModelo } from "./pedido";
import { repassarMensagens, tokensPorSegundo } from "./repassar-mensagens";
import { arredondar, type Tentativa } from "./tentar";

/**
 * One attempt in the server's native chat API, answered the same for every server type. A stream resolves at
 * its first piece of text, so a server that is down, rejects the key or lacks the model is still a plain error.
 */
export async function chamarMensagens(
  pedido: PedidoModelo,
  entrada: EntradaMensagens,
  t: Tentativa,
  linha: ProvedorLLMLinha,
  candidato: Candidato,
): Promise<ResultadoModelo> {
  // The request's settings win over the provider's defaults, field by field.
  const chat: PedidoChat = {
    modelo: t.modelo,
    mensagens: entrada.mensagens,
    configuracao: { ...linha.configuracao, ...entrada.configuracao },
  };
  const adaptador = adaptadorDe(linha);
  // The app's own time: from arrival to sending, less the wait in the provider's queue (reported apart).
  const overheadMs = arredondar(t.inicio - pedido.recebidoEm - t.tempoFilaMs);
  const filaMs = t.tempoFilaMs;
  if (!pedido.stream) {
    const r = await adaptador.chat(chat, pedido.sinal);
    const tempo = arredondar(t.respondeu(false));
    const velocidade = tokensPorSegundo(r.tokens_por_segundo, r.tokens.resposta, tempo);
    t.encerrar("ok", {
      sucesso: true,
      tempo_resposta_ms: tempo,
      modelo: r.modelo,
      tokens_prompt: r.tokens.prompt,
      tokens_resposta: r.tokens.resposta,
      tokens_por_segundo: velocidade,
    });
    const resposta = {
      conteudo: r.conteudo,
      modelo: r.modelo,
      provedor_id: linha.id,
      tempo_resposta_ms: tempo,
      finish_reason: r.finish_reason,
      tokens: r.tokens,
      tokens_por_segundo: velocidade,
    };
    return { tipo: "resposta", provedor: candidato.provedor, overheadMs, filaMs, resposta };
  }
  // Cancelled by the caller's signal, or by the relay when the stream stops early.
  const cancelar = new AbortController();
  pedido.sinal?.addEventListener("abort", () => cancelar.abort(), { once: true });
  const pedacos = adaptador.chatStream(chat, cancelar.signal);
  let primeiro: IteratorResult<PedacoChat>;
  try {
    primeiro = await pedacos.next();
  } catch (e) {
    cancelar.abort();
    throw e;
  }
  t.respondeu(true);
  t.adiarGravacao();
  const stream = repassarMensagens(primeiro, pedacos, { tentativa: t, provedorId: linha.id, cancelar, enquadrar: entrada.enquadrar });
  return { tipo: "stream", provedor: candidato.provedor, overheadMs, filaMs, ...stream };
}
