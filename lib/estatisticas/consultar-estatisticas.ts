import "server-only";
import type { InStatement, Row } from "@libsql/client";
import { clienteLibsql } from "@/db/client";
import type { METRICAS_LATENCIA } from "@/db/schema";
import {
  type EstatisticasGerais,
  type EstatisticasProvedor,
  type NomePorta,
  PeriodoEstatisticas,
  PORTAS,
  type PontoSerie,
  type UsoPorChave,
  type UsoPorModelo,
  type UsoPorPorta,
  type UsoPorProvedor,
} from "../schemas/llm";
import { validar } from "../schemas/validar";
import { buscarLinha, lerId } from "../provedores/linha-do-provedor";
import { type Histograma, percentil, somar, totalDe } from "./histograma";
import { DIA_MS, HORA_MS, type Intervalo, intervalos, MINUTO_MS } from "./baldes-de-tempo";
import { blocoFechado, separarFechadas } from "./blocos-fechados";
import { CHAVE_DO_ADMIN, gravarPendentes } from "./registrar";

/** Each period's length and the width of one point of its series. */
export const PERIODOS: Record<PeriodoEstatisticas, { duracao: number; passo: number }> = {
  "1h": { duracao: HORA_MS, passo: MINUTO_MS },
  "24h": { duracao: DIA_MS, passo: HORA_MS },
  "7d": { duracao: 7 * DIA_MS, passo: 6 * HORA_MS },
  "30d": { duracao: 30 * DIA_MS, passo: DIA_MS },
};

export const numero = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const decimo = (v: number): number => Math.round(v * 10) / 10;

/**
 * Rows of a statistics table inside the period, each part read through the index that starts with `coluna`
 * (the provider's, or the key's), width and start.
 */
export function porIntervalos(
  id: number,
  partes: Intervalo[],
  colunas: string,
  tabela: string,
  coluna: "provedor_id" | "chave_id" = "provedor_id",
): { sql: string; args: number[] } {
  return {
    sql: partes
      .map(() => `select ${colunas} from ${tabela} where ${coluna} = ? and largura_ms = ? and inicio >= ? and inicio < ?`)
      .join(" union all "),
    args: partes.flatMap((p) => [id, p.largura, p.de, p.ate]),
  };
}

export type Latencias = Record<(typeof METRICAS_LATENCIA)[number], Histograma>;
export const novasLatencias = (): Latencias => ({
  resposta: new Map(),
  primeiro_token: new Map(),
  fila: new Map(),
  tokens_por_segundo: new Map(),
});

/** The period as whole minutes up to the current one, and where its series starts. */
export function janelaDo(
  periodo: PeriodoEstatisticas,
  agora = Date.now(),
): { desde: number; ate: number; passo: number; primeiroPonto: number } {
  const { duracao, passo } = PERIODOS[periodo];
  // The period is the minutes that start inside it, up to the current one.
  const desde = Math.ceil((agora - duracao) / MINUTO_MS) * MINUTO_MS;
  const ate = Math.floor(agora / MINUTO_MS) * MINUTO_MS + MINUTO_MS;
  // Series points are aligned to their width: the first one starts before the period and holds only its part in it.
  return { desde, ate, passo, primeiroPonto: Math.floor(desde / passo) * passo };
}

/** Whose rows a statistics read adds up: one provider's, or every registered provider's. */
type Escopo = { provedor: number } | "todos";

/** The condition on `provedor_id` of a scope (with its arguments). */
function filtroDo(escopo: Escopo): { sql: string; args: number[] } {
  return escopo === "todos"
    ? { sql: "provedor_id in (select id from provedores_llm)", args: [] }
    : { sql: "provedor_id = ?", args: [escopo.provedor] };
}

