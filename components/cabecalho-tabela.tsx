export type Coluna = { rotulo: string /** right-aligned, for figures */; numero?: boolean };

/** The header row every data table of the app uses. */
export function CabecalhoTabela({ colunas, maiusculas = false }: { colunas: Coluna[]; maiusculas?: boolean }) {
  return (
    <thead className={`bg-slate-50 text-left text-xs text-slate-600${maiusculas ? " uppercase" : ""}`}>
      <tr>
        {colunas.map((c) => (
          <th key={c.rotulo} scope="col" className={c.numero ? "px-3 py-2 text-right" : "px-3 py-2"}>
            {c.rotulo}
          </th>
        ))}
      </tr>
    </thead>
  );
}
