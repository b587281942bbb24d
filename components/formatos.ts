import { duracao } from "@/lib/duracao";

/** Human sizes: 2019393189 → "1,9 GB". */
export function tamanho(bytes: number | null): string {
  if (bytes === null || bytes === undefined) return "—";
  const unidades = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < unidades.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toLocaleString("pt-BR", { maximumFractionDigits: i ? 1 : 0 })} ${unidades[i]}`;
}

export function ms(valor: number | null | undefined): string {
  if (valor === null || valor === undefined) return "—";
  return valor >= 1000 ? `${(valor / 1000).toLocaleString("pt-BR", { maximumFractionDigits: 2 })} s` : `${Math.round(valor)} ms`;
}

export function inteiro(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toLocaleString("pt-BR");
}

export function porcentagem(taxa: number | null): string {
  return taxa === null ? "—" : `${(taxa * 100).toLocaleString("pt-BR", { maximumFractionDigits: 1 })}%`;
}

export { duracao };

/** Time left as an estimate reads it, to the unit that fits: "40 s", "12 min", "3 h", "1 h 20 min" (never "0 s"). */
export function tempoRestante(segundos: number): string {
  return duracao(Math.max(1, segundos) * 1000);
}

/** A generation speed: 42.46 → "42,5 tok/s". */
export function tokS(valor: number | null | undefined): string {
  if (valor === null || valor === undefined) return "—";
  return `${valor.toLocaleString("pt-BR", { maximumFractionDigits: valor >= 100 ? 0 : 1 })} tok/s`;
}
