import "server-only";
import { ErroApp } from "../errors";
import { casaComGlob } from "../schemas/glob-de-modelo";
import type { NomePorta } from "../schemas/llm";
import type { Chamador, ChaveEmUso } from "./chamador";

// An access key's scope, checked on the hot path: plain loops over the key's short lists, nothing awaited, no
// allocation for a key whose lists are null (all). The admin has no scope: every check passes.

/** The key that limits this caller, or null for the admin. */
export function chaveDe(chamador: Chamador): ChaveEmUso | null {
  return chamador.tipo === "chave" ? chamador.chave : null;
}

function listaLegivel(itens: readonly string[]): string {
  const mostrados = itens.length > 10 ? [...itens.slice(0, 10), `mais ${itens.length - 10}`] : itens;
  return mostrados.length > 1 ? `${mostrados.slice(0, -1).join(", ")} e ${mostrados.at(-1)}` : (mostrados[0] ?? "");
}

export function portaNoEscopo(chave: ChaveEmUso, porta: NomePorta): boolean {
  return chave.portas === null || chave.portas.includes(porta);
}

export function provedorNoEscopo(chave: ChaveEmUso, provedorId: number): boolean {
  return chave.provedores === null || chave.provedores.includes(provedorId);
}

/**
 * Whether a model matches one of the key's patterns under one of its own names (`nomes`: as asked, its bare id)
 * or, for a pattern with a `/`, as pinned on a provider (`fixado`: `<slug>/<id>`). A pattern without `/` is
 * about model ids only: `llama3*` never matches a provider whose slug happens to start with `llama3`.
 */
export function nomeNoEscopo(chave: ChaveEmUso, nomes: readonly (string | null)[], fixado: string | null = null): boolean {
  const padroes = chave.modelos;
  if (padroes === null) return true;
  for (const padrao of padroes) {
    for (const nome of nomes) if (nome !== null && casaComGlob(padrao, nome)) return true;
    if (fixado !== null && padrao.includes("/") && casaComGlob(padrao, fixado)) return true;
  }
  return false;
}

/**
 * Whether the key's model patterns allow `modelo` on this provider, the model asked as `pedido`: by its bare id,
 * by the name as asked when that is not the pinned `<slug>/…` form (Ollama's tag aliases), or, for a pattern
 * with a `/`, by `<slug>/<id>`.
 */
export function modeloNoEscopo(chave: ChaveEmUso, pedido: string | null, provedor: { slug: string }, modelo: string): boolean {
  if (chave.modelos === null) return true;
  const comoPedido = pedido !== null && !pedido.startsWith(`${provedor.slug}/`) ? pedido : null;
  return nomeNoEscopo(chave, [modelo, comoPedido], `${provedor.slug}/${modelo}`);
}

/**
 * Whether the key may use `modelo` on this provider, the model asked as `pedido` (a bare id, or
 * `<slug>/<id>`): the provider in its providers, and the model in its models (`modeloNoEscopo`).
 */
export function candidatoNoEscopo(
  chave: ChaveEmUso,
  pedido: string | null,
  provedor: { id: number; slug: string },
  modelo: string,
): boolean {
  return provedorNoEscopo(chave, provedor.id) && modeloNoEscopo(chave, pedido, provedor, modelo);
}

/** The entries (one per provider) of a model asked as `nome` that the key may use. */
export function entradasNoEscopo<T extends { provedor: { id: number; slug: string }; modelo: string }>(
  chave: ChaveEmUso,
  nome: string | null,
  entradas: readonly T[],
): T[] {
  return entradas.filter((e) => candidatoNoEscopo(chave, nome, e.provedor, e.modelo));
}

/** Whether a name, as asked or by the part after its first `/`, matches one of the key's patterns. */
export function pedidoCasaComEscopo(chave: ChaveEmUso, pedido: string): boolean {
  if (chave.modelos === null) return true;
  const barra = pedido.indexOf("/");
  return chave.modelos.some((p) => casaComGlob(p, pedido) || (barra > 0 && casaComGlob(p, pedido.slice(barra + 1))));
}

/**
 * Whether a model asked as `pedido` may be in scope before the catalogue is read: it matches as asked, or by the
 * part after its first `/` (a pinned `<slug>/<id>`), or some pattern has a `/` and may match a candidate's
 * `<slug>/<id>` (decided per candidate once the candidates are known).
 */
export function pedidoPodeEstarNoEscopo(chave: ChaveEmUso, pedido: string): boolean {
  if (chave.modelos === null) return true;
  return pedidoCasaComEscopo(chave, pedido) || chave.modelos.some((p) => p.includes("/"));
}

const nomeDaChave = (chave: ChaveEmUso) => `A chave de acesso "${chave.nome}"`;

export function foraDoEscopoPorta(chave: ChaveEmUso, porta: string): ErroApp {
  return new ErroApp(
    "fora_do_escopo",
    `${nomeDaChave(chave)} não vale para a porta ${porta}: ela só abre ${listaLegivel(chave.portas ?? [])}. Peça a quem administra este Provedores LLM para incluir a porta na chave.`,
  );
}

export function foraDoEscopoModelo(chave: ChaveEmUso, modelo: string): ErroApp {
  return new ErroApp(
    "fora_do_escopo",
    `${nomeDaChave(chave)} não pode usar o modelo "${modelo}": ela só vale para ${listaLegivel(chave.modelos ?? [])}. Use um desses modelos ou peça a quem administra este Provedores LLM para incluí-lo na chave.`,
  );
}

export function foraDoEscopoProvedor(chave: ChaveEmUso, provedor: string, modelo?: string | null): ErroApp {
  const doModelo = modelo ? ` (para o modelo "${modelo}")` : "";
  return new ErroApp(
    "fora_do_escopo",
    `${nomeDaChave(chave)} não pode usar o provedor "${provedor}"${doModelo}: ela só vale para alguns provedores. Peça a quem administra este Provedores LLM para incluí-lo na chave.`,
  );
}

/** A model list of a door the key does not open: 403, as a call through it would be. */
export function exigirPortaDaLista(chamador: Chamador, portas: readonly NomePorta[], rotulo: string): void {
  const chave = chaveDe(chamador);
  if (chave === null || chave.portas === null) return;
  if (!portas.some((p) => chave.portas!.includes(p))) throw foraDoEscopoPorta(chave, rotulo);
}
