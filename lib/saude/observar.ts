import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { db, ehBancoIndisponivel, quandoBancoVoltar } from "@/db/client";
import { eventosStatus, provedoresLlm } from "@/db/schema";
import { doProcesso } from "../unico-por-processo";
import { acompanhamentoDe, gravacaoDeStatus } from "./estado";
import { publicar } from "./eventos";
import { type Observacao, proximaSituacao } from "./transicao";

const RESOLVIDA: Promise<void> = Promise.resolve();
/** What an answered request says: the server serves (one object, for every answer). */
const RESPONDEU: Observacao = { ok: true, carregando: false, latenciaMs: null };

/** Status changes are kept this long: enough for the 30-day uptime. */
const RETENCAO_EVENTOS_MS = 90 * 24 * 3600 * 1000;

// Each provider's status writes, in order. Kept apart from the health store, whose status `esquecer` drops: a write
// the old entry queued on a slow database must still land before the ones of the entry that replaces it.
const gravacoes = doProcesso("gravacoesSituacoes", () => new Map<number, Promise<void>>());

/** Queues `gravar` after the provider's earlier writes; `gravar` handles its own failure. */
function enfileirarGravacao(id: number, gravar: () => Promise<void>): Promise<void> {
  gravacaoDeStatus(id, true);
  const fila: Promise<void> = (gravacoes.get(id) ?? Promise.resolve()).then(gravar).finally(() => {
    gravacaoDeStatus(id, false);
    if (gravacoes.get(id) === fila) gravacoes.delete(id);
  });
  gravacoes.set(id, fila);
  return fila;
}

/** True while a status write of this process for the provider is queued or under way (not one kept for later). */
export function gravandoStatus(id: number): boolean {
  return gravacoes.has(id);
}

// Per provider, the highest status event id this process inserted (and announced): a follower skips those.
const eventosGravados = doProcesso("eventosStatusGravados", () => new Map<number, number>());

/** The highest `eventos_status.id` this process inserted for the provider (0: none). */
export function ultimoEventoGravado(id: number): number {
  return eventosGravados.get(id) ?? 0;
}
// Providers whose status could not be written while the database was away: rewritten from memory when it returns.
const naoGravados = doProcesso("situacoesNaoGravadas", () => {
  quandoBancoVoltar(() => regravarNaoGravados());
  return new Set<number>();
});

/** Kept for when the database returns: until rewritten, memory is newer than the row (a pending write). */
function naoGravar(id: number): void {
  if (naoGravados.has(id)) return;
  naoGravados.add(id);
  gravacaoDeStatus(id, true);
}

function regravarNaoGravados(): void {
  for (const id of [...naoGravados]) {
    naoGravados.delete(id);
    gravacaoDeStatus(id, false);
    const a = acompanhamentoDe(id);
    if (!a) continue;
    void enfileirarGravacao(id, () =>
      db()
        .update(provedoresLlm)
        .set({ status: a.status, falhas_seguidas: a.falhas_seguidas })
        .where(eq(provedoresLlm.id, id))
        .then(
          () => {},
          (e: unknown) => {
            if (ehBancoIndisponivel(e)) naoGravar(id);
            else console.error("[provedores-llm] status não gravado:", (e as Error).message);
          },
        ),
    );
  }
}

/** A check's own record: when it ran and how long the server took (null when it failed). */
export type RegistroChecagem = { em: Date; latencia_ms: number | null };

/**
 * Applies one observation (a check, a connection test, a request) to the provider's status. Only a change
 * is written (status, failures in a row, the event) — a check also stores its time and latency — and each
 * status change is announced once written.
 */
export function observar(id: number, o: Observacao, checagem?: RegistroChecagem): Promise<void> {
  const a = acompanhamentoDe(id);
  if (!a) return RESOLVIDA;
  // The common case, every answered request: online stays online, nothing to work out or allocate.
  if (!checagem && o.ok && !o.carregando && o.latenciaMs === null && a.status === "online" && a.falhas_seguidas === 0) {
    return gravacoes.get(id) ?? RESOLVIDA;
  }
  const de = a.status;
  const nova = proximaSituacao(a, o);
  const mudou = nova.status !== de;
  if (!mudou && nova.falhas_seguidas === a.falhas_seguidas && !checagem) return gravacoes.get(id) ?? RESOLVIDA;
  a.status = nova.status;
  a.falhas_seguidas = nova.falhas_seguidas;
  a.motivo = nova.motivo;
  const agora = checagem?.em ?? new Date();
  if (mudou) {
    a.desde = agora.getTime();
    // Just declared offline: the breaker waits a whole interval from now before letting a request probe. Not from
    // the check's start: a check that hung for its timeout may have outlasted the interval already.
    a.passagemEm = Date.now();
  }
  const latencia = checagem?.latencia_ms ?? null;
  const evento = mudou
    ? {
        tipo: "status" as const,
        provedor_id: id,
        status: nova.status,
        de,
        motivo: nova.motivo,
        latencia_ms: latencia,
        em: agora.toISOString(),
      }
    : null;
  return enfileirarGravacao(id, async () => {
    try {
      const banco = db();
      const atualizar = banco
        .update(provedoresLlm)
        .set({
          status: nova.status,
          falhas_seguidas: nova.falhas_seguidas,
          ...(checagem ? { ultimo_teste_em: checagem.em, ultima_latencia_ms: checagem.latencia_ms } : {}),
        })
        .where(eq(provedoresLlm.id, id));
      if (!mudou) {
        await atualizar;
        return;
      }
      const [, inseridos] = await banco.batch([
        atualizar,
        // A provider deleted meanwhile gets no event (a remote libSQL may not enforce the foreign key).
        banco.all<{ id: number }>(
          sql`insert into eventos_status (provedor_id, criado_em, de, para, motivo, latencia_ms)
              select id, ${agora.getTime()}, ${de}, ${nova.status}, ${nova.motivo}, ${latencia} from provedores_llm where id = ${id}
              returning id`,
        ),
        banco
          .delete(eventosStatus)
          .where(and(eq(eventosStatus.provedor_id, id), lt(eventosStatus.criado_em, new Date(agora.getTime() - RETENCAO_EVENTOS_MS)))),
      ]);
      const inserido = Number(inseridos[0]?.id ?? 0);
      if (inserido > ultimoEventoGravado(id)) eventosGravados.set(id, inserido);
      if (evento) publicar(evento);
    } catch (e) {
      if (!ehBancoIndisponivel(e)) return console.error("[provedores-llm] status não gravado:", (e as Error).message);
      // The database away (an outage is logged once, in db/saude.ts): live pages hear of the change from
      // memory, and the row gets the status this process holds when the database returns.
      naoGravar(id);
      if (evento) publicar(evento);
    }
  });
}

/** A request got the first byte of an answer: the server serves (a breaker's probe reopens it here). */
export function observarResposta(provedorId: number): void {
  void observar(provedorId, RESPONDEU);
}

/**
 * What a failed request says of its provider: a refused connection counts as a failed check. Other errors (a
 * timeout during a long generation, a bad parameter) say nothing about its health. An answer was observed at its
 * first byte (observarResposta).
 */
export function observarFalhaDeUso(provedorId: number, codigoErro: string | null): void {
  if (codigoErro === "provedor_indisponivel") {
    void observar(provedorId, {
      ok: false,
      codigo: "provedor_indisponivel",
      motivo: "Uma requisição não conseguiu conectar ao servidor.",
    });
  }
}
