import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { CHAMADOR_ADMIN } from "../chaves/chamador";
import { comoErroApp } from "../errors";
import { atenderModelo } from "../gateway/atender";
import { type MedidaDaRequisicao, medirRequisicao } from "./medidas";
import { novaColeta, planoDeMedida } from "./plano";

export type PedidoDeMedida = {
  linha: ProvedorLLMLinha;
  modelo: string;
  prompt: string;
  tokensPrompt: number;
  tokensResposta: number;
  sinal: AbortSignal;
};

/**
 * One measured request through the one pipeline, pinned to the provider as the admin: it waits in the provider's
 * queue and obeys its breaker like all traffic, and writes no statistics (semEstatisticas). t0 is taken just
 * before it, so a wait in the queue is part of its time to first token (not of its client-timed prefill: the
 * answer says how long it waited). Never throws: a failure is a measure.
 */
export async function medirUmaRequisicao(p: PedidoDeMedida): Promise<MedidaDaRequisicao> {
  const coleta = novaColeta();
  const t0 = performance.now();
  let r: Awaited<ReturnType<typeof atenderModelo>>;
  try {
    r = await atenderModelo({
      porta: "requisicao",
      modelo: p.modelo,
      provedorId: p.linha.id,
      stream: true,
      entrada: { formato: "passagem", planejar: (s) => planoDeMedida(s.tipo, p.prompt, p.tokensResposta, coleta) },
      sinal: p.sinal,
      recebidoEm: t0,
      chamador: CHAMADOR_ADMIN,
      depois: (gravacao) => void gravacao.catch(() => {}),
      semEstatisticas: true,
    });
  } catch (e) {
    return { ok: false, erro: comoErroApp(e).message };
  }
  if (r.tipo !== "stream") return { ok: false, erro: "O servidor não respondeu em streaming como pedido." };
  try {
    for await (const _ of r.quadros) {
      // The framer (planoDeMedida) sees each event as the stream is driven; the bytes are empty.
    }
  } catch (e) {
    coleta.erro ??= comoErroApp(e).message;
  } finally {
    r.descartar();
  }
  if (coleta.erro) return { ok: false, erro: coleta.erro };
  if (!coleta.fim) return { ok: false, erro: "O stream terminou antes do fim da resposta." };
  if (coleta.primeiroTexto === null || coleta.ultimoTexto === null) return { ok: false, erro: "O servidor respondeu sem nenhum texto." };
  return medirRequisicao(
    {
      t0,
      primeiroTexto: coleta.primeiroTexto,
      ultimoTexto: coleta.ultimoTexto,
      eventosDeTexto: coleta.eventosDeTexto,
      tokensPromptPedidos: p.tokensPrompt,
      esperaNaFilaMs: r.filaMs,
    },
    { tokensPrompt: coleta.tokensPrompt, tokensResposta: coleta.tokensResposta, promptMs: coleta.promptMs, geracaoMs: coleta.geracaoMs },
  );
}
