import { ErroApp } from "@/lib/errors";
import { rota } from "@/lib/http/rota";
import { verificarTodos } from "@/lib/monitor/monitor";

/**
 * One round of checks of every active provider. On Vercel no process lasts, so vercel.json's cron calls this
 * instead of a running monitor. Vercel sends CRON_SECRET as a Bearer token: when it is set, nothing else
 * may start a round (with AUTH_TOKEN set too, give both the same value: the gate asks for AUTH_TOKEN first).
 */
export const GET = rota(async (request) => {
  const segredo = process.env.CRON_SECRET;
  if (segredo && request.headers.get("authorization") !== `Bearer ${segredo}`) {
    throw new ErroApp("nao_autorizado", "Esta rota é do cron: envie o CRON_SECRET como Bearer.");
  }
  return Response.json({ verificados: await verificarTodos() });
});
