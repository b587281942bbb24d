import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, lt, ne, notInArray, or, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { sessoes } from "@/db/schema";
import { doProcesso } from "../unico-por-processo";
import { tokenDeAcesso } from "./autenticacao";

export const SESSAO_DURACAO_S = 30 * 24 * 3600;
// A valid session is remembered this long, sparing the database a read per request. Logout in this
// process forgets it at once; another instance (Vercel) sees a logout within this time.
const LEMBRAR_MS = 5000;
/** Open sessions per AUTH_TOKEN (one per browser that logged in): a new login past this ends the oldest. */
const MAXIMO_SESSOES = 20;
const FORMATO_COOKIE = /^[A-Za-z0-9_-]{43}$/;

const validas = doProcesso("sessoesValidas", () => new Map<string, { expiraEm: number; ate: number }>());

function idDe(valorCookie: string): string {
  return createHash("sha256").update(valorCookie).digest("hex");
}

/** Which AUTH_TOKEN a session belongs to (a hash: the token itself is never stored). */
function impressaoDoToken(): string | null {
  const token = tokenDeAcesso();
  return token ? createHash("sha256").update(`provedores-llm/sessao:${token}`).digest("hex") : null;
}

/** Opens a session and answers the cookie's value (random, 256 bits). */
export async function abrirSessao(): Promise<string> {
  const impressao = impressaoDoToken();
  if (!impressao) throw new Error("abrirSessao sem AUTH_TOKEN");
  const valor = randomBytes(32).toString("base64url");
  const agora = Date.now();
  const banco = db();
  // One batch (one transaction, one round trip): sessions that expired or belong to an older AUTH_TOKEN go,
  // the new one is written, and past MAXIMO_SESSOES the oldest go, so a script logging in over and over does
  // not fill the table for 30 days.
  const [, , excedentes] = await banco.batch([
    banco.delete(sessoes).where(or(lt(sessoes.expira_em, new Date(agora)), ne(sessoes.impressao_token, impressao))),
    banco.insert(sessoes).values({ id: idDe(valor), impressao_token: impressao, expira_em: new Date(agora + SESSAO_DURACAO_S * 1000) }),
    banco
      .delete(sessoes)
      .where(
        and(
          eq(sessoes.impressao_token, impressao),
          notInArray(
            sessoes.id,
            banco
              .select({ id: sessoes.id })
              .from(sessoes)
              .where(eq(sessoes.impressao_token, impressao))
              // Newest first; several logins can share a millisecond, so insertion order breaks ties and the
              // session just opened is always kept.
              .orderBy(desc(sessoes.criado_em), sql`rowid desc`)
              .limit(MAXIMO_SESSOES),
          ),
        ),
      )
      .returning({ id: sessoes.id }),
  ]);
  for (const { id } of excedentes) validas.delete(`${impressao}:${id}`);
  return valor;
}

/** True for a cookie of an open, unexpired session of the current AUTH_TOKEN. */
export async function sessaoValida(valorCookie: string | null | undefined): Promise<boolean> {
  const impressao = impressaoDoToken();
  if (!impressao || !valorCookie || !FORMATO_COOKIE.test(valorCookie)) return false;
  const id = idDe(valorCookie);
  const agora = Date.now();
  const lembrada = validas.get(`${impressao}:${id}`);
  if (lembrada && lembrada.ate > agora && lembrada.expiraEm > agora) return true;
  const [linha] = await db()
    .select({ expira_em: sessoes.expira_em })
    .from(sessoes)
    .where(and(eq(sessoes.id, id), eq(sessoes.impressao_token, impressao)))
    .limit(1);
  if (!linha || linha.expira_em.getTime() <= agora) return false;
  if (validas.size > 1000) validas.clear();
  validas.set(`${impressao}:${id}`, { expiraEm: linha.expira_em.getTime(), ate: agora + LEMBRAR_MS });
  return true;
}

/** Logout: the session ends on the server, so a copy of the cookie no longer opens anything. */
export async function encerrarSessao(valorCookie: string | null | undefined): Promise<void> {
  if (!valorCookie || !FORMATO_COOKIE.test(valorCookie)) return;
  const id = idDe(valorCookie);
  for (const chave of validas.keys()) if (chave.endsWith(`:${id}`)) validas.delete(chave);
  await db().delete(sessoes).where(eq(sessoes.id, id));
}
