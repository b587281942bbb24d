import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { fimDoStreamOpenAI, jsonDoEventoOpenAI } from "../adapters/ler-eventos-do-stream";
import { ErroApp } from "../errors";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import { temRotaNativa } from "../provedores/rotas-nativas";
import type { Candidato, EntradaPassagem, PedidoModelo, ResultadoModelo } from "./pedido";
import { repassarPassagem } from "./repassar-passagem";
import { arredondar, type Tentativa } from "./tentar";

/**
 * One attempt of a door's request on one server: the door plans it for this candidate (its dialect natively,
 * or translated), the body goes to the plan's route with this candidate's model, and the answer comes back in
 * the door's dialect (a whole JSON converted, or a stream framed event by event). A stream resolves at its first
 * event: a failure until then (or no event at all) is still "before the first byte", and the next provider may
 * answer.
 */
export async function chamarPassagem(
  pedido: PedidoModelo,
  entrada: EntradaPassagem,
  t: Tentativa,
  linha: ProvedorLLMLinha,
  candidato: Candidato,
): Promise<ResultadoModelo> {
  const plano = await entrada.planejar({ tipo: linha.tipo, temRota: (rota) => temRotaNativa(linha, rota) });
  const r = await adaptadorDe(linha).abrirRota(plano.rota, { ...plano.corpo, model: t.modelo }, pedido.sinal);
  // The app's own time: from arrival to sending, less the wait in the provider's queue (reported apart).
  const overheadMs = arredondar(t.inicio - pedido.recebidoEm - t.tempoFilaMs);
  const filaMs = t.tempoFilaMs;
  if (r.tipo === "json") {
    // The conversion may refuse a body it cannot read (the server's failure); the attempt is settled last,
    // once nothing here can throw.
    const texto = plano.converter ? plano.converter(r.dados, r.texto) : r.texto;
    const uso = plano.dialeto.usoDoJson(r.dados);
    const tempo = t.respondeu(false);
    t.encerrar("ok", {
      sucesso: true,
      tempo_resposta_ms: arredondar(tempo),
      tokens_prompt: uso.prompt,
      tokens_resposta: uso.resposta,
    });
    return { tipo: "texto", provedor: candidato.provedor, overheadMs, filaMs, texto };
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
  const stream = repassarPassagem(primeiro, lotes, {
    inicio: t.inicio,
    leitor: plano.dialeto.leitor(),
    fechar: r.fechar,
    encerrar: (fim, dados) => t.encerrar(fim, dados),
    enquadrar: plano.enquadrar,
  });
  return { tipo: "stream", provedor: candidato.provedor, overheadMs, filaMs, ...stream };
}
