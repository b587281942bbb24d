import "server-only";
import { bancoEmArquivo, urlBanco, urlBancoParaLog } from "@/db/client";
import { problemaDeSegundos } from "./segundos";

/**
 * Problems that stop the app from starting, each said so a person can fix it.
 * On Vercel the disk is read-only: a file database or a generated secret would fail later, so refuse now.
 */
export function problemasDeConfiguracao(env: NodeJS.ProcessEnv = process.env): string[] {
  const problemas: string[] = [];
  if (env.VERCEL) {
    if (!env.DATABASE_URL || bancoEmArquivo(urlBanco())) {
      problemas.push(
        "Na Vercel o disco não é gravável: defina DATABASE_URL com um servidor libSQL (libsql://… ou https://…) e DATABASE_AUTH_TOKEN.",
      );
    }
    if (!env.APP_SECRET) {
      problemas.push("Na Vercel defina APP_SECRET: não é possível gerar e guardar a chave de cifra em data/.");
    }
  }
  const url = urlBanco();
  if (!/^(file|libsql|https?|wss?):/.test(url)) {
    problemas.push(`DATABASE_URL "${urlBancoParaLog(url)}" não é suportada: use file:, libsql://, http(s):// ou ws(s)://.`);
  }
  for (const nome of ["DATABASE_TIMEOUT_SEGUNDOS", "ENCERRAMENTO_SEGUNDOS"]) {
    const problema = problemaDeSegundos(nome, env);
    if (problema) problemas.push(problema);
  }
  return problemas;
}
