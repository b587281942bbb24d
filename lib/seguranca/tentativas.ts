import "server-only";
import { doProcesso } from "../unico-por-processo";

// Wrong AUTH_TOKENs per client address: more than LIMITE in JANELA_MS blocks that address for BLOQUEIO_MS.
// Kept in memory (one process; the proxy and the server actions share it through globalThis).
const LIMITE = 10;
const JANELA_MS = 60_000;
const BLOQUEIO_MS = 60_000;
const MAXIMO_ENDERECOS = 10_000;

type Registro = { inicio: number; falhas: number; bloqueadoAte: number };

const registros = doProcesso("tentativasDeLogin", () => new Map<string, Registro>());

/** Seconds the address must still wait, or 0 when it may try. */
export function esperaDe(endereco: string, agora = Date.now()): number {
  const r = registros.get(endereco);
  return r && r.bloqueadoAte > agora ? Math.ceil((r.bloqueadoAte - agora) / 1000) : 0;
}

/** Counts one wrong token; answers the wait now imposed on the address (0 while under the limit). */
export function registrarFalha(endereco: string, agora = Date.now()): number {
  if (registros.size >= MAXIMO_ENDERECOS) {
    for (const [chave, r] of registros) if (r.inicio + JANELA_MS < agora && r.bloqueadoAte < agora) registros.delete(chave);
    // Still full: a flood of addresses; start over rather than grow without bound.
    if (registros.size >= MAXIMO_ENDERECOS) registros.clear();
  }
  let r = registros.get(endereco);
  if (!r || r.inicio + JANELA_MS < agora) {
    r = { inicio: agora, falhas: 0, bloqueadoAte: 0 };
    registros.set(endereco, r);
  }
  r.falhas += 1;
  if (r.falhas > LIMITE && r.bloqueadoAte <= agora) {
    r.bloqueadoAte = agora + BLOQUEIO_MS;
    console.warn(
      `[provedores-llm] ${r.falhas} tokens de acesso errados de ${endereco} em menos de ${JANELA_MS / 1000} s: endereço bloqueado por ${BLOQUEIO_MS / 1000} s.`,
    );
  }
  return esperaDe(endereco, agora);
}

export function mensagemMuitasTentativas(segundos: number): string {
  return `Muitas tentativas com token errado a partir deste endereço. Tente de novo em ${segundos} s.`;
}
