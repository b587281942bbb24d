import type { InStatement, Row } from "@libsql/client";
import { clienteLibsql } from "@/db/client";
import type { METRICAS_LATENCIA } from "@/db/schema";
import { PeriodoEstatisticas, type EstatisticasProvedor, type PontoSerie, type UsoPorModelo } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { buscarLinha, lerId } from "../provedores/interno";
import { type Histograma, percentil, somar, totalDe } from "./histograma";
import { DIA_MS, HORA_MS, type Intervalo, intervalos, MINUTO_MS } from "./niveis";
import { gravarPendentes } from "./registrar";

/** Each period's length and the width of one point of its series. */
const PERIODOS: Record<PeriodoEstatisticas, { duracao: number; passo: number }> = {
  "1h": { duracao: HORA_MS, passo: MINUTO_MS },
  "24h": { duracao: DIA_MS, passo: HORA_MS },
  "7d": { duracao: 7 * DIA_MS, passo: 6 * HORA_MS },
  "30d": { duracao: 30 * DIA_MS, passo: DIA_MS },
};

const numero = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const decimo = (v: number): number => Math.round(v * 10) / 10;

/** Rows of a by-model table inside the period, each part read through the primary key. */
function porIntervalos(id: number, partes: Intervalo[], colunas: string, tabela: string): { sql: string; args: number[] } {
  return {
    sql: partes
      .map(() => `select ${colunas} from ${tabela} where provedor_id = ? and largura_ms = ? and inicio >= ? and inicio < ?`)
      .join(" union all "),
    args: partes.flatMap((p) => [id, p.largura, p.de, p.ate]),
  };
}

type Latencias = Record<(typeof METRICAS_LATENCIA)[number], Histograma>;
const novasLatencias = (): Latencias => ({ resposta: new Map(), primeiro_token: new Map() });

