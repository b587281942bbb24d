import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { clienteLibsql, db } from "@/db/client";
import { type ModeloProvedorLinha, modelosProvedores, type ProvedorLLMLinha, provedoresLlm } from "@/db/schema";
import { intervalos } from "../estatisticas/baldes-de-tempo";
import { janelaDo, numero } from "../estatisticas/consultar-estatisticas";
import { gravarPendentes } from "../estatisticas/registrar";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import {
  type Capacidade,
  type CatalogoDeModelos,
  FiltrosCatalogo,
  type ModeloDoCatalogo,
  type ServidorDoModelo,
  type UsoNoCatalogo,
} from "../schemas/catalogo";
import { validar } from "../schemas/validar";

type Uso = UsoNoCatalogo;
const semUso = (): Uso => ({ requisicoes: 0, tokens: 0, erros: 0 });
const chaveDoUso = (provedorId: number, modelo: string) => `${provedorId}\u0000${modelo}`;

/**
 * Each (provider, model)'s requests, tokens and errors in the last 24 hours, from the by-model counters: one
 * statement over the period's rows of every active provider (each part read through the table's key, which
 * starts with the provider).
 */
async function usoDas24h(provedores: number[]): Promise<Map<string, Uso>> {
  const uso = new Map<string, Uso>();
  if (!provedores.length) return uso;
  await gravarPendentes();
  const { desde, ate } = janelaDo("24h");
  const partes = intervalos(desde, ate);
  const marcas = provedores.map(() => "?").join(", ");
  const sql = partes
    .map(
      () =>
        `select provedor_id, modelo, requisicoes, requisicoes_erro, tokens_prompt + tokens_resposta tokens from estatisticas_modelos
         where provedor_id in (${marcas}) and largura_ms = ? and inicio >= ? and inicio < ?`,
    )
    .join(" union all ");
  const args = partes.flatMap((p) => [...provedores, p.largura, p.de, p.ate]);
  const { rows } = await clienteLibsql().execute({
    sql: `select provedor_id, modelo, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(tokens) tokens from (${sql}) group by provedor_id, modelo`,
    args,
  });
  for (const r of rows) {
    uso.set(chaveDoUso(numero(r.provedor_id), String(r.modelo)), {
      requisicoes: numero(r.n),
      tokens: numero(r.tokens),
      erros: numero(r.erro),
    });
  }
  return uso;
}

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

type Entrada = { linha: ProvedorLLMLinha; modelo: ModeloProvedorLinha; digest: string | null };

/**
 * Entries that are one model: the same id (what a bare /v1 id routes to, lib/gateway/escolher.ts `procurar`),
 * or the same digest under another name. Union-find over the entries, in their order.
 */
function agrupar(entradas: Entrada[]): Entrada[][] {
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

function modeloDoCatalogo(grupo: Entrada[], uso: Map<string, Uso>, acoes: Map<number, ServidorDoModelo["acoes"]>): ModeloDoCatalogo {
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

function passa(m: ModeloDoCatalogo, f: FiltrosCatalogo): boolean {
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

/**
 * GET /api/modelos and the /modelos page: every model of every active provider, from the model cache (no
 * server is asked), the same model on several servers as one entry, with its 24-hour traffic; `filtros` is the
 * query (FiltrosCatalogo), refused with `validacao` when a value is not one it knows.
 */
export async function listarCatalogo(filtrosBrutos: unknown = {}): Promise<CatalogoDeModelos> {
  const filtros = validar(FiltrosCatalogo, filtrosBrutos ?? {});
  const linhas = await db().select().from(provedoresLlm).where(eq(provedoresLlm.ativo, true)).orderBy(asc(provedoresLlm.id));
  const ids = linhas.map((l) => l.id);
  const [modelos, uso] = await Promise.all([
    ids.length
      ? db().select().from(modelosProvedores).where(inArray(modelosProvedores.provedor_id, ids)).orderBy(asc(modelosProvedores.modelo))
      : Promise.resolve([] as ModeloProvedorLinha[]),
    usoDas24h(ids),
  ]);
  const porId = new Map(linhas.map((l) => [l.id, l]));
  const entradas: Entrada[] = [];
  const doProvedor = new Map<number, ModeloProvedorLinha[]>();
  for (const m of modelos) {
    const linha = porId.get(m.provedor_id);
    if (!linha) continue;
    const digest = typeof m.detalhes?.digest === "string" && m.detalhes.digest ? m.detalhes.digest : null;
    entradas.push({ linha, modelo: m, digest });
    doProvedor.set(linha.id, [...(doProvedor.get(linha.id) ?? []), m]);
  }
  // What each server allows depends on its type and its models (llama.cpp's router mode), never on its key.
  const acoes = new Map<number, ServidorDoModelo["acoes"]>();
  for (const linha of linhas) {
    const a = adaptadorDe({ ...linha, api_key: null }).acoesModelos(doProvedor.get(linha.id) ?? []);
    acoes.set(linha.id, { carregar: a.carregar, descarregar: a.descarregar, motivo: a.motivo });
  }
  const todos = agrupar(entradas)
    .map((g) => modeloDoCatalogo(g, uso, acoes))
    .sort((a, b) => a.modelo.localeCompare(b.modelo));
  return { modelos: todos.filter((m) => passa(m, filtros)), servidores_ativos: linhas.length, total_modelos: todos.length };
}
