import "server-only";
import type { ModeloProvedorLinha, ProvedorLLMLinha } from "@/db/schema";
import type { Capacidade, FiltrosCatalogo, ModeloDoCatalogo, ServidorDoModelo, UsoNoCatalogo } from "../schemas/catalogo";

type Uso = UsoNoCatalogo;
export const semUso = (): Uso => ({ requisicoes: 0, tokens: 0, erros: 0 });
export const chaveDoUso = (provedorId: number, modelo: string) => `${provedorId}\u0000${modelo}`;

const PELA_CAPACIDADE_OLLAMA: Record<string, Capacidade> = {
  completion: "chat",
  embedding: "embeddings",
  vision: "visao",
  tools: "ferramentas",
};

/** What the cache says the model can do: Ollama's `capabilities`, LM Studio's type; else chat, or embeddings by its type. */
export function capacidadesDe(detalhes: Record<string, unknown> | null): { capacidades: Capacidade[]; informadas: boolean } {
  const listadas = detalhes?.capacidades;
  if (Array.isArray(listadas)) {
    const capacidades = [...new Set(listadas.map((c) => PELA_CAPACIDADE_OLLAMA[String(c)]).filter((c) => c !== undefined))];
    return { capacidades, informadas: true };
  }
  const tipo = String(detalhes?.tipo ?? "");
  if (/^embedding/.test(tipo)) return { capacidades: ["embeddings"], informadas: tipo !== "" };
  if (tipo === "vlm") return { capacidades: ["chat", "visao"], informadas: true };
  return { capacidades: ["chat"], informadas: tipo === "llm" };
}

export type Entrada = { linha: ProvedorLLMLinha; modelo: ModeloProvedorLinha; digest: string | null };

/**
 * Entries that are one model: the same id (what a bare /v1 id routes to, lib/gateway/escolher.ts `procurar`),
 * or the same digest under another name. Union-find over the entries, in their order.
 */
export function agrupar(entradas: Entrada[]): Entrada[][] {
  const pai = entradas.map((_, i) => i);
  const raiz = (i: number): number => {
    while (pai[i] !== i) {
      pai[i] = pai[pai[i]!]!;
      i = pai[i]!;
    }
    return i;
  };
  const primeiroPor = new Map<string, number>();
  entradas.forEach((e, i) => {
    for (const chave of [`id:${e.modelo.modelo}`, e.digest ? `digest:${e.digest}` : null]) {
      if (chave === null) continue;
      const j = primeiroPor.get(chave);
      if (j === undefined) primeiroPor.set(chave, i);
      else pai[raiz(i)] = raiz(j);
    }
  });
  const grupos = new Map<number, Entrada[]>();
  entradas.forEach((e, i) => {
    const r = raiz(i);
    const g = grupos.get(r) ?? [];
    g.push(e);
    grupos.set(r, g);
  });
  return [...grupos.values()];
}

const primeiro = <T>(valores: (T | null)[]): T | null => valores.find((v) => v !== null) ?? null;

function somar(a: Uso, b: Uso): Uso {
  return { requisicoes: a.requisicoes + b.requisicoes, tokens: a.tokens + b.tokens, erros: a.erros + b.erros };
}

export function modeloDoCatalogo(grupo: Entrada[], uso: Map<string, Uso>, acoes: Map<number, ServidorDoModelo["acoes"]>): ModeloDoCatalogo {
  // The loaded entries first: their figures (the context it runs with) are the ones in use.
  const ordenadas = [...grupo].sort(
    (a, b) => Number(b.modelo.carregado === true) - Number(a.modelo.carregado === true) || a.linha.nome.localeCompare(b.linha.nome),
  );
  const ids = [...new Set(grupo.map((e) => e.modelo.modelo))].sort((a, b) => a.localeCompare(b));
  const servidores: ServidorDoModelo[] = ordenadas.map(({ linha, modelo, digest }) => ({
    provedor_id: linha.id,
    nome: linha.nome,
    slug: linha.slug,
    tipo: linha.tipo,
    status: linha.status,
    modelo: modelo.modelo,
    carregado: modelo.carregado,
    digest,
    id_fixo: `${linha.slug}/${modelo.modelo}`,
    acoes: acoes.get(linha.id)!,
    uso_24h: uso.get(chaveDoUso(linha.id, modelo.modelo)) ?? semUso(),
  }));
  const capacidades = new Set<Capacidade>();
  let informadas = false;
  for (const e of grupo) {
    const c = capacidadesDe(e.modelo.detalhes);
    // A server that states them is believed over one whose list is only inferred.
    if (c.informadas && !informadas) capacidades.clear();
    if (c.informadas || !informadas) for (const x of c.capacidades) capacidades.add(x);
    informadas ||= c.informadas;
  }
  const m = ordenadas.map((e) => e.modelo);
  return {
    modelo: ids[0]!,
    ids,
    familia: primeiro(m.map((x) => x.familia)),
    parametros: primeiro(m.map((x) => x.parametros)),
    quantizacao: primeiro(m.map((x) => x.quantizacao)),
    tamanho_bytes: primeiro(m.map((x) => x.tamanho_bytes)),
    contexto_max: primeiro(m.map((x) => x.contexto_max)),
    capacidades: [...capacidades].sort((a, b) => CAPACIDADES_ORDEM.indexOf(a) - CAPACIDADES_ORDEM.indexOf(b)),
    capacidades_informadas: informadas,
    carregado: grupo.some((e) => e.modelo.carregado === true),
    servidores,
    uso_24h: servidores.reduce((t, s) => somar(t, s.uso_24h), semUso()),
  };
}

const CAPACIDADES_ORDEM: Capacidade[] = ["chat", "embeddings", "visao", "ferramentas"];

export function passa(m: ModeloDoCatalogo, f: FiltrosCatalogo): boolean {
  if (f.carregado !== undefined && m.carregado !== f.carregado) return false;
  if (f.tipo && !m.servidores.some((s) => s.tipo === f.tipo)) return false;
  if (f.capacidade && !m.capacidades.includes(f.capacidade)) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    const textos = [...m.ids, m.familia, m.parametros, m.quantizacao, ...m.servidores.map((s) => s.nome)];
    if (!textos.some((t) => t?.toLowerCase().includes(q))) return false;
  }
  return true;
}
