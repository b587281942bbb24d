import "server-only";
import { eq } from "drizzle-orm";
import { db, ehBancoIndisponivel } from "@/db/client";
import { provedoresLlm, type ProvedorLLMLinha } from "@/db/schema";
import { ErroApp } from "../errors";
import { doProcesso } from "../unico-por-processo";
import { IdProvedor } from "../schemas/provedor";
import { validar } from "../schemas/validar";

/** Path ids arrive as text; anything but a positive integer is a 400, never a 500. */
export function lerId(id: string | number): number {
  return validar(IdProvedor, id);
}

// The row last read of each provider: what routing and the monitor go on with while the database is away.
const linhasConhecidas = doProcesso("linhasConhecidas", () => new Map<number, ProvedorLLMLinha>());

export async function buscarLinha(id: number): Promise<ProvedorLLMLinha> {
  const [linha] = await db().select().from(provedoresLlm).where(eq(provedoresLlm.id, id)).limit(1);
  if (!linha) throw new ErroApp("nao_encontrado", `Provedor ${id} não encontrado.`);
  if (linhasConhecidas.size > 1000) linhasConhecidas.clear();
  linhasConhecidas.set(id, linha);
  return linha;
}

/** The row; while the database is away, the one this process last read of it, whatever its age. */
export async function buscarLinhaOuConhecida(id: number): Promise<ProvedorLLMLinha> {
  try {
    return await buscarLinha(id);
  } catch (e) {
    const conhecida = ehBancoIndisponivel(e) ? linhasConhecidas.get(id) : undefined;
    if (!conhecida) throw e;
    return conhecida;
  }
}

// Requests read their provider on every call; a short-lived copy spares the database that read.
// Writes through this service forget the copy at once; other processes see a change within the TTL.
const TTL_LINHA_MS = 2000;
const linhasRecentes = doProcesso("linhasRecentes", () => new Map<number, { linha: ProvedorLLMLinha; ate: number }>());

export async function buscarLinhaRecente(id: number): Promise<ProvedorLLMLinha> {
  const agora = Date.now();
  const guardada = linhasRecentes.get(id);
  if (guardada && guardada.ate > agora) return guardada.linha;
  // The database away: the row this process last read still routes (an edit made meanwhile waits for it).
  const linha = await buscarLinhaOuConhecida(id);
  if (linhasRecentes.size > 1000) linhasRecentes.clear();
  linhasRecentes.set(id, { linha, ate: agora + TTL_LINHA_MS });
  return linha;
}

export function esquecerLinha(id: number): void {
  linhasRecentes.delete(id);
  linhasConhecidas.delete(id);
  catalogoMudou();
}

// Bumped by every write that changes what the gateway can route to (providers, their model caches).
const catalogo = doProcesso("versaoCatalogo", () => ({ versao: 0 }));

export function catalogoMudou(): void {
  catalogo.versao += 1;
}

export function versaoDoCatalogo(): number {
  return catalogo.versao;
}
