import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { type BancoDeDados, db } from "@/db/client";
import { migrarEsquema } from "@/db/migrar";
import { provedoresLlm } from "@/db/schema";
import { baseDoSlug, chaveDoNome, slugDe, slugLivreSql } from "./nome";

/** Starts every placeholder: a control character, which names are refused with and slugs never hold. */
const MARCA = "\u0001";
const marcador = (id: number) => `${MARCA}${id}`;

/**
 * Migration 0005 gives rows it finds a placeholder slug and name key (`char(1) || id`, which no name or slug
 * can be): SQL cannot compute them as the app does (NFKC, full case folding). This fills them in, at every
 * start after migrate(): a no-op once done, and only placeholder rows are touched, so several instances
 * starting at once on one database compute the same values and the later ones change nothing.
 */
export async function completarSlugsEChaves(banco: BancoDeDados): Promise<void> {
  const pendente = sql`substr(${provedoresLlm.slug}, 1, 1) = char(1) or substr(${provedoresLlm.nome_chave}, 1, 1) = char(1)`;
  for (let tentativa = 1; ; tentativa++) {
    const [algum] = await banco.select({ id: provedoresLlm.id }).from(provedoresLlm).where(pendente).limit(1);
    if (!algum) return;
    try {
      const [primeiro, ...resto] = await comandos(banco);
      if (primeiro) await banco.batch([primeiro, ...resto]);
      return;
    } catch (e) {
      // A provider created meanwhile took a key one of these rows wanted: read again and redo.
      if (tentativa >= 3) throw e;
    }
  }
}

async function comandos(banco: BancoDeDados) {
  const linhas = await banco
    .select({
      id: provedoresLlm.id,
      nome: provedoresLlm.nome,
      ativo: provedoresLlm.ativo,
      slug: provedoresLlm.slug,
      chave: provedoresLlm.nome_chave,
    })
    .from(provedoresLlm)
    .orderBy(asc(provedoresLlm.id));

  // Keys: a key two names share under the new comparison stays with the older row; the newer keeps its row
  // and name, with its id appended to the key (an edit that keeps the name keeps that key: atualizar.ts).
  const chaves = new Set(linhas.filter((l) => l.chave !== marcador(l.id)).map((l) => l.chave));
  const novaChave = new Map<number, string>();
  for (const l of linhas) {
    if (l.chave !== marcador(l.id)) continue;
    let chave = chaveDoNome(l.nome.normalize("NFC"));
    for (let n = 0; chaves.has(chave); n++) chave = `${chaveDoNome(l.nome.normalize("NFC"))}${MARCA}${l.id}${n ? `.${n}` : ""}`;
    chaves.add(chave);
    novaChave.set(l.id, chave);
  }

  // Slugs: the ones the catalogue gave out before (lib/gateway/catalogo.ts until 0005), so pinned ids keep
  // their provider. It named active providers only, in id order; a taken base got `-<id>`, which could be a
  // slug already given ("dup 5" → dup-5, then "DUP!" → dup-5 too): its map kept the later one, so pinned ids
  // went there, and that provider keeps it; the earlier one gets a free slug, as inactive providers do.
  const antigo = new Map<string, number>();
  for (const l of linhas) {
    if (!l.ativo) continue;
    const base = slugDe(l.nome) || `provedor-${l.id}`;
    antigo.set(antigo.has(base) ? `${base}-${l.id}` : base, l.id);
  }
  const comandos = [];
  const pendentes = linhas.filter((l) => l.slug === marcador(l.id) || novaChave.has(l.id));
  const herdado = new Map([...antigo].map(([slug, id]) => [id, slug]));
  // Inherited slugs first: a free slug picked for another row must not take one.
  const ordem = [...pendentes.filter((l) => herdado.has(l.id)), ...pendentes.filter((l) => !herdado.has(l.id))];
  for (const l of ordem) {
    const mudancas: { nome?: string; nome_chave?: string; slug?: ReturnType<typeof slugLivreSql> } = {};
    const chave = novaChave.get(l.id);
    if (chave !== undefined) {
      mudancas.nome_chave = chave;
      if (l.nome.normalize("NFC") !== l.nome) mudancas.nome = l.nome.normalize("NFC");
    }
    if (l.slug === marcador(l.id)) {
      const base = baseDoSlug(l.nome);
      mudancas.slug = slugLivreSql(base, herdado.get(l.id) ?? base);
    }
    comandos.push(
      banco
        .update(provedoresLlm)
        .set(mudancas)
        .where(and(eq(provedoresLlm.id, l.id), eq(provedoresLlm.slug, l.slug), eq(provedoresLlm.nome_chave, l.chave))),
    );
  }
  return comandos;
}

/** What SQL cannot compute for the rows migration 0005 found (a no-op once done). */
export function completarMigracao(): Promise<void> {
  return completarSlugsEChaves(db());
}

/** Applies the committed drizzle-kit migrations and fills in what they leave; safe to call on every start. */
export async function aplicarMigracoes(): Promise<void> {
  await migrarEsquema();
  await completarMigracao();
}
