import { and, eq, lt, sql } from "drizzle-orm";
import { db, ehBancoIndisponivel, quandoBancoVoltar } from "@/db/client";
import { eventosStatus, provedoresLlm, type ProvedorLLMLinha, type StatusProvedor } from "@/db/schema";
import { duracao } from "../duracao";
import { ErroApp } from "../errors";
import { doProcesso } from "../processo";
import { publicar } from "./eventos";
import { FALHAS_PARA_OFFLINE, type Observacao, proximaSituacao, type Situacao } from "./transicao";

/** Status changes are kept this long: enough for the 30-day uptime. */
const RETENCAO_EVENTOS_MS = 90 * 24 * 3600 * 1000;

export type LinhaAcompanhada = Pick<ProvedorLLMLinha, "id" | "nome" | "status" | "falhas_seguidas" | "intervalo_verificacao_segundos">;

type Acompanhado = Situacao & {
  nome: string;
  intervaloMs: number;
  /** When the status last changed (or was first seen), for "offline há 3 min". */
  desde: number;
  /** When the circuit breaker last let a request through to an offline provider. */
  passagemEm: number;
};

// What this process knows of each provider's health; the database holds the same (status, falhas_seguidas).
const acompanhados = doProcesso("situacoesMonitor", () => new Map<number, Acompanhado>());
// Each provider's status writes, in order. Kept apart from `acompanhados`, whose entry `esquecer` drops: a write
// the old entry queued on a slow database must still land before the ones of the entry that replaces it.
const gravacoes = doProcesso("gravacoesSituacoes", () => new Map<number, Promise<void>>());

/** Queues `gravar` after the provider's earlier writes; `gravar` handles its own failure. */
function enfileirarGravacao(id: number, gravar: () => Promise<void>): Promise<void> {
  const fila: Promise<void> = (gravacoes.get(id) ?? Promise.resolve()).then(gravar).finally(() => {
    if (gravacoes.get(id) === fila) gravacoes.delete(id);
  });
  gravacoes.set(id, fila);
  return fila;
}
// Providers whose status could not be written while the database was away: rewritten from memory when it returns.
const naoGravados = doProcesso("situacoesNaoGravadas", () => {
  quandoBancoVoltar(() => regravarNaoGravados());
  return new Set<number>();
});

function regravarNaoGravados(): void {
  for (const id of [...naoGravados]) {
    naoGravados.delete(id);
    const a = acompanhados.get(id);
    if (!a) continue;
    void enfileirarGravacao(id, () =>
      db()
        .update(provedoresLlm)
        .set({ status: a.status, falhas_seguidas: a.falhas_seguidas })
        .where(eq(provedoresLlm.id, id))
        .then(
          () => {},
          (e: unknown) => {
            if (ehBancoIndisponivel(e)) naoGravados.add(id);
            else console.error("[provedores-llm] status não gravado:", (e as Error).message);
          },
        ),
    );
  }
}

// The breaker works with the monitor, whose checks notice a server coming back; without it, requests go through.
const disjuntor = doProcesso("disjuntor", () => ({ ligado: false }));

export function ligarDisjuntor(ligado: boolean): void {
  disjuntor.ligado = ligado;
}

/** Starts following a provider from its stored status (or refreshes its name and interval). */
export function acompanhar(linha: LinhaAcompanhada): void {
  const atual = acompanhados.get(linha.id);
  if (atual) {
    atual.nome = linha.nome;
    atual.intervaloMs = linha.intervalo_verificacao_segundos * 1000;
    return;
  }
  acompanhados.set(linha.id, {
    status: linha.status,
    falhas_seguidas: linha.falhas_seguidas,
    motivo: null,
    nome: linha.nome,
    intervaloMs: linha.intervalo_verificacao_segundos * 1000,
    desde: Date.now(),
    passagemEm: 0,
  });
}

/** Forgets a provider (deleted, or its address changed): the next observation starts from its row. */
export function esquecer(id: number): void {
  acompanhados.delete(id);
}

export function statusAtual(id: number): StatusProvedor | undefined {
  return acompanhados.get(id)?.status;
}

/**
 * Offline as far as the running monitor knows: after 3 failures in a row (a server that failed once, at its
 * first check or a manual test, still gets requests). Without the monitor, nothing is taken as known.
 */
