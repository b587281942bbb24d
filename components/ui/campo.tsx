import { useId, type ReactNode } from "react";

/** The look of every text input, select and textarea; an invalid one gets a red border. */
export const CLASSE_ENTRADA =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/30 aria-[invalid=true]:border-red-600";

/** normal: a form's field; compacto: one of a row of small controls (the list's filters), as wide as its content. */
export type TamanhoCampo = "normal" | "compacto";

const CLASSES: Record<TamanhoCampo, { rotulo: string; entrada: string }> = {
  normal: { rotulo: "block text-sm font-medium text-slate-800", entrada: CLASSE_ENTRADA },
  compacto: {
    rotulo: "block text-xs font-medium text-slate-600",
    entrada: "mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600",
  },
};

/** What the field's control spreads onto itself: its id (the label points at it), its look, and its error link. */
export type AtributosEntrada = {
  id: string;
  className: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
};

type Props = {
  rotulo: ReactNode;
  /** The message under the field; while it is set the control is marked invalid and described by it. */
  erro?: string | undefined;
  /** A hint under the control, before the error. */
  dica?: ReactNode;
  /** Anything else the field shows between the hint and the error (e.g. a related checkbox). */
  extra?: ReactNode;
  /** Announce the error as it appears (role="alert"): for an error that only comes back from the server. */
  anunciarErro?: boolean;
  tamanho?: TamanhoCampo;
  className?: string;
  /** The control itself (input, select, textarea), given the attributes that tie it to the label and the error. */
  children: (atributos: AtributosEntrada) => ReactNode;
};

/** A label, its control, an optional hint and the field's error, wired for screen readers. */
export function Campo({ rotulo, erro, dica, extra, anunciarErro = false, tamanho = "normal", className, children }: Props) {
  const id = useId();
  const idErro = `${id}-erro`;
  const atributos: AtributosEntrada = {
    id,
    className: CLASSES[tamanho].entrada,
    ...(erro ? { "aria-invalid": true, "aria-describedby": idErro } : {}),
  };
  return (
    <div className={className}>
      <label htmlFor={id} className={CLASSES[tamanho].rotulo}>
        {rotulo}
      </label>
      {children(atributos)}
      {dica ? <p className="mt-1 text-xs text-slate-500">{dica}</p> : null}
      {extra}
      {erro ? (
        <p id={idErro} role={anunciarErro ? "alert" : undefined} className="mt-1 text-sm text-red-700">
          {erro}
        </p>
      ) : null}
    </div>
  );
}
