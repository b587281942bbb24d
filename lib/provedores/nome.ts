/**
 * How provider names are compared and turned into the prefix of pinned /v1 ids. The migration that added
 * `nome_chave` and `slug` (db/migrations/0005_slug_e_chave_do_nome.sql) computes both the same way for the
 * rows it found, character by character.
 */

/**
 * The name as names are compared: NFKC, full case folding (upper then lower: "ß" and "SS" meet, "Ação" and
 * "AÇÃO" too), final sigma as sigma, one space per run. Stored in `nome_chave`, under a unique index.
 */
export function chaveDoNome(nome: string): string {
  return nome.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC").replaceAll("ς", "σ").replace(/\s+/g, " ").trim();
}

/** `Ollama da Mesa` → `ollama-da-mesa`: the prefix that pins a model to one provider (`''` when nothing is left). */
export function slugDe(nome: string): string {
  return nome
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * A taken slug gets `--2`, `--3`…: a name never yields `--` (a run of other characters is one hyphen), so a
 * suffixed slug can never be some later name's plain slug.
 */
export function slugComSufixo(base: string, n: number): string {
  return `${base}--${n}`;
}

/** `slugDe`, or `provedor` for a name with no letter or digit in it. */
export function baseDoSlug(nome: string): string {
  return slugDe(nome) || "provedor";
}
