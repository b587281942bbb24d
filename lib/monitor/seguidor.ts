import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import type { StatusProvedor } from "@/db/schema";
import { catalogoMudou } from "../provedores/linha-do-provedor";
import { acompanhamentoDe, acompanhar, saudeDe } from "../saude/estado";
import { ouvir, publicar } from "../saude/eventos";
import { gravandoStatus, ultimoEventoGravado } from "../saude/observar";
import { doProcesso } from "../unico-por-processo";

/**
 * An instance that does not hold the monitor's lease follows what the holder writes: the status changes it
 * stored (`eventos_status`, in order, none missed) reach this instance's live pages, the providers' status reaches
 * this instance's health store (its breaker and router agree with the pages), and a change of the loaded models
 * or of a model list empties this instance's catalogue cache. One batch of two small reads per round (every
 * RENOVACAO_MS), while this instance is not the holder; the holder reads only the status changes. A change
 * this process wrote itself is skipped by its event id (it was announced when written).
 */

/** Status changes read per round at most: more wait for the next round. */
const EVENTOS_POR_RODADA = 200;

type LinhaEvento = {
  id: number;
  provedor_id: number;
  de: StatusProvedor;
  para: StatusProvedor;
  motivo: string | null;
  latencia_ms: number | null;
  criado_em: number;
};

type LinhaProvedor = {
  id: number;
  nome: string;
  status: StatusProvedor;
  falhas_seguidas: number;
  intervalo_verificacao_segundos: number;
  modelos_atualizados_em: number | null;
  carregados: string | null;
};

const estado = doProcesso("seguidorMonitor", () => {
  const s = {
    /** The last status change read (null: not yet started, start from the newest). */
    ultimoEvento: null as number | null,
    /** Per provider, what its model list and loaded models looked like at the last round. */
    modelos: new Map<number, { atualizados: number | null; carregados: string }>(),
    /** Per provider, the status this process's live pages last heard (from anyone: this process's own changes too). */
    anunciado: new Map<number, StatusProvedor>(),
  };
  ouvir((e) => {
    if (e.tipo === "status") s.anunciado.set(e.provedor_id, e.status);
  });
  return s;
});

/**
 * Stops following (this instance became the holder). The last event read is kept: when this instance follows again,
 * it reads every change written since (its own are skipped by id), none missed at a change of holder.
 */
export function pararDeSeguir(): void {
  estado.modelos.clear();
}

/**
 * One round: what the holder wrote since the last one reaches this instance. The holder itself (`titular`) reads
 * only the status changes: other instances write some too (a request's refused connection, a "Testar"), and its
 * pages must hear them; its own are skipped by id.
 */
export async function seguirRodada(titular = false): Promise<void> {
  const banco = db();
  const desde = estado.ultimoEvento;
  const iniciada = Date.now();
  const lerEventos =
    desde === null
      ? banco.all<LinhaEvento>(sql`select coalesce(max(id), 0) as id from eventos_status`)
      : banco.all<LinhaEvento>(
          sql`select id, provedor_id, de, para, motivo, latencia_ms, criado_em from eventos_status
              where id > ${desde} order by id limit ${EVENTOS_POR_RODADA}`,
        );
  if (titular) {
    const eventos = await lerEventos;
    if (desde === null) estado.ultimoEvento = Number(eventos[0]?.id ?? 0);
    else anunciar(eventos);
    return;
  }
  const [eventos, provedores] = await banco.batch([
    lerEventos,
    banco.all<LinhaProvedor>(
      sql`select p.id, p.nome, p.status, p.falhas_seguidas, p.intervalo_verificacao_segundos, p.modelos_atualizados_em,
            (select group_concat(m.modelo, char(10)) from (select modelo from modelos_provedores
               where provedor_id = p.id and carregado = 1 order by modelo) m) as carregados
          from provedores_llm p`,
    ),
  ]);
  let todos = true;
  if (desde === null) estado.ultimoEvento = Number(eventos[0]?.id ?? 0);
  else todos = anunciar(eventos) && eventos.length < EVENTOS_POR_RODADA;
  acompanharProvedores(provedores, desde === null, todos, iniciada);
}

/** Publishes the changes read, in order; false when it stopped before the last (the rest come next round). */
function anunciar(eventos: LinhaEvento[]): boolean {
  for (const e of eventos) {
    // A status write of this process under way may be this very row: it announces itself once written.
    // Read again next round (by then the announcement was made, and is not repeated). Only a write in flight:
    // one kept for when the database returns may wait for long, and must not hold every later change back.
    if (gravandoStatus(e.provedor_id)) return false;
    estado.ultimoEvento = e.id;
    // This process wrote (and announced) this change, or a later one of the same provider: this one is old news.
    if (e.id <= ultimoEventoGravado(e.provedor_id)) continue;
    if (estado.anunciado.get(e.provedor_id) === e.para) continue;
    publicar({
      tipo: "status",
      provedor_id: e.provedor_id,
      status: e.para,
      de: e.de,
      motivo: e.motivo,
      latencia_ms: e.latencia_ms,
      em: new Date(Number(e.criado_em)).toISOString(),
    });
  }
  return true;
}

/**
 * `eventosLidos`: every change up to this snapshot was read and announced, so a row whose status still differs from
 * what the pages last heard changed without an event this process read (one written back after an outage, or
 * one skipped at a change of holder): that status is announced too, so no change is missed.
 */
function acompanharProvedores(linhas: LinhaProvedor[], primeira: boolean, eventosLidos: boolean, lidaEm: number): void {
  let catalogo = false;
  const vistos = new Set<number>();
  for (const l of linhas) {
    vistos.add(l.id);
    const acompanhado = acompanhamentoDe(l.id);
    const ouvido = estado.anunciado.get(l.id) ?? acompanhado?.status;
    // A provider this process follows takes the stored status (lib/saude/estado.ts keeps its own newer write).
    if (acompanhado) acompanhar(l);
    if (
      !primeira &&
      eventosLidos &&
      ouvido !== undefined &&
      ouvido !== l.status &&
      !gravandoStatus(l.id) &&
      (saudeDe(l.id)?.porGravar ?? 0) === 0 &&
      // A write of this process that ended after the read began may be newer than this row.
      (saudeDe(l.id)?.gravadoEm ?? 0) < lidaEm
    ) {
      publicar({
        tipo: "status",
        provedor_id: l.id,
        status: l.status,
        de: ouvido,
        motivo: null,
        latencia_ms: null,
        em: new Date().toISOString(),
      });
    }
    const agora = {
      atualizados: l.modelos_atualizados_em === null ? null : Number(l.modelos_atualizados_em),
      carregados: l.carregados ?? "",
    };
    const antes = estado.modelos.get(l.id);
    estado.modelos.set(l.id, agora);
    if (primeira) continue;
    // A provider created on another instance: the catalogue is built again.
    if (!antes) {
      catalogo = true;
      continue;
    }
    if (antes.atualizados !== agora.atualizados) catalogo = true;
    if (antes.carregados !== agora.carregados) {
      catalogo = true;
      publicar({ tipo: "modelos", provedor_id: l.id, carregados: agora.carregados ? agora.carregados.split("\n") : [] });
    }
  }
  for (const id of estado.modelos.keys()) {
    if (vistos.has(id)) continue;
    // Deleted on another instance.
    estado.modelos.delete(id);
    catalogo = true;
  }
  if (catalogo) catalogoMudou();
}
