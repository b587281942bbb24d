import "server-only";
import { bancoEmUso, motivoDaFalha, urlBancoParaLog } from "@/db/client";
import { migrarEsquema } from "@/db/migrar";
import { marcarInterrompidos } from "./benchmarks/interrompidos";
import { completarMigracao } from "./provedores/completar-migracao";
import { problemasDeConfiguracao } from "./config";
import { doProcesso } from "./unico-por-processo";

/**
 * Refuses a configuration that would fail later, then brings the schema up to date. Once per process: the
 * server of `npm start` (servidor.ts) waits for it before it listens, and Next's instrumentation asks again.
 */
export function iniciarAplicacao(): Promise<void> {
  return doProcesso("inicioAplicacao", () => ({ pronto: iniciar() })).pronto;
}

async function iniciar(): Promise<void> {
  const problemas = problemasDeConfiguracao();
  if (problemas.length) {
    const texto = `Configuração inválida, o Provedores LLM não pode iniciar:\n- ${problemas.join("\n- ")}`;
    console.error(texto);
    // Serving on would only fail later, request by request: stop here, where the reason is visible.
    process.exit(1);
  }
  // A database that cannot be opened or reached fails every route: say which one, what failed and why, once, and stop.
  await etapa(migrarEsquema, "não foi possível abrir o banco de dados");
  await etapa(completarMigracao, "não foi possível completar os slugs e chaves de nome dos provedores após a migração no banco de dados");
  // Benchmark runs of an instance that died mid-run (its heartbeat stopped) read `interrompido` from now on.
  await etapa(() => marcarInterrompidos(), "não foi possível marcar as execuções de benchmark interrompidas");
  bancoEmUso();
}

async function etapa(fazer: () => Promise<void>, oQueFalhou: string): Promise<void> {
  try {
    await fazer();
  } catch (e) {
    console.error(`O Provedores LLM não pode iniciar: ${oQueFalhou} DATABASE_URL=${urlBancoParaLog()}: ${motivoDaFalha(e)}.`);
    process.exit(1);
  }
}
