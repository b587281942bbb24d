import type { StatusProvedor } from "@/lib/schemas/tipo-e-status";

const ROTULOS: Record<StatusProvedor, { texto: string; classe: string }> = {
  // Full class names (Tailwind finds them in the source); the colours are in tailwind.config.ts.
  desconhecido: {
    texto: "Não testado",
    classe: "bg-status-desconhecido-fundo text-status-desconhecido-texto ring-status-desconhecido-anel",
  },
  online: { texto: "Online", classe: "bg-status-online-fundo text-status-online-texto ring-status-online-anel" },
  carregando: {
    texto: "Carregando modelo",
    classe: "bg-status-carregando-fundo text-status-carregando-texto ring-status-carregando-anel",
  },
  instavel: { texto: "Instável", classe: "bg-status-instavel-fundo text-status-instavel-texto ring-status-instavel-anel" },
  offline: { texto: "Offline", classe: "bg-status-offline-fundo text-status-offline-texto ring-status-offline-anel" },
  erro: { texto: "Com erro", classe: "bg-status-erro-fundo text-status-erro-texto ring-status-erro-anel" },
};

export function BadgeStatus({ status }: { status: StatusProvedor }) {
  const r = ROTULOS[status];
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${r.classe}`}>{r.texto}</span>
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
