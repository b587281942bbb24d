import type { ButtonHTMLAttributes, ReactNode } from "react";

export type VarianteBotao = "primario" | "secundario" | "perigo";
/** cheio: the page's main act; contorno: a lesser one beside it; texto: an act inside a row or a sentence. */
export type FormaBotao = "cheio" | "contorno" | "texto";
export type TamanhoBotao = "normal" | "medio" | "compacto";

const FORMA_PADRAO: Record<VarianteBotao, FormaBotao> = { primario: "cheio", secundario: "contorno", perigo: "cheio" };

const CORES: Record<FormaBotao, Record<VarianteBotao, string>> = {
  cheio: {
    primario: "bg-sky-700 font-semibold text-white hover:bg-sky-800",
    secundario: "bg-slate-700 font-semibold text-white hover:bg-slate-800",
    perigo: "bg-red-700 font-semibold text-white hover:bg-red-800",
  },
  contorno: {
    primario: "font-medium text-sky-700 ring-1 ring-sky-300 hover:bg-sky-50",
    secundario: "font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50",
    perigo: "font-medium text-red-700 ring-1 ring-red-300 hover:bg-red-50",
  },
  texto: {
    primario: "font-medium text-sky-700 hover:bg-sky-50",
    secundario: "font-medium text-slate-700 hover:bg-slate-100",
    perigo: "font-medium text-red-700 hover:bg-red-50",
  },
};

const TAMANHOS: Record<TamanhoBotao, string> = { normal: "px-4 py-2", medio: "px-3 py-2", compacto: "px-3 py-1" };

export type AparenciaBotao = { variante?: VarianteBotao; forma?: FormaBotao; tamanho?: TamanhoBotao };

/** The classes of a button's look, also for a link that acts as one. */
export function classeBotao({ variante = "primario", forma = FORMA_PADRAO[variante], tamanho = "normal" }: AparenciaBotao = {}): string {
  const foco = variante === "perigo" ? "focus-visible:ring-red-600" : "focus-visible:ring-sky-600";
  const medida = forma === "texto" ? "px-2 py-1" : TAMANHOS[tamanho];
  return `rounded-md text-sm ${medida} ${CORES[forma][variante]} focus:outline-none focus-visible:ring-2 ${foco} disabled:opacity-60`;
}

/** A link among a row's buttons (Testar, Editar): it goes to another page, so it keeps a link's colour. */
export const CLASSE_LINK_ACAO = "rounded-md px-2 py-1 text-sm font-medium text-sky-800 hover:bg-sky-50";

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "className"> &
  AparenciaBotao & {
    /** While true the button is disabled, marked busy and shows `textoPendente` (when given). */
    pendente?: boolean;
    textoPendente?: ReactNode;
    className?: string;
  };

/** The app's button: primary, secondary or danger, with a pending state. */
export function Botao({
  variante,
  forma,
  tamanho,
  pendente = false,
  textoPendente,
  className,
  type = "button",
  disabled,
  children,
  ...resto
}: Props) {
  const classes = [classeBotao({ variante, forma, tamanho }), pendente ? "cursor-wait" : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <button type={type} disabled={disabled || pendente} aria-busy={pendente || undefined} className={classes} {...resto}>
      {pendente && textoPendente !== undefined ? textoPendente : children}
    </button>
  );
}
