import { bancoEmUso, motivoDaFalha, urlBancoParaLog } from "@/db/client";
import { aplicarMigracoes } from "@/db/migrar";
import { problemasDeConfiguracao } from "./config";
import { doProcesso } from "./processo";

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
  try {
    await aplicarMigracoes();
  } catch (e) {
    // A database that cannot be opened or reached fails every route: say which one and why, once, and stop.
    console.error(
      `O Provedores LLM não pode iniciar: não foi possível abrir o banco de dados DATABASE_URL=${urlBancoParaLog()}: ${motivoDaFalha(e)}.`,
    );
    process.exit(1);
  }
  bancoEmUso();
}
