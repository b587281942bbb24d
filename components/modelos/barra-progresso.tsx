/** How far along something is, 0 to 1; null when the server has not said (the bar stays empty, its value unset). */
export function BarraProgresso({ valor, rotulo }: { valor: number | null; rotulo: string }) {
  return (
    <div
      role="progressbar"
      aria-label={rotulo}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={valor === null ? undefined : Math.round(valor * 100)}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className="h-full bg-sky-600 transition-[width]" style={{ width: `${Math.round((valor ?? 0) * 100)}%` }} />
    </div>
  );
}
