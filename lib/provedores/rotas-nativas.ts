import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import type { RotaDoServidor } from "../adapters";
import { comoErroApp } from "../errors";
import { doProcesso } from "../unico-por-processo";
import { adaptadorDe } from "./adaptador-do-provedor";

/** How long what a provider serves is believed: an upgraded server is asked again after it. */
export const LEMBRAR_ROTAS_MS = 10 * 60 * 1000;

type Sabido = { tem: Promise<boolean>; ate: number };

/** What each provider (by id and address: an edited address is learned afresh) serves, per route. */
const sabidas = doProcesso("rotasNativas", () => new Map<string, Sabido>());

/** A route the server lacks: llama-server's and Ollama's 404, LM Studio's 200 "Unexpected endpoint", a 405. */
function faltaARota(e: unknown): boolean {
  const erro = comoErroApp(e);
  if (erro.statusServidor === 404 || erro.statusServidor === 405) return true;
  return erro.statusServidor === undefined && erro.codigo === "provedor_erro" && /unexpected endpoint/i.test(erro.message);
}

/**
 * One probe: the route asked with an empty body. A server that has it refuses the body (400, 422, even 500) or
 * answers; one that lacks it says so (faltaARota). Unreachable, timed out or refusing the key: thrown, not
 * learned, so the attempt fails as it would have.
 */
async function sondar(linha: ProvedorLLMLinha, rota: RotaDoServidor): Promise<boolean> {
  try {
    await adaptadorDe(linha).abrirRota(rota, {});
    return true;
  } catch (e) {
    if (faltaARota(e)) return false;
    const erro = comoErroApp(e);
    if (erro.codigo === "provedor_erro" && erro.statusServidor !== undefined) return true;
    throw e;
  }
}

/**
 * Whether a provider serves `rota` natively (Anthropic's `/v1/messages` on a recent llama-server, Ollama or
 * LM Studio; `/v1/responses`; …): learned by one probe, per provider, kept LEMBRAR_ROTAS_MS. Concurrent
 * requests share the probe (bounded by the provider's own timeout, not one caller's signal). Learned per server, not per type: older versions of every type lack these routes.
 */
export function temRotaNativa(linha: ProvedorLLMLinha, rota: RotaDoServidor): Promise<boolean> {
  const chave = `${linha.id}|${linha.base_url}|${rota}`;
  const agora = Date.now();
  const sabido = sabidas.get(chave);
  if (sabido && sabido.ate > agora) return sabido.tem;
  const tem = sondar(linha, rota);
  sabidas.set(chave, { tem, ate: agora + LEMBRAR_ROTAS_MS });
  // A probe that could not answer is not remembered: the next request asks again.
  tem.catch(() => {
    if (sabidas.get(chave)?.tem === tem) sabidas.delete(chave);
  });
  return tem;
}

/** A connection test, an edit or a deletion asks afresh (the server may have been upgraded or replaced). */
export function esquecerRotasNativas(provedorId: number): void {
  for (const chave of sabidas.keys()) if (chave.startsWith(`${provedorId}|`)) sabidas.delete(chave);
}