/** Rows of a by-provider statistics table inside the period, for the scope (through the provider, width, start index). */
function noEscopo(escopo: Escopo, partes: Intervalo[], colunas: string, tabela: string): { sql: string; args: number[] } {
  const f = filtroDo(escopo);
  return {
    sql: partes
      .map(() => `select ${colunas} from ${tabela} where ${f.sql} and largura_ms = ? and inicio >= ? and inicio < ?`)
      .join(" union all "),
    args: partes.flatMap((p) => [...f.args, p.largura, p.de, p.ate]),
  };
}

/** Counters and histograms of one model (or one provider) in the period. */
type Uso = { contagem: Contagem; latencias: Latencias };
const novoUso = (): Uso => ({ contagem: novaContagem(), latencias: novasLatencias() });
const usoDe = <K>(mapa: Map<K, Uso>, chave: K): Uso => {
  const u = mapa.get(chave);
  if (u) return u;
  const novo = novoUso();
  mapa.set(chave, novo);
  return novo;
};

/** What a period holds for a scope, before it is shaped for one provider or for all of them. */
type Periodo = {
  periodo: PeriodoEstatisticas;
  totais: Uso;
  pontos: PontoSerie[];
  /** By model, over the scope's providers. */
  porModelo: Map<string, Uso>;
  /** By provider, and by provider and model. */
  porProvedor: Map<number, Uso>;
  porProvedorEModelo: Map<number, Map<string, Uso>>;
  modelosCarregados: number;
  ultimaAtividade: Date | null;
  porPorta: UsoPorPorta[];
  porChave: UsoPorChave[];
};

/** The rows a statistics read adds up, as plain numbers: what a closed block keeps (lib/estatisticas/blocos-fechados.ts). */
type Somas = { n: number; erro: number; ok: number; tempo: number };
type LinhaContador = Somas & { provedor: number; ponto: number; modelo: string; tokens: number };
type LinhaLatencia = { provedor: number; modelo: string; metrica: string; balde: number; q: number };
type LinhaPorta = Somas & { provedor: number; porta: string; prompt: number; resposta: number };
type LinhaLatenciaPorta = { provedor: number; porta: string; balde: number; q: number };
type LinhaChave = Somas & { provedor: number; chave: number; prompt: number; resposta: number };
type LinhaLatenciaChave = { provedor: number; chave: number; balde: number; q: number };
type Parcial = {
  contadores: LinhaContador[];
  latencias: LinhaLatencia[];
  portas: LinhaPorta[];
  latenciasPortas: LinhaLatenciaPorta[];
  chaves: LinhaChave[];
  latenciasChaves: LinhaLatenciaChave[];
};
const PARCIAL_VAZIO: Parcial = { contadores: [], latencias: [], portas: [], latenciasPortas: [], chaves: [], latenciasChaves: [] };

const somas = (r: Row): Somas => ({ n: numero(r.n), erro: numero(r.erro), ok: numero(r.ok), tempo: numero(r.tempo) });

/**
 * A scope's rows of some parts of a period (`contadores`: no wider than a series point; `periodo`: the rest), added
 * up in SQL by provider and by what each breakdown shows, so parts read apart add up in JS to what one read gives.
 */
