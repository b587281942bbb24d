import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { ErroApp } from "../errors";

/**
 * How provider names are compared and turned into the prefix of pinned /v1 ids. Rows that existed before
 * migration 0005 get both at start-up (lib/provedores/completar-migracao.ts), with these same functions.
 */

/** Joiners that Persian and emoji sequences need in a name, but that do not make it another name. */
const JUNTORES = /[\u200c\u200d]/g;

/**
 * The name as names are compared: NFKC, full case folding (upper then lower: "ß" and "SS" meet, "Ação" and
 * "AÇÃO" too), final sigma as sigma, zero-width (non-)joiners dropped, one space per run. Stored in
 * `nome_chave`, under a unique index.
 */
export function chaveDoNome(nome: string): string {
  return nome
    .normalize("NFKC")
    .toUpperCase()
    .toLowerCase()
    .normalize("NFKC")
    .replaceAll("ς", "σ")
    .replace(JUNTORES, "")
    .replace(/\s+/g, " ")
    .trim();
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

/** `slugDe`, or `provedor` for a name with no letter or digit in it. */
export function baseDoSlug(nome: string): string {
  return slugDe(nome) || "provedor";
}

/**
 * `preferido` if no provider holds it, else the first `<base>--<n>` (n ≥ 2) none holds: a name never yields
 * `--` (a run of other characters is one hyphen), so a suffixed slug can never be some later name's plain slug.
 * Computed inside the INSERT or UPDATE that writes it, so two instances creating one slug at once cannot both
 * take it: SQLite runs one write statement at a time. The smallest free n is 2 or one past a taken one.
 */
export function slugLivreSql(base: string, preferido = base): SQL {
  const s = provedoresLlm.slug;
  return sql`(select case when not exists (select 1 from ${provedoresLlm} where ${s} = ${preferido}) then ${preferido} else (
    select ${base} || '--' || min(n) from (
      select 2 as n union all
      select cast(substr(${s}, length(${base}) + 3) as integer) + 1 from ${provedoresLlm} where ${s} like ${`${base}--%`}
    ) where n >= 2 and not exists (select 1 from ${provedoresLlm} where ${s} = ${base} || '--' || n)
  ) end)`;
}

/** Names are compared by their key (lib/provedores/nome.ts): the same name however it is cased or composed. */
export async function garantirNomeLivre(nome: string, excetoId?: number): Promise<void> {
  const [existente] = await db()
    .select({ id: provedoresLlm.id })
    .from(provedoresLlm)
    .where(eq(provedoresLlm.nome_chave, chaveDoNome(nome)))
    .limit(1);
  if (existente && existente.id !== excetoId) throw erroNomeDuplicado(nome);
}

export function erroNomeDuplicado(nome: string): ErroApp {
  return new ErroApp("nome_duplicado", `Já existe um provedor chamado "${nome}". Escolha outro nome.`, {
    campos: { nome: [`Já existe um provedor chamado "${nome}".`] },
  });
}

/** Two requests racing past garantirNomeLivre: the unique index has the last word. */
export function violouNomeUnico(erro: unknown): boolean {
  return violouUnico(erro, "provedores_llm.nome_chave");
}

/** Whether a write failed on the unique index of `coluna` (`tabela.coluna`), however deep the driver wrapped it. */
export function violouUnico(erro: unknown, coluna: string): boolean {
  for (let e: unknown = erro; e; e = (e as { cause?: unknown }).cause) {
    const msg = String((e as { message?: unknown }).message ?? "");
    if (msg.includes("UNIQUE constraint failed") && msg.includes(coluna)) return true;
  }
  return false;
}
