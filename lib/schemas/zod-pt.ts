import { z } from "zod";

/**
 * zod's Portuguese is Portugal's ("registo", "ficheiro", "Demasiado grande"): the words that differ are turned into
 * Brazil's, which the app speaks. Only zod's own messages pass through here (the app's are written in pt-BR).
 */
const PARA_O_BRASIL: readonly [RegExp, string][] = [
  [/\bDemasiado grande\b/g, "Grande demais"],
  [/\bDemasiado pequeno\b/g, "Pequeno demais"],
  [/\bregisto\b/g, "registro"],
  [/\bficheiro\b/g, "arquivo"],
  [/\btuplo\b/g, "tupla"],
  [/\bvetor\b/g, "lista"],
  [/deve começar por/g, "deve começar com"],
];

export function emPortuguesDoBrasil(mensagem: string): string {
  let m = mensagem;
  for (const [de, para] of PARA_O_BRASIL) m = m.replace(de, para);
  return m;
}

const portugues = z.locales.pt();
const traduzir = portugues.localeError;

// Messages zod writes itself (wrong types, unknown enum values) come out in Brazilian Portuguese too.
z.config({
  localeError: (issue) => {
    const r = traduzir(issue);
    if (typeof r === "string") return emPortuguesDoBrasil(r);
    return r?.message ? { ...r, message: emPortuguesDoBrasil(r.message) } : r;
  },
});

export { z };
