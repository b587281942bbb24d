import "server-only";
import { registrarRequisicao } from "../estatisticas/registrar";
import type { RegistroRequisicao } from "../schemas/llm";
import { contarParaMetricas } from "../metricas/contadores";
import { observarFalhaDeUso } from "../saude/observar";

/**
 * The record stage: one attempt, one statistics row (queued, written in batches), then what else hears of it,
 * called here rather than hidden in the statistics writer: the Prometheus counters, and the health store (a
 * refused connection counts as a failed check; an answer was observed at its first byte, in lib/gateway/tentar.ts).
 * Returns the row's write.
 */
export function gravarTentativa(registro: RegistroRequisicao): Promise<void> {
  const gravacao = registrarRequisicao(registro);
  contarParaMetricas(registro);
  if (!registro.sucesso) observarFalhaDeUso(registro.provedor_id, registro.codigo_erro);
  return gravacao;
}
