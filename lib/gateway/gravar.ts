import "server-only";
import { registrarRequisicao } from "../estatisticas/registrar";
import type { RegistroRequisicao } from "../schemas/llm";
import { contarParaMetricas } from "../metricas/contadores";
import { observarUso } from "../saude/observar";

/**
 * The record stage: one attempt, one statistics row (queued, written in batches), then what else hears of it,
 * called here rather than hidden in the statistics writer: the Prometheus counters, and the health store (an
 * answer proves the server serves; a refused connection counts as a failed check). Returns the row's write.
 */
export function gravarTentativa(registro: RegistroRequisicao): Promise<void> {
  const gravacao = registrarRequisicao(registro);
  contarParaMetricas(registro);
  observarUso(registro.provedor_id, registro.sucesso, registro.codigo_erro);
  return gravacao;
}
