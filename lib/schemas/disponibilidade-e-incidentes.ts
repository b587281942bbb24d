import { STATUS_PROVEDOR } from "./tipo-e-status";
import { z } from "./zod-pt";

const Status = z.enum(STATUS_PROVEDOR);
const Percentual = z.number().min(0).max(100).nullable();

/** A time the provider was down: from going offline (or erro) to answering again; `fim` null while it lasts. */
export const Incidente = z.object({
  inicio: z.date(),
  fim: z.date().nullable(),
  status: Status,
  motivo: z.string().nullable(),
  duracao_ms: z.number().int(),
});
export type Incidente = z.infer<typeof Incidente>;

/** GET /api/provedores-llm/{id}/disponibilidade: uptime % (null: nothing known in the period) and incidents. */
export const Disponibilidade = z.object({
  uptime: z.object({ "24h": Percentual, "7d": Percentual, "30d": Percentual }),
  incidentes: z.array(Incidente),
});
export type Disponibilidade = z.infer<typeof Disponibilidade>;
