import { ErroApp } from "../../errors";
import { verificarTodos } from "../../monitor/verificacoes";
import { eventosDoMonitor } from "../../monitor/stream";
import type { Manipulador } from "../../portas/troca";
import { respostaJson, respostaSSE } from "./respostas";

/** SSE: `estado` (every provider's status) at once, then `status` and `modelos` as the monitor sees changes. */
export const eventos: Manipulador = async (p) => respostaSSE(await eventosDoMonitor(p.sinal), p.sinal);

/**
 * One round of checks of every active provider. On Vercel no process lasts, so vercel.json's cron calls this
 * instead of a running monitor. Vercel sends CRON_SECRET as a Bearer token: when it is set, nothing else
 * may start a round (with AUTH_TOKEN set too, give both the same value: the gate asks for AUTH_TOKEN first).
 */
export const verificar: Manipulador = async (p) => {
  const segredo = process.env.CRON_SECRET;
  if (segredo && p.cabecalho("authorization") !== `Bearer ${segredo}`) {
    throw new ErroApp("nao_autorizado", "Esta rota é do cron: envie o CRON_SECRET como Bearer.");
  }
  return respostaJson(200, { verificados: await verificarTodos() });
};
