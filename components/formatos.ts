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

/** A duration people read at a glance: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function duracao(valorMs: number): string {
  const s = Math.round(valorMs / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
