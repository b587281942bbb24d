import type { EstadoBenchmark } from "@/lib/schemas/benchmark";
import { ROTULO_ESTADO } from "./rotulos-benchmark";

const CLASSES: Record<EstadoBenchmark, string> = {
  executando: "bg-sky-50 text-sky-800 ring-sky-300",
  concluido: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  cancelado: "bg-slate-100 text-slate-700 ring-slate-300",
  falhou: "bg-red-50 text-red-800 ring-red-300",
  interrompido: "bg-amber-50 text-amber-900 ring-amber-300",
};

/** A run's state in pt-BR: Executando, Concluído, Cancelado, Falhou, Interrompido. */
export function BadgeEstadoBenchmark({ estado }: { estado: EstadoBenchmark }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${CLASSES[estado]}`}
      data-estado={estado}
    >
      {ROTULO_ESTADO[estado]}
    </span>
  );
}