async function lerParcial(escopo: Escopo, contadores: Intervalo[], periodo: Intervalo[], passo: number): Promise<Parcial> {
  if (contadores.length === 0 && periodo.length === 0) return PARCIAL_VAZIO;
  const consultas: InStatement[] = [];
  const de = (partes: Intervalo[], colunas: string, tabela: string, externo: (sql: string) => string): number => {
    if (partes.length === 0) return -1;
    const q = noEscopo(escopo, partes, colunas, tabela);
    consultas.push({ sql: externo(q.sql), args: q.args });
    return consultas.length - 1;
  };
  const iContadores = de(
    contadores,
    // `passo` is one of the constants above, written as an integer literal (libSQL binds JS numbers as reals).
    `provedor_id, inicio - inicio % ${passo} ponto, modelo, requisicoes, requisicoes_erro, requisicoes_sucesso, tempo_total_ms,
     tokens_prompt + tokens_resposta tokens`,
    "estatisticas_modelos",
    (sql) => `select provedor_id, ponto, modelo, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(requisicoes_sucesso) ok,
                     sum(tempo_total_ms) tempo, sum(tokens) tokens
              from (${sql}) group by provedor_id, ponto, modelo`,
  );
  const iLatencias = de(
    periodo,
    "provedor_id, modelo, metrica, balde, quantidade",
    "histogramas_latencia",
    (sql) => `select provedor_id, modelo, metrica, balde, sum(quantidade) q from (${sql}) group by provedor_id, modelo, metrica, balde`,
  );
  const iPortas = de(
    periodo,
    "provedor_id, porta, requisicoes, requisicoes_erro, requisicoes_sucesso, tempo_total_ms, tokens_prompt, tokens_resposta",
    "estatisticas_portas",
    (sql) => `select provedor_id, porta, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(requisicoes_sucesso) ok,
                     sum(tempo_total_ms) tempo, sum(tokens_prompt) prompt, sum(tokens_resposta) resposta
              from (${sql}) group by provedor_id, porta`,
  );
  const iLatenciasPortas = de(
    periodo,
    "provedor_id, porta, balde, quantidade",
    "histogramas_latencia_portas",
    (sql) => `select provedor_id, porta, balde, sum(quantidade) q from (${sql}) group by provedor_id, porta, balde`,
  );
  const iChaves = de(
    periodo,
    "provedor_id, chave_id, requisicoes, requisicoes_erro, requisicoes_sucesso, tempo_total_ms, tokens_prompt, tokens_resposta",
    "estatisticas_chaves",
    (sql) => `select provedor_id, chave_id, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(requisicoes_sucesso) ok,
                     sum(tempo_total_ms) tempo, sum(tokens_prompt) prompt, sum(tokens_resposta) resposta
              from (${sql}) group by provedor_id, chave_id`,
  );
  const iLatenciasChaves = de(
    periodo,
    "provedor_id, chave_id, metrica, balde, quantidade",
    "histogramas_latencia_chaves",
    (sql) => `select provedor_id, chave_id, balde, sum(quantidade) q from (${sql}) where metrica = 'resposta'
              group by provedor_id, chave_id, balde`,
  );
  const r = await clienteLibsql().batch(consultas, "read");
  const linhas = (i: number): Row[] => (i < 0 ? [] : r[i]!.rows);
  return {
    contadores: linhas(iContadores).map((l) => ({
      ...somas(l),
      provedor: numero(l.provedor_id),
      ponto: numero(l.ponto),
      modelo: String(l.modelo),
      tokens: numero(l.tokens),
    })),
    latencias: linhas(iLatencias).map((l) => ({
      provedor: numero(l.provedor_id),
      modelo: String(l.modelo),
      metrica: String(l.metrica),
      balde: numero(l.balde),
      q: numero(l.q),
    })),
    portas: linhas(iPortas).map((l) => ({
      ...somas(l),
      provedor: numero(l.provedor_id),
      porta: String(l.porta),
      prompt: numero(l.prompt),
      resposta: numero(l.resposta),
    })),
    latenciasPortas: linhas(iLatenciasPortas).map((l) => ({
      provedor: numero(l.provedor_id),
      porta: String(l.porta),
      balde: numero(l.balde),
      q: numero(l.q),
    })),
    chaves: linhas(iChaves).map((l) => ({
      ...somas(l),
      provedor: numero(l.provedor_id),
      chave: numero(l.chave_id),
      prompt: numero(l.prompt),
      resposta: numero(l.resposta),
    })),
    latenciasChaves: linhas(iLatenciasChaves).map((l) => ({
      provedor: numero(l.provedor_id),
      chave: numero(l.chave_id),
      balde: numero(l.balde),
      q: numero(l.q),
    })),
  };
}

/**
 * The closed parts of a period (whole hours and days past the margin) come from blocks kept in memory, one per
 * width, each read again only when the period has moved past one of its boundaries; the rest is read now.
 */