export async function obterEstatisticas(idBruto: string | number, periodoBruto: unknown = "24h"): Promise<EstatisticasProvedor> {
  const id = lerId(idBruto);
  const periodo = validar(PeriodoEstatisticas, periodoBruto ?? "24h");
  await Promise.all([buscarLinha(id), gravarPendentes()]);
  const { duracao, passo } = PERIODOS[periodo];
  const agora = Date.now();
  // The period is the minutes that start inside it, up to the current one (as the counters are read).
  const desde = Math.ceil((agora - duracao) / MINUTO_MS) * MINUTO_MS;
  const ate = Math.floor(agora / MINUTO_MS) * MINUTO_MS + MINUTO_MS;
  const partes = intervalos(desde, ate);
  // Series points are aligned to their width, so the first one may start a little before the period.
  const primeiroPonto = Math.floor(desde / passo) * passo;

  const modelosDoPeriodo = porIntervalos(
    id,
    partes,
    "modelo, requisicoes, requisicoes_erro, requisicoes_sucesso, tempo_total_ms, tokens_prompt + tokens_resposta tokens",
    "estatisticas_modelos",
  );
  const latenciasDoPeriodo = porIntervalos(id, partes, "modelo, metrica, balde, quantidade", "histogramas_latencia");
  const consultas: InStatement[] = [
    {
      sql: `select sum(requisicoes) n, sum(requisicoes_sucesso) ok, sum(requisicoes_erro) erro, sum(tempo_total_ms) tempo,
                   sum(tokens_prompt) + sum(tokens_resposta) tokens
            from estatisticas_provedores where provedor_id = ? and inicio >= ?`,
      args: [id, desde],
    },
    {
      sql: `select (inicio / ?) * ? as ponto, sum(requisicoes) n, sum(requisicoes_erro) erro,
                   sum(requisicoes_sucesso) ok, sum(tempo_total_ms) tempo
            from estatisticas_provedores where provedor_id = ? and inicio >= ?
            group by ponto order by ponto`,
      args: [passo, passo, id, primeiroPonto],
    },
    { sql: "select count(*) n from modelos_provedores where provedor_id = ? and carregado = 1", args: [id] },
    {
      // The log holds the exact instant; once it has aged out, the counters still know the minute.
      sql: `select coalesce((select max(criado_em) from requisicoes_provedores where provedor_id = ?),
                            (select max(inicio) from estatisticas_provedores where provedor_id = ?)) t`,
      args: [id, id],
    },
    {
      sql: `select modelo, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(requisicoes_sucesso) ok,
                   sum(tempo_total_ms) tempo, sum(tokens) tokens
            from (${modelosDoPeriodo.sql}) group by modelo order by n desc, modelo limit 50`,
      args: modelosDoPeriodo.args,
    },
    {
      sql: `select modelo, metrica, balde, sum(quantidade) q from (${latenciasDoPeriodo.sql}) group by modelo, metrica, balde`,
      args: latenciasDoPeriodo.args,
    },
  ];
  const [totais, serie, carregados, ultima, modelos, latencias] = await clienteLibsql().batch(consultas, "read");

  const t = totais!.rows[0]!;
  const total = numero(t.n);
  const sucesso = numero(t.ok);

  const doProvedor = novasLatencias();
  const porModelo = new Map<string, Latencias>();
  for (const r of latencias!.rows) {
    const metrica = r.metrica as keyof Latencias;
    const modelo = String(r.modelo);
    if (!porModelo.has(modelo)) porModelo.set(modelo, novasLatencias());
    somar(porModelo.get(modelo)![metrica], numero(r.balde), numero(r.q));
    somar(doProvedor[metrica], numero(r.balde), numero(r.q));
  }
  // Requests counted before the histograms existed have no times in them: no percentile beats a wrong one.
  const completo = totalDe(doProvedor.resposta) === sucesso;
  const p = (h: Histograma, q: number) => (completo ? percentil(h, q) : null);

  const porPonto = new Map(serie!.rows.map((r) => [numero(r.ponto), r]));
  const pontos: PontoSerie[] = [];
  for (let inicio = primeiroPonto; inicio < ate; inicio += passo) {
    const r = porPonto.get(inicio);
    const ok = numero(r?.ok);
    pontos.push({
      inicio: new Date(inicio),
      requisicoes: numero(r?.n),
      erros: numero(r?.erro),
      tempo_medio_ms: ok ? decimo(numero(r?.tempo) / ok) : null,
    });
  }
  const ultimaAtividade = ultima!.rows[0]?.t;

  return {
    periodo,
    total_requisicoes: total,
    requisicoes_sucesso: sucesso,
    requisicoes_erro: numero(t.erro),
    taxa_sucesso: total ? Math.round((sucesso / total) * 10_000) / 10_000 : null,
    tempo_medio_resposta_ms: sucesso ? decimo(numero(t.tempo) / sucesso) : null,
    p50_ms: p(doProvedor.resposta, 0.5),
    p95_ms: p(doProvedor.resposta, 0.95),
    p99_ms: p(doProvedor.resposta, 0.99),
    p50_primeiro_token_ms: p(doProvedor.primeiro_token, 0.5),
    p95_primeiro_token_ms: p(doProvedor.primeiro_token, 0.95),
    p99_primeiro_token_ms: p(doProvedor.primeiro_token, 0.99),
    tokens_totais: numero(t.tokens),
    modelos_carregados: numero(carregados!.rows[0]?.n),
    ultima_atividade: ultimaAtividade === null || ultimaAtividade === undefined ? null : new Date(Number(ultimaAtividade)),
    serie: pontos,
    por_modelo: modelos!.rows.map((r) => usoDoModelo(r, porModelo.get(String(r.modelo)))),
  };
}

function usoDoModelo(r: Row, latencias: Latencias | undefined): UsoPorModelo {
  const ok = numero(r.ok);
  return {
    modelo: String(r.modelo),
    requisicoes: numero(r.n),
    erros: numero(r.erro),
    tempo_medio_ms: ok ? decimo(numero(r.tempo) / ok) : null,
    p95_ms: latencias ? percentil(latencias.resposta, 0.95) : null,
    tokens: numero(r.tokens),
  };
}
