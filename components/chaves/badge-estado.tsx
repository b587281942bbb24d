import type { EstadoChave } from "./escopo";

const ESTADOS: Record<EstadoChave, { texto: string; classe: string }> = {
  ativa: { texto: "Ativa", classe: "bg-sky-50 text-sky-800 ring-sky-300" },
  inativa: { texto: "Inativa", classe: "bg-slate-100 text-slate-600 ring-slate-300" },
  revogada: { texto: "Revogada", classe: "bg-red-50 text-red-800 ring-red-300" },
  expirada: { texto: "Expirada", classe: "bg-amber-50 text-amber-800 ring-amber-300" },
};

export function BadgeEstadoChave({ estado }: { estado: EstadoChave }) {
  const e = ESTADOS[estado];
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${e.classe}`}>{e.texto}</span>;
}