function lerFechadas(escopo: Escopo, periodo: PeriodoEstatisticas, contadores: Intervalo[], doPeriodo: Intervalo[], passo: number) {
  const escopoChave = escopo === "todos" ? "todos" : `p${escopo.provedor}`;
  return [HORA_MS, DIA_MS].map((largura) => {
    const c = contadores.filter((p) => p.largura === largura);
    const h = doPeriodo.filter((p) => p.largura === largura);
    if (c.length === 0 && h.length === 0) return Promise.resolve(PARCIAL_VAZIO);
    const assinatura = JSON.stringify([c, h]);
    return blocoFechado(`${escopoChave}|${periodo}|${largura}`, assinatura, () => lerParcial(escopo, c, h, passo));
  });
}

/**
 * Reads a period for one provider or for all: counters added in SQL, histograms merged bucket by bucket (never
 * percentiles averaged), so every figure of all providers is what one provider holding all their traffic would show.
 */
async function lerPeriodo(escopo: Escopo, periodo: PeriodoEstatisticas): Promise<Periodo> {
  const agora = Date.now();
  const { desde, ate, passo, primeiroPonto } = janelaDo(periodo, agora);
  // Counters by series point: rows no wider than a point, so each lies inside one point.
  const contadores = separarFechadas(intervalos(desde, ate, passo), agora);
  const doPeriodo = separarFechadas(intervalos(desde, ate), agora);
  const filtro = filtroDo(escopo);
  const [aberto, fechados, atuais] = await Promise.all([
    lerParcial(escopo, contadores.abertas, doPeriodo.abertas, passo),
    Promise.all(lerFechadas(escopo, periodo, contadores.fechadas, doPeriodo.fechadas, passo)),
    clienteLibsql().batch(
      [
        { sql: `select count(*) n from modelos_provedores where ${filtro.sql} and carregado = 1`, args: filtro.args },
        {
          // The log holds the exact instant; once it has aged out, the counters still know the minute. One provider at a
          // time, each through its (provider, time) index.
          sql: `select max(coalesce((select max(criado_em) from requisicoes_provedores r where r.provedor_id = p.id),
                                    (select max(inicio) from estatisticas_provedores e where e.provedor_id = p.id))) t
                from provedores_llm p where ${filtro.sql.replace("provedor_id", "p.id")}`,
          args: filtro.args,
        },
        // A closed block may hold a provider deleted since: only the registered ones are added up.
        { sql: `select id from provedores_llm where ${filtro.sql.replace("provedor_id", "id")}`, args: filtro.args },
        { sql: "select id, nome, prefixo from chaves_acesso", args: [] },
      ],
      "read",
    ),
  ]);
  const [carregados, ultima, registrados, nomesDasChaves] = atuais;
  const existe = new Set(registrados!.rows.map((r) => numero(r.id)));
  const partes = [aberto, ...fechados];
  const todas = <T extends { provedor: number }>(de: (p: Parcial) => T[]): T[] =>
    partes.flatMap((p) => de(p).filter((l) => existe.has(l.provedor)));

  const porPonto = new Map<number, Contagem>();
  const totais = novoUso();
  const porModelo = new Map<string, Uso>();
  const porProvedor = new Map<number, Uso>();
  const porProvedorEModelo = new Map<number, Map<string, Uso>>();
  const doProvedor = (id: number) => {
    const m = porProvedorEModelo.get(id);
    if (m) return m;
    const novo = new Map<string, Uso>();
    porProvedorEModelo.set(id, novo);
    return novo;
  };
  for (const r of todas((p) => p.contadores)) {
    if (!porPonto.has(r.ponto)) porPonto.set(r.ponto, novaContagem());
    for (const c of [
      porPonto.get(r.ponto)!,
      usoDe(porModelo, r.modelo).contagem,
      usoDe(porProvedor, r.provedor).contagem,
      usoDe(doProvedor(r.provedor), r.modelo).contagem,
      totais.contagem,
    ])
      adicionar(c, r);
  }
  for (const r of todas((p) => p.latencias)) {
    const metrica = r.metrica as keyof Latencias;
    for (const u of [usoDe(porModelo, r.modelo), usoDe(porProvedor, r.provedor), usoDe(doProvedor(r.provedor), r.modelo), totais]) {
      // A metric this version does not know (written by a newer instance) is left out.
      if (u.latencias[metrica]) somar(u.latencias[metrica], r.balde, r.q);
    }
  }

  const pontos: PontoSerie[] = [];
  for (let inicio = primeiroPonto; inicio < ate; inicio += passo) {
    const c = porPonto.get(inicio) ?? novaContagem();
    pontos.push({ inicio: new Date(inicio), requisicoes: c.n, erros: c.erro, tempo_medio_ms: media(c) });
  }
  const ultimaAtividade = ultima!.rows[0]?.t;
  return {
    periodo,
    totais,
    pontos,
    porModelo,
    porProvedor,
    porProvedorEModelo,
    modelosCarregados: numero(carregados!.rows[0]?.n),
    ultimaAtividade: ultimaAtividade === null || ultimaAtividade === undefined ? null : new Date(Number(ultimaAtividade)),
    porPorta: usoPorPorta(
      todas((p) => p.portas),
      todas((p) => p.latenciasPortas),
    ),
    porChave: usoPorChave(
      todas((p) => p.chaves),
      todas((p) => p.latenciasChaves),
      nomesDasChaves!.rows,
    ),
  };
}

