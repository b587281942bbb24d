import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import {
  benchmarks,
  estatisticasModelos,
  estatisticasPortas,
  estatisticasProvedores,
  eventosStatus,
  histogramasLatencia,
  histogramasPortas,
  modelosProvedores,
  provedoresLlm,
  requisicoesProvedores,
} from "@/db/schema";
import { ErroApp } from "../errors";
import { esquecerFila } from "../fila";
import { esquecerSeriesDoProvedor } from "../metricas/contadores";
import { provedorMudou } from "../saude/mudancas";
import { cancelarDownloadsDe } from "./baixar-modelos";
import { esquecerLinha, lerId } from "./linha-do-provedor";

/**
 * Deletes a provider with its models, counters, histograms, request log, status events and benchmark runs in one
 * batch (one transaction); its downloads in progress are cancelled on the server. The foreign keys cascade too,
 * but a remote libSQL connection may not have them switched on.
 */
export async function excluirProvedor(idBruto: string | number): Promise<void> {
  const id = lerId(idBruto);
  const banco = db();
  const [, , , , , , , , , apagados] = await banco.batch([
    banco.delete(modelosProvedores).where(eq(modelosProvedores.provedor_id, id)),
    banco.delete(estatisticasProvedores).where(eq(estatisticasProvedores.provedor_id, id)),
    banco.delete(estatisticasModelos).where(eq(estatisticasModelos.provedor_id, id)),
    banco.delete(histogramasLatencia).where(eq(histogramasLatencia.provedor_id, id)),
    banco.delete(estatisticasPortas).where(eq(estatisticasPortas.provedor_id, id)),
    banco.delete(histogramasPortas).where(eq(histogramasPortas.provedor_id, id)),
    banco.delete(requisicoesProvedores).where(eq(requisicoesProvedores.provedor_id, id)),
    banco.delete(eventosStatus).where(eq(eventosStatus.provedor_id, id)),
    // A run still going stops at its next heartbeat, finding its row gone (lib/benchmarks/executar.ts).
    banco.delete(benchmarks).where(eq(benchmarks.provedor_id, id)),
    banco.delete(provedoresLlm).where(eq(provedoresLlm.id, id)).returning({ id: provedoresLlm.id }),
  ]);
  esquecerLinha(id);
  // Only a real delete marks the id's series as gone: AUTOINCREMENT may hand an unused id out later.
  if (apagados.length === 0) throw new ErroApp("nao_encontrado", `Provedor ${id} não encontrado.`);
  esquecerSeriesDoProvedor(id);
  esquecerFila(id);
  provedorMudou(id);
  cancelarDownloadsDe(id);
}
