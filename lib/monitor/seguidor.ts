import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import type { StatusProvedor } from "@/db/schema";
import { catalogoMudou } from "../provedores/linha-do-provedor";
import { acompanhamentoDe, acompanhar, saudeDe } from "../saude/estado";
import { ouvir, publicar } from "../saude/eventos";
import { doProcesso } from "../unico-por-processo";

/**
 * An instance that does not hold the monitor's lease follows what the holder writes: the status changes it
 * stored (`eventos_status`, in order, none missed) reach this instance's live pages, the providers' status reaches
 * this instance's health store (its breaker and router agree with the pages), and a change of the loaded models
 * or of a model list empties this instance's catalogue cache. One batch of two small reads per round (every
 * RENOVACAO_MS), only while this instance is not the holder: the holder publishes what it sees itself.
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

/** Stops following (this instance became the holder): the next start reads from the newest change again. */
export function pararDeSeguir(): void {
  estado.ultimoEvento = null;
  estado.modelos.clear();
}

/** One round: what the holder wrote since the last one reaches this instance. */
export async function seguirRodada(): Promise<void> {
  const banco = db();
  const desde = estado.ultimoEvento;
  const [eventos, provedores] = await banco.batch([
    desde === null
      ? banco.all<LinhaEvento>(sql`select coalesce(max(id), 0) as id from eventos_status`)
      : banco.all<LinhaEvento>(
          sql`select id, provedor_id, de, para, motivo, latencia_ms, criado_em from eventos_status
              where id > ${desde} order by id limit ${EVENTOS_POR_RODADA}`,
        ),
    banco.all<LinhaProvedor>(
      sql`select p.id, p.nome, p.status, p.falhas_seguidas, p.intervalo_verificacao_segundos, p.modelos_atualizados_em,
            (select group_concat(m.modelo, char(10)) from (select modelo from modelos_provedores
               where provedor_id = p.id and carregado = 1 order by modelo) m) as carregados
          from provedores_llm p`,
    ),
  ]);
  if (desde === null) estado.ultimoEvento = Number(eventos[0]?.id ?? 0);
  else anunciar(eventos);
  acompanharProvedores(provedores, desde === null);
}

function anunciar(eventos: LinhaEvento[]): void {
  for (const e of eventos) {
    // A status write of this process still under way may be this very row: it announces itself once written.
    // Read again next round (by then the announcement was made, and is not repeated).
    if ((saudeDe(e.provedor_id)?.porGravar ?? 0) > 0) return;
    estado.ultimoEvento = e.id;
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
}

function acompanharProvedores(linhas: LinhaProvedor[], primeira: boolean): void {
  let catalogo = false;
  const vistos = new Set<number>();
  for (const l of linhas) {
    vistos.add(l.id);
    // A provider this process follows takes the stored status (lib/saude/estado.ts keeps its own newer write).
    if (acompanhamentoDe(l.id)) acompanhar(l);
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