/** The figures of a scope's whole period (every field of a provider's statistics but its by-model rows). */
function resumoDo(d: Periodo): Omit<EstatisticasProvedor, "por_modelo"> {
  const { contagem: totais, latencias: l } = d.totais;
  const total = totais.n;
  const sucesso = totais.ok;
  // Requests counted before the histograms existed have no times in them: no percentile beats a wrong one.
  const completo = totalDe(l.resposta) === sucesso;
  const p = (h: Histograma, q: number) => (completo ? percentil(h, q) : null);
  return {
    periodo: d.periodo,
    total_requisicoes: total,
    requisicoes_sucesso: sucesso,
    requisicoes_erro: totais.erro,
    taxa_sucesso: total ? Math.round((sucesso / total) * 10_000) / 10_000 : null,
    tempo_medio_resposta_ms: media(totais),
    p50_ms: p(l.resposta, 0.5),
    p95_ms: p(l.resposta, 0.95),
    p99_ms: p(l.resposta, 0.99),
    p50_primeiro_token_ms: p(l.primeiro_token, 0.5),
    p95_primeiro_token_ms: p(l.primeiro_token, 0.95),
    p99_primeiro_token_ms: p(l.primeiro_token, 0.99),
    // Over the requests that passed the queue (the histogram holds exactly those): no completeness to check.
    p50_fila_ms: percentil(l.fila, 0.5),
    p95_fila_ms: percentil(l.fila, 0.95),
    p99_fila_ms: percentil(l.fila, 0.99),
    // Over the answers that had a speed (the histogram holds exactly those).
    p50_tokens_por_segundo: percentil(l.tokens_por_segundo, 0.5),
    p95_tokens_por_segundo: percentil(l.tokens_por_segundo, 0.95),
    p99_tokens_por_segundo: percentil(l.tokens_por_segundo, 0.99),
    tokens_totais: totais.tokens,
    modelos_carregados: d.modelosCarregados,
    ultima_atividade: d.ultimaAtividade,
    serie: d.pontos,
    por_porta: d.porPorta,
    por_chave: d.porChave,
  };
}

/** The 50 most used models of a scope, each as the provider's by-model row. */
function modelosDo(d: Periodo): [string, UsoPorModelo][] {
  return [...d.porModelo]
    .sort(([ma, a], [mb, b]) => b.contagem.n - a.contagem.n || ma.localeCompare(mb))
    .slice(0, 50)
    .map(([modelo, { contagem: c, latencias: l }]) => [
      modelo,
      {
        modelo,
        requisicoes: c.n,
        erros: c.erro,
        tempo_medio_ms: media(c),
        p50_ms: percentil(l.resposta, 0.5),
        p95_ms: percentil(l.resposta, 0.95),
        p50_tokens_por_segundo: percentil(l.tokens_por_segundo, 0.5),
        p95_tokens_por_segundo: percentil(l.tokens_por_segundo, 0.95),
        p50_fila_ms: percentil(l.fila, 0.5),
        p95_fila_ms: percentil(l.fila, 0.95),
        p99_fila_ms: percentil(l.fila, 0.99),
        tokens: c.tokens,
      },
    ]);
}

