import { rota } from "@/lib/http/rota";
import { verificarTodos } from "@/lib/monitor/monitor";

/**
 * One round of checks of every active provider. On Vercel no process lasts, so vercel.json's cron calls this
 * instead of a running monitor (with AUTH_TOKEN set, give CRON_SECRET the same value: Vercel sends it as Bearer).
 */
export const GET = rota(async () => Response.json({ verificados: await verificarTodos() }));
