import { aplicarMigracoes } from "@/db/migrar";
import { problemasDeConfiguracao } from "./config";

/** Refuses a configuration that would fail later, then brings the schema up to date. */
export async function iniciarAplicacao(): Promise<void> {
  const problemas = problemasDeConfiguracao();
  if (problemas.length) {
    const texto = `Configuração inválida, o Provedores LLM não pode iniciar:\n- ${problemas.join("\n- ")}`;
    console.error(texto);
    // Serving on would only fail later, request by request: stop here, where the reason is visible.
    process.exit(1);
  }
  await aplicarMigracoes();
}
