// Used by the pages and by the service's messages ("offline há 3 min"): one wording for both.
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
