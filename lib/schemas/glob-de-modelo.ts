// Model patterns of an access key's scope: an exact id (`llama3:8b`) or one with `*` standing for any run of
// characters (`llama3*`, `*/qwen2.5:*`). `*` is the only wildcard: every other character, `?` and `[` too, is itself.

/** Why a pattern is refused (pt-BR), or null for a good one. */
export function problemaDoGlob(padrao: string): string | null {
  if (padrao.length === 0) return "Um padrão de modelo não pode ser vazio.";
  if (padrao.length > 200) return "Um padrão de modelo pode ter até 200 caracteres.";
  if (/[\s\p{Cc}]/u.test(padrao)) return `O padrão "${padrao}" tem espaço ou caractere de controle: ids de modelo não têm.`;
  if (padrao.includes("**")) return `O padrão "${padrao}" tem "**": um "*" já vale por qualquer sequência de caracteres.`;
  return null;
}

/** Whether `modelo` matches `padrao` (exact, or `*` as any run of characters, case-sensitive like the ids). */
export function casaComGlob(padrao: string, modelo: string): boolean {
  if (!padrao.includes("*")) return padrao === modelo;
  const partes = padrao.split("*");
  const primeira = partes[0]!;
  const ultima = partes[partes.length - 1]!;
  if (modelo.length < primeira.length + ultima.length) return false;
  if (!modelo.startsWith(primeira) || !modelo.endsWith(ultima)) return false;
  // Middle parts in order, greedily leftmost: enough for `*` alone (no backtracking is ever needed).
  let pos = primeira.length;
  const fim = modelo.length - ultima.length;
  for (let i = 1; i < partes.length - 1; i++) {
    const achado = modelo.indexOf(partes[i]!, pos);
    if (achado < 0 || achado + partes[i]!.length > fim) return false;
    pos = achado + partes[i]!.length;
  }
  return true;
}
