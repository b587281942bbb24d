import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { clienteLibsql, db } from "@/db/client";
import { type ModeloProvedorLinha, modelosProvedores, provedoresLlm } from "@/db/schema";
import { intervalos } from "../estatisticas/baldes-de-tempo";
import { janelaDo, numero } from "../estatisticas/consultar-estatisticas";
import { gravarPendentes } from "../estatisticas/registrar";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import { type CatalogoDeModelos, FiltrosCatalogo, type ServidorDoModelo, type UsoNoCatalogo } from "../schemas/catalogo";
import { validar } from "../schemas/validar";
import { agrupar, chaveDoUso, type Entrada, modeloDoCatalogo, passa } from "./montar";

type Uso = UsoNoCatalogo;

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