/** One provider's (or one provider's model's) row of the cross-server statistics. */
function usoDoProvedor(id: number, nome: string, u: Uso | undefined): UsoPorProvedor {
  const { contagem: c, latencias: l } = u ?? novoUso();
  return {
    provedor_id: id,
    nome,
    requisicoes: c.n,
    erros: c.erro,
    tempo_medio_ms: media(c),
    p50_ms: percentil(l.resposta, 0.5),
    p95_ms: percentil(l.resposta, 0.95),
    p50_tokens_por_segundo: percentil(l.tokens_por_segundo, 0.5),
    p95_tokens_por_segundo: percentil(l.tokens_por_segundo, 0.95),
    tokens: c.tokens,
  };
}

export async function obterEstatisticas(idBruto: string | number, periodoBruto: unknown = "24h"): Promise<EstatisticasProvedor> {
  const id = lerId(idBruto);
  const periodo = validar(PeriodoEstatisticas, periodoBruto ?? "24h");
  await Promise.all([buscarLinha(id), gravarPendentes()]);
  const d = await lerPeriodo({ provedor: id }, periodo);
  return { ...resumoDo(d), por_modelo: modelosDo(d).map(([, m]) => m) };
}

/**
 * GET /api/estatisticas: every registered server's statistics of the period as one — the same figures as a
 * provider's (obterEstatisticas, the same reads over every provider), with the use by server and, for each model,
 * the servers that served it side by side.
 */
export async function obterEstatisticasGerais(periodoBruto: unknown = "24h"): Promise<EstatisticasGerais> {
  const periodo = validar(PeriodoEstatisticas, periodoBruto ?? "24h");
  await gravarPendentes();
  const [nomes, d] = await Promise.all([
    clienteLibsql().execute("select id, nome from provedores_llm order by id"),
    lerPeriodo("todos", periodo),
  ]);
  const nomeDe = new Map(nomes.rows.map((r) => [numero(r.id), String(r.nome)]));
  const maisUsados = (a: UsoPorProvedor, b: UsoPorProvedor) =>
    b.requisicoes - a.requisicoes || a.nome.localeCompare(b.nome, "pt-BR") || a.provedor_id - b.provedor_id;
  return {
    ...resumoDo(d),
    provedores: nomeDe.size,
    por_provedor: [...nomeDe].map(([id, nome]) => usoDoProvedor(id, nome, d.porProvedor.get(id))).sort(maisUsados),
    por_modelo: modelosDo(d).map(([modelo, m]) => ({
      ...m,
      provedores: [...d.porProvedorEModelo]
        .filter(([id, modelos]) => nomeDe.has(id) && modelos.get(modelo)?.contagem.n)
        .map(([id, modelos]) => usoDoProvedor(id, nomeDe.get(id)!, modelos.get(modelo)))
        .sort(maisUsados),
    })),
  };
}

/**
 * The keys that used the provider in the period, most requests first, then the admin (stored as key 0, answered
 * as `chave_id: null`), always: the rows add up to the provider's totals.
 */
