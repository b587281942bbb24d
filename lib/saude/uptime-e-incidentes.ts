import "server-only";
import { and, asc, desc, eq, gte, lt } from "drizzle-orm";
import { db } from "@/db/client";
import { eventosStatus, type StatusProvedor } from "@/db/schema";
import type { Disponibilidade, Incidente } from "../schemas/disponibilidade-e-incidentes";

const HORA_MS = 3600 * 1000;
const PERIODOS = { "24h": 24 * HORA_MS, "7d": 7 * 24 * HORA_MS, "30d": 30 * 24 * HORA_MS } as const;
const NO_AR: readonly StatusProvedor[] = ["online", "carregando", "instavel"];
const FORA_DO_AR: readonly StatusProvedor[] = ["offline", "erro"];
const MAX_INCIDENTES = 10;

type Trecho = { inicio: number; fim: number; status: StatusProvedor; motivo: string | null };

/**
 * Uptime over 24 h, 7 d and 30 d, and the last incidents, from the stored status changes. Time in an
 * unknown status (before the first check) counts neither way; a period with no known time has no figure.
 */
export async function calcularDisponibilidade(provedorId: number, agora = Date.now()): Promise<Disponibilidade> {
  const desde = agora - PERIODOS["30d"];
  const [anterior, eventos] = await Promise.all([
    db()
      .select()
      .from(eventosStatus)
      .where(and(eq(eventosStatus.provedor_id, provedorId), lt(eventosStatus.criado_em, new Date(desde))))
      .orderBy(desc(eventosStatus.criado_em), desc(eventosStatus.id))
      .limit(1),
    db()
      .select()
      .from(eventosStatus)
      .where(and(eq(eventosStatus.provedor_id, provedorId), gte(eventosStatus.criado_em, new Date(desde))))
      .orderBy(asc(eventosStatus.criado_em), asc(eventosStatus.id)),
  ]);
  const todos = [...anterior, ...eventos];
  const trechos: Trecho[] = todos.map((e, i) => ({
    inicio: e.criado_em.getTime(),
    fim: todos[i + 1]?.criado_em.getTime() ?? agora,
    status: e.para,
    motivo: e.motivo,
  }));

  const uptime = Object.fromEntries(
    Object.entries(PERIODOS).map(([periodo, largura]) => {
      let noAr = 0;
      let fora = 0;
      for (const t of trechos) {
        const ms = Math.max(0, Math.min(t.fim, agora) - Math.max(t.inicio, agora - largura));
        if (NO_AR.includes(t.status)) noAr += ms;
        else if (FORA_DO_AR.includes(t.status)) fora += ms;
      }
      return [periodo, noAr + fora > 0 ? Math.round((noAr / (noAr + fora)) * 10000) / 100 : null];
    }),
  ) as Disponibilidade["uptime"];

  // An incident: from going down to the first change to a status that answers (or still going on).
  const incidentes: Incidente[] = [];
  let aberto: Incidente | null = null;
  for (const t of trechos) {
    if (FORA_DO_AR.includes(t.status)) {
      aberto ??= { inicio: new Date(t.inicio), fim: null, status: t.status, motivo: t.motivo, duracao_ms: 0 };
    } else if (aberto) {
      aberto.fim = new Date(t.inicio);
      incidentes.push(aberto);
      aberto = null;
    }
  }
  if (aberto) incidentes.push(aberto);
  for (const i of incidentes) i.duracao_ms = (i.fim?.getTime() ?? agora) - i.inicio.getTime();
  return { uptime, incidentes: incidentes.reverse().slice(0, MAX_INCIDENTES) };
}