export function sabidamenteOffline(id: number): boolean {
  const a = acompanhados.get(id);
  return disjuntor.ligado && a?.status === "offline" && a.falhas_seguidas >= FALHAS_PARA_OFFLINE;
}

/**
 * The circuit breaker: a provider known offline is refused at once with the stored reason, instead of
 * making the caller wait for its timeout; one request per check interval still goes through, as a probe.
 * Only while the monitor runs (MONITOR=desligado turns both off).
 * Returns the refusal, or null to go ahead.
 */
export function recusaDoDisjuntor(id: number): ErroApp | null {
  const a = acompanhados.get(id);
  if (!a || !sabidamenteOffline(id)) return null;
  const agora = Date.now();
  if (agora - a.passagemEm >= a.intervaloMs) {
    a.passagemEm = agora;
    return null;
  }
  return new ErroApp(
    "provedor_indisponivel",
    `O provedor "${a.nome}" está offline há ${duracao(agora - a.desde)}${a.motivo ? ` (${a.motivo.replace(/\.$/, "")})` : ""}. ` +
      `Nova tentativa em até ${duracao(a.intervaloMs - (agora - a.passagemEm))}; a página do provedor mostra quando ele voltar.`,
  );
}

/** Throws the breaker's refusal, if any (see recusaDoDisjuntor). */
export function barrarSeOffline(id: number): void {
  const recusa = recusaDoDisjuntor(id);
  if (recusa) throw recusa;
}

/** A check's own record: when it ran and how long the server took (null when it failed). */
export type RegistroChecagem = { em: Date; latencia_ms: number | null };

/**
 * Applies one observation (a check, a connection test, a request) to the provider's status. Only a change
 * is written (status, failures in a row, the event) — a check also stores its time and latency — and each
 * status change is announced once written.
 */
export function observar(id: number, o: Observacao, checagem?: RegistroChecagem): Promise<void> {
  const a = acompanhados.get(id);
  if (!a) return Promise.resolve();
  const de = a.status;
  const nova = proximaSituacao(a, o);
  const mudou = nova.status !== de;
  if (!mudou && nova.falhas_seguidas === a.falhas_seguidas && !checagem) return gravacoes.get(id) ?? Promise.resolve();
  a.status = nova.status;
  a.falhas_seguidas = nova.falhas_seguidas;
  a.motivo = nova.motivo;
  const agora = checagem?.em ?? new Date();
  if (mudou) {
    a.desde = agora.getTime();
    // Just declared offline: the breaker waits a whole interval before letting a request probe.
    a.passagemEm = agora.getTime();
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
      await banco.batch([
        atualizar,
        // A provider deleted meanwhile gets no event (a remote libSQL may not enforce the foreign key).
        banco.run(
          sql`insert into eventos_status (provedor_id, criado_em, de, para, motivo, latencia_ms)
              select id, ${agora.getTime()}, ${de}, ${nova.status}, ${nova.motivo}, ${latencia} from provedores_llm where id = ${id}`,
        ),
        banco
          .delete(eventosStatus)
          .where(and(eq(eventosStatus.provedor_id, id), lt(eventosStatus.criado_em, new Date(agora.getTime() - RETENCAO_EVENTOS_MS)))),
      ]);
      if (evento) publicar(evento);
    } catch (e) {
      if (!ehBancoIndisponivel(e)) return console.error("[provedores-llm] status não gravado:", (e as Error).message);
      // The database away (an outage is logged once, in db/saude.ts): live pages hear of the change from
      // memory, and the row gets the status this process holds when the database returns.
      naoGravados.add(id);
      if (evento) publicar(evento);
    }
  });
}

/**
 * What a request says of its provider: an answer proves it serves; a refused connection counts as a failed
 * check. Other errors (a timeout during a long generation, a bad parameter) say nothing about its health.
 */
export function observarUso(provedorId: number, sucesso: boolean, codigoErro: string | null): void {
  if (sucesso) void observar(provedorId, { ok: true, carregando: false, latenciaMs: null });
  else if (codigoErro === "provedor_indisponivel") {
    void observar(provedorId, {
      ok: false,
      codigo: "provedor_indisponivel",
      motivo: "Uma requisição não conseguiu conectar ao servidor.",
    });
  }
}
