import type { StatusProvedor } from "@/db/schema";

const ROTULOS: Record<StatusProvedor, { texto: string; classe: string }> = {
  desconhecido: { texto: "Não testado", classe: "bg-slate-100 text-slate-700 ring-slate-300" },
  online: { texto: "Online", classe: "bg-emerald-50 text-emerald-800 ring-emerald-300" },
  offline: { texto: "Offline", classe: "bg-red-50 text-red-800 ring-red-300" },
  erro: { texto: "Com erro", classe: "bg-amber-50 text-amber-800 ring-amber-300" },
};

export function BadgeStatus({ status }: { status: StatusProvedor }) {
  const r = ROTULOS[status];
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${r.classe}`}>
      {r.texto}
    </span>
  );
}

export function BadgeAtivo({ ativo }: { ativo: boolean }) {
  return ativo ? (
    <span className="inline-flex rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-inset ring-sky-300">
      Ativo
    </span>
  ) : (
    <span className="inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-inset ring-slate-300">
      Inativo
    </span>
  );
}