function usoPorChave(contagens: LinhaChave[], latencias: LinhaLatenciaChave[], nomes: Row[]): UsoPorChave[] {
  const tempos = new Map<number, Histograma>();
  for (const r of latencias) {
    if (!tempos.has(r.chave)) tempos.set(r.chave, new Map());
    somar(tempos.get(r.chave)!, r.balde, r.q);
  }
  const porChave = new Map<number, { c: Contagem; prompt: number; resposta: number }>();
  for (const r of contagens) {
    const u = porChave.get(r.chave) ?? { c: novaContagem(), prompt: 0, resposta: 0 };
    adicionar(u.c, r);
    u.prompt += r.prompt;
    u.resposta += r.resposta;
    porChave.set(r.chave, u);
  }
  const nomeDe = new Map(nomes.map((r) => [numero(r.id), r]));
  const uso = (chave: number): UsoPorChave => {
    const u = porChave.get(chave);
    const c = u?.c ?? novaContagem();
    const h = tempos.get(chave) ?? new Map<number, number>();
    const k = chave === CHAVE_DO_ADMIN ? undefined : nomeDe.get(chave);
    return {
      chave_id: chave === CHAVE_DO_ADMIN ? null : chave,
      nome: k?.nome === null || k?.nome === undefined ? null : String(k.nome),
      prefixo: k?.prefixo === null || k?.prefixo === undefined ? null : String(k.prefixo),
      requisicoes: c.n,
      erros: c.erro,
      tempo_medio_ms: media(c),
      p95_ms: c.ok && totalDe(h) === c.ok ? percentil(h, 0.95) : null,
      tokens_prompt: u?.prompt ?? 0,
      tokens_resposta: u?.resposta ?? 0,
    };
  };
  const chaves = [...porChave]
    .filter(([chave, u]) => chave !== CHAVE_DO_ADMIN && u.c.n > 0)
    .map(([chave]) => uso(chave))
    .sort((a, b) => b.requisicoes - a.requisicoes || a.chave_id! - b.chave_id!);
  return [...chaves, uso(CHAVE_DO_ADMIN)];
}

/**
 * Every door in PORTAS order (zeros included: the table shows which doors are unused), then what was counted
 * before the door was (stored as '', answered as null) when the period holds any.
 */
function usoPorPorta(contagens: LinhaPorta[], latencias: LinhaLatenciaPorta[]): UsoPorPorta[] {
  const tempos = new Map<string, Histograma>();
  for (const r of latencias) {
    if (!tempos.has(r.porta)) tempos.set(r.porta, new Map());
    somar(tempos.get(r.porta)!, r.balde, r.q);
  }
  const porPorta = new Map<string, { c: Contagem; prompt: number; resposta: number }>();
  for (const r of contagens) {
    const u = porPorta.get(r.porta) ?? { c: novaContagem(), prompt: 0, resposta: 0 };
    adicionar(u.c, r);
    u.prompt += r.prompt;
    u.resposta += r.resposta;
    porPorta.set(r.porta, u);
  }
  const uso = (porta: NomePorta | null): UsoPorPorta => {
    const u = porPorta.get(porta ?? "");
    const c = u?.c ?? novaContagem();
    const h = tempos.get(porta ?? "") ?? new Map<number, number>();
    return {
      porta,
      requisicoes: c.n,
      erros: c.erro,
      tempo_medio_ms: media(c),
      // Only when every successful request of the door was timed in its histogram.
      p95_ms: c.ok && totalDe(h) === c.ok ? percentil(h, 0.95) : null,
      tokens_prompt: u?.prompt ?? 0,
      tokens_resposta: u?.resposta ?? 0,
    };
  };
  const linhas = PORTAS.map(uso);
  if (porPorta.get("")?.c.n) linhas.push(uso(null));
  return linhas;
}

export type Contagem = { n: number; ok: number; erro: number; tempo: number; tokens: number };
export const novaContagem = (): Contagem => ({ n: 0, ok: 0, erro: 0, tempo: 0, tokens: 0 });

export function adicionar(c: Contagem, r: Readonly<Record<string, unknown>>): void {
  c.n += numero(r.n);
  c.ok += numero(r.ok);
  c.erro += numero(r.erro);
  c.tempo += numero(r.tempo);
  c.tokens += numero(r.tokens);
}

/** Average time of the successful requests. */
export const media = (c: Contagem): number | null => (c.ok ? decimo(c.tempo / c.ok) : null);
