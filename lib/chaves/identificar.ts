import "server-only";
import { eq, isNull } from "drizzle-orm";
import { bancoDisponivel, db, ehBancoIndisponivel } from "@/db/client";
import { type ChaveAcessoLinha, chavesAcesso } from "@/db/schema";
import { ErroApp } from "../errors";
import { doProcesso } from "../unico-por-processo";
import type { ChaveEmUso } from "./chamador";
import { chaveDoSegredo } from "./consultar";
import { hashDoSegredo, PREFIXO_DO_SEGREDO } from "./segredo";

/**
 * Who a secret belongs to, as the gate asks on every request that carries one. What the database says is kept
 * per instance for at most LEMBRAR_MS: a key revoked, deactivated or changed on another instance sharing the
 * database is refused (or seen changed) here within that time. Writes made on this instance forget at once.
 */
export const LEMBRAR_MS = 5000;
/** Keys remembered at once: past this, the oldest reading goes (a flood of secrets never grows the map). */
const MAXIMO_LEMBRADAS = 1000;
/** `ultimo_uso_em` is written at most this often per key and instance. */
const INTERVALO_ULTIMO_USO_MS = 60_000;

/**
 * How long past LEMBRAR_MS a reading still holds while the database is away: a short outage does not refuse
 * every key, and a key revoked on another instance meanwhile is refused within LEMBRAR_MS + TOLERANCIA_MS.
 */
export const TOLERANCIA_MS = 3000;

export { PREFIXO_DO_SEGREDO };

const bancoFora = () =>
  new ErroApp(
    "banco_indisponivel",
    "O banco de dados está indisponível: não dá para conferir chaves de acesso agora. Tente de novo em instantes.",
  );

/** A secret's reading: the row (null: no key has this secret), until `ate`. Keyed by the secret's hash, never the secret. */
type Leitura = { ate: number; linha: Promise<ChaveAcessoLinha | null> };

const lidas = doProcesso("chavesLidas", () => new Map<string, Leitura>());
const existencia = doProcesso("chavesExistem", () => ({
  ate: 0,
  valor: null as Promise<boolean> | null,
  /**
   * The last answer read, standing in for as long as the database is away: unlike a key's own reading it grants
   * nothing (a caller without a key is the admin of an app with no key, or a 401), so an outage keeps the doors
   * as they were instead of closing an app that has no key at all.
   */
  ultimo: null as boolean | null,
}));
const usos = doProcesso("chavesUltimoUso", () => new Map<number, number>());

export type Identificacao = { tipo: "chave"; chave: ChaveEmUso } | { tipo: "recusada"; mensagem: string };

const MENSAGEM_DESCONHECIDA =
  "Chave de acesso inválida: nenhuma chave tem esse valor. Confira a chave enviada (Authorization: Bearer ou x-api-key) ou peça uma nova a quem administra este Provedores LLM.";

/** Whether a credential is an access key (by its prefix), so the gate looks it up instead of comparing it with AUTH_TOKEN. */
export function pareceChave(credencial: string): boolean {
  return credencial.startsWith(PREFIXO_DO_SEGREDO);
}

/** What the pipeline reads of a row, built once per row read (a row is remembered ≤ LEMBRAR_MS, never changed). */
const emUsoDaLinha = new WeakMap<ChaveAcessoLinha, ChaveEmUso>();

function emUso(linha: ChaveAcessoLinha): ChaveEmUso {
  let chave = emUsoDaLinha.get(linha);
  if (chave === undefined) {
    chave = deLinha(linha);
    emUsoDaLinha.set(linha, chave);
  }
  return chave;
}

function deLinha(linha: ChaveAcessoLinha): ChaveEmUso {
  return {
    id: linha.id,
    nome: linha.nome,
    prefixo: linha.prefixo,
    provedores: linha.provedores,
    modelos: linha.modelos,
    portas: linha.portas,
    limite_rpm: linha.limite_rpm,
    limite_tpm: linha.limite_tpm,
    limite_concorrencia: linha.limite_concorrencia,
    orcamento_tokens_dia: linha.orcamento_tokens_dia,
    orcamento_tokens_mes: linha.orcamento_tokens_mes,
    prioridade: linha.prioridade,
  };
}

