import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { idDaInstancia } from "../instancia";

/**
 * The lease that lets one instance among those sharing a database run something alone (the monitor): a row of
 * `concessoes` (migration 0010) naming its holder and when it lapses.
 *
 * Whose clock: the database's. Every instance compares `expira_em` with the same clock (the database's
 * `unixepoch`), so clocks that disagree between machines cannot let two instances both think the lease is theirs
 * nor keep a dead holder's lease alive. The holder counts its own validity on its local monotonic clock, from the
 * moment it *sent* the renewal that succeeded, less MARGEM_CONCESSAO_MS: the database set `expira_em` after that
 * moment, so the holder stops before the others can take over, with a margin for a late timer or a step of the
 * database host's clock up to that margin.
 */

/** How long a lease lasts unless renewed. */
export const DURACAO_CONCESSAO_MS = 6000;
/** The holder renews this often, and the others try for the lease this often. */
export const RENOVACAO_MS = 2000;
/** A lease try answered later than this counts as not known: the next round goes out on time. */
export const PRAZO_TOMADA_MS = RENOVACAO_MS - 250;
/**
 * The holder stops this long before the lease lapses by its own count: for a `vence` timer that fires late on a
 * loaded event loop, and for the database host's wall clock stepping.
 */
export const MARGEM_CONCESSAO_MS = 1000;

const agora = sql`cast(unixepoch('subsecond') * 1000 as integer)`;

/**
 * Takes the lease `nome` when it is free or lapsed, or renews it when this instance holds it — one conditional
 * upsert, so of two instances trying at once exactly one gets it. True when this instance holds it now.
 */
export async function tomarConcessao(nome: string): Promise<boolean> {
  const linhas = await db().all<{ titular: string }>(
    sql`insert into concessoes (nome, titular, expira_em, desde)
        values (${nome}, ${idDaInstancia()}, ${agora} + ${DURACAO_CONCESSAO_MS}, ${agora})
        on conflict (nome) do update set
          titular = excluded.titular,
          expira_em = excluded.expira_em,
          desde = case when concessoes.titular = excluded.titular then concessoes.desde else excluded.desde end
        where concessoes.titular = excluded.titular or concessoes.expira_em <= excluded.desde
        returning titular`,
  );
  return linhas.length > 0;
}

/** Gives the lease up (a graceful shutdown), if this instance still holds it: another takes it at its next try. */
export async function soltarConcessao(nome: string): Promise<void> {
  await db().run(sql`delete from concessoes where nome = ${nome} and titular = ${idDaInstancia()}`);
}
