import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { fimDoStreamOpenAI, jsonDoEventoOpenAI } from "../adapters/ler-eventos-do-stream";
import { ErroApp } from "../errors";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import type { Candidato, EntradaOpenAI, PedidoModelo, ResultadoModelo } from "./pedido";
import { repassarOpenAI, type Uso } from "./repassar-openai";
import { arredondar, type Tentativa } from "./tentar";

/**
 * One attempt in the server's own OpenAI route, the caller's body sent as given (with this candidate's model).
 * The adapter asks for usage where the server takes it (the statistics read it); the usage chunk is passed on
 * only if the caller asked. A stream resolves at its first event: a failure until then (or no event at all)
 * is still "before the first byte", and the next provider may answer.
 */
export async function chamarOpenAI(
  pedido: PedidoModelo,
  entrada: EntradaOpenAI,
  t: Tentativa,
  linha: ProvedorLLMLinha,
  candidato: Candidato,
): Promise<ResultadoModelo> {
  const r = await adaptadorDe(linha).abrirOpenAI(pedido.rota, { ...entrada.corpo, model: t.modelo }, pedido.sinal);
  const overheadMs = arredondar(t.inicio - pedido.recebidoEm);
  if (r.tipo === "json") {
    // A body of `null` is valid JSON; the attempt is settled last, once nothing here can throw.
    const uso = (r.dados as { usage?: Uso } | null)?.usage;
    const tempo = t.respondeu(false);
    t.encerrar("ok", {
      sucesso: true,
      tempo_resposta_ms: arredondar(tempo),
      tokens_prompt: uso?.prompt_tokens ?? null,
      tokens_resposta: uso?.completion_tokens ?? null,
    });
    return { tipo: "texto", provedor: candidato.provedor, overheadMs, texto: r.texto };
  }
  const lotes = r.eventos[Symbol.asyncIterator]();
  const primeiro = await lotes.next().catch((e: unknown) => {
    r.fechar();
    throw e;
  });
  if (primeiro.done) {
    r.fechar();
    throw new ErroApp("provedor_erro", "O servidor encerrou o stream sem enviar nenhum evento.");
  }
  // A 200 whose first event is the server's error (a proxy whose upstream refused) is still a failure
  // before the first byte: the next provider may answer. Only that first event is read twice.
  const abertura = primeiro.value[0]!;
  if (!fimDoStreamOpenAI(abertura)) {
    try {
      t.noEvento = true;
      jsonDoEventoOpenAI(abertura);
      t.noEvento = false;
    } catch (e) {
      r.fechar();
      throw e;
    }
  }
  // Latency to the first byte; the request stays in flight until the stream ends.
  t.respondeu(true);
  t.adiarGravacao();
  const stream = repassarOpenAI(primeiro, lotes, {
    inicio: t.inicio,
    pediuUso: entrada.pediuUso,
    fechar: r.fechar,
    encerrar: (fim, dados) => t.encerrar(fim, dados),
    enquadrar: pedido.enquadrar,
  });
  return { tipo: "stream", provedor: candidato.provedor, overheadMs, ...stream };
}
