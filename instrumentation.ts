/** Runs once when the server starts, before it answers any request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { iniciarAplicacao } = await import("@/lib/inicializacao");
  await iniciarAplicacao();
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { iniciarMonitor, monitorNesteAmbiente } = await import("@/lib/monitor/verificacoes");
  // The background checks (lib/monitor): not where no process lasts (Vercel: its cron route instead).
  if (monitorNesteAmbiente()) await iniciarMonitor();
}