function lerLinha(segredo: string, agora: number): Promise<ChaveAcessoLinha | null> {
  const hash = hashDoSegredo(segredo);
  const lida = lidas.get(hash);
  if (lida && lida.ate > agora) return lida.linha;
  // The database known to be away: what was last read holds a little longer, without waiting for a call that
  // would time out; past that, refused (another instance may have revoked the key meanwhile).
  if (lida && !bancoDisponivel()) return lida.ate + TOLERANCIA_MS > agora ? lida.linha : Promise.reject(bancoFora());
  if (lida) lidas.delete(hash);
  else if (lidas.size >= MAXIMO_LEMBRADAS) {
    // A Map keeps insertion order: the first entry is the oldest reading.
    for (const [h, l] of lidas) if (l.ate <= agora) lidas.delete(h);
    if (lidas.size >= MAXIMO_LEMBRADAS) lidas.delete(lidas.keys().next().value as string);
  }
  const anterior = lida && lida.ate + TOLERANCIA_MS > agora ? lida.linha : null;
  const linha = chaveDoSegredo(segredo).catch(async (e: unknown) => {
    // The database away: what was last read of this key holds for TOLERANCIA_MS past its time (another
    // instance sharing the database may revoke it meanwhile); never read, or read too long ago, the error stands.
    const ultima = anterior ? await anterior.catch(() => null) : null;
    if (ultima && ehBancoIndisponivel(e) && (lida?.ate ?? 0) + TOLERANCIA_MS > Date.now()) return ultima;
    if (ehBancoIndisponivel(e)) throw bancoFora();
    throw e;
  });
  const nova: Leitura = { ate: agora + LEMBRAR_MS, linha };
  lidas.set(hash, nova);
  // An unknown secret is not remembered: it costs a lookup, and the login throttle bounds how many an address sends.
  linha.then(
    (l) => {
      if (l === null && lidas.get(hash) === nova) lidas.delete(hash);
    },
    () => {
      if (lidas.get(hash) === nova) lidas.delete(hash);
    },
  );
  return linha;
}

function dataLegivel(d: Date): string {
  return d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");
}

/**
 * The key a secret opens, or why it opens nothing (unknown, revoked, inactive, expired), in a message that
 * names the key but never repeats the secret.
 */
export async function identificarChave(segredo: string, agora = Date.now()): Promise<Identificacao> {
  const linha = await lerLinha(segredo, agora);
  if (!linha) return { tipo: "recusada", mensagem: MENSAGEM_DESCONHECIDA };
  const nome = `"${linha.nome}" (${linha.prefixo}…)`;
  if (linha.revogada_em !== null) {
    return {
      tipo: "recusada",
      mensagem: `Chave de acesso ${nome} revogada: ela não vale mais. Peça uma nova a quem administra este Provedores LLM.`,
    };
  }
  if (!linha.ativa) {
    return { tipo: "recusada", mensagem: `Chave de acesso ${nome} desativada: quem administra este Provedores LLM pode reativá-la.` };
  }
  if (linha.expira_em !== null && linha.expira_em.getTime() <= agora) {
    return {
      tipo: "recusada",
      mensagem: `Chave de acesso ${nome} expirada em ${dataLegivel(linha.expira_em)}. Peça uma nova a quem administra este Provedores LLM.`,
    };
  }
  marcarUso(linha.id, agora);
  return { tipo: "chave", chave: emUso(linha) };
}

/**
 * Whether any key is in use (not revoked): from then on the model doors require a key or the admin token.
 * Read from the database, so every instance agrees within LEMBRAR_MS.
 */
export function existeChaveEmUso(agora = Date.now()): Promise<boolean> {
  if (existencia.valor && existencia.ate > agora) return existencia.valor;
  if (existencia.ultimo !== null && !bancoDisponivel()) {
    return Promise.resolve(existencia.ultimo);
  }
  const valor = db()
    .select({ id: chavesAcesso.id })
    .from(chavesAcesso)
    .where(isNull(chavesAcesso.revogada_em))
    .limit(1)
    .then(
      (linhas) => {
        existencia.ultimo = linhas.length > 0;
        return existencia.ultimo;
      },
      (e: unknown) => {
        // A failed read is not remembered: the next request asks again. The database away, the last answer
        // holds a little longer (a first key created on another instance closes these doors within the bound).
        if (existencia.valor === valor) existencia.ate = 0;
        if (!ehBancoIndisponivel(e)) throw e;
        if (existencia.ultimo !== null) return existencia.ultimo;
        throw bancoFora();
      },
    );
  existencia.valor = valor;
  existencia.ate = agora + LEMBRAR_MS;
  return valor;
}

/** A key was created, changed or revoked on this instance: what was read of the keys is read again. */
export function esquecerChavesLidas(): void {
  lidas.clear();
  existencia.ate = 0;
  existencia.valor = null;
}

/** `ultimo_uso_em`, at most once a minute per key and instance, written in the background (the request never waits). */
function marcarUso(id: number, agora: number): void {
  const ultimo = usos.get(id);
  if (ultimo !== undefined && agora - ultimo < INTERVALO_ULTIMO_USO_MS) return;
  if (usos.size >= MAXIMO_LEMBRADAS) usos.clear();
  usos.set(id, agora);
  void Promise.resolve()
    .then(() =>
      db()
        .update(chavesAcesso)
        .set({ ultimo_uso_em: new Date(agora) })
        .where(eq(chavesAcesso.id, id)),
    )
    .catch((e: unknown) => {
      console.warn(`[provedores-llm] não consegui registrar o último uso da chave ${id}: ${(e as Error).message}`);
    });
}
