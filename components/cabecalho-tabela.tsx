export type Coluna = { rotulo: string /** right-aligned, for figures */; numero?: boolean };

type Props = {
  colunas: Coluna[];
  maiusculas?: boolean;
  /** A small table inside a card (the availability incidents): no band behind the header, tighter cells. */
  discreto?: boolean;
};

/** The header row every data table of the app uses. */
export function CabecalhoTabela({ colunas, maiusculas = false, discreto = false }: Props) {
  const celula = discreto ? "py-1 pr-3 font-medium last:pr-0" : "px-3 py-2";
  return (
    <thead className={`${discreto ? "" : "bg-slate-50 text-left "}text-xs text-slate-600${maiusculas ? " uppercase" : ""}`}>
      <tr>
        {colunas.map((c) => (
          <th key={c.rotulo} scope="col" className={c.numero ? `${celula} text-right` : celula}>
            {c.rotulo}
          </th>
        ))}
      </tr>
    </thead>
  );
}
