import { clienteLibsql } from "@/db/client";
import { PeriodoEstatisticas, type EstatisticasProvedor, type PontoSerie } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { buscarLinha, lerId } from "../provedores/interno";
import { gravarPendentes, MINUTO_MS } from "./registrar";

const HORA_MS = 60 * MINUTO_MS;
const DIA_MS = 24 * HORA_MS;

/** Each period's length and the width of one point of its series. */
const PERIODOS: Record<PeriodoEstatisticas, { duracao: number; passo: number }> = {
  "1h": { duracao: HORA_MS, passo: MINUTO_MS },
  "24h": { duracao: DIA_MS, passo: HORA_MS },
  "7d": { duracao: 7 * DIA_MS, passo: 6 * HORA_MS },
  "30d": { duracao: 30 * DIA_MS, passo: DIA_MS },
};

const numero = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Nearest-rank percentile of the successful requests' times in the period, computed in SQL. */
async function percentil(provedorId: number, desde: number, total: number, q: number): Promise<number | null> {
  if (total === 0) return null;
  const r = await clienteLibsql().execute({
    sql: `select tempo_resposta_ms as t from requisicoes_provedores
          where provedor_id = ? and criado_em >= ? and sucesso = 1
          order by tempo_resposta_ms limit 1 offset ?`,
    args: [provedorId, desde, Math.max(0, Math.ceil(q * total) - 1)],
  });
  const t = r.rows[0]?.t;
  return t === undefined || t === null ? null : Math.round(Number(t) * 10) / 10;
}

export async function obterEstatisticas(idBruto: string | number, periodoBruto: unknown = "24h"): Promise<EstatisticasProvedor> {
  const id = lerId(idBruto);
  const periodo = validar(PeriodoEstatisticas, periodoBruto ?? "24h");
  await Promise.all([buscarLinha(id), gravarPendentes()]);
  const { duracao, passo } = PERIODOS[periodo];
  const agora = Date.now();
  const desde = agora - duracao;
  // Series points are aligned to their width, so the first one may start a little before the period.
  const primeiroPonto = Math.floor(desde / passo) * passo;
  const cliente = clienteLibsql();

  const [totais, serie, log, modelos, ultima, porModelo] = await cliente.batch(
    [
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
      {
        sql: "select count(*) n from requisicoes_provedores where provedor_id = ? and criado_em >= ? and sucesso = 1",
        args: [id, desde],
      },
      { sql: "select count(*) n from modelos_provedores where provedor_id = ? and carregado = 1", args: [id] },
      { sql: "select max(criado_em) t from requisicoes_provedores where provedor_id = ?", args: [id] },
      {
        sql: `select coalesce(modelo, '') modelo, count(*) n, sum(sucesso = 0) erro,
                     avg(case when sucesso = 1 then tempo_resposta_ms end) tempo,
                     coalesce(sum(tokens_prompt), 0) + coalesce(sum(tokens_resposta), 0) tokens
              from requisicoes_provedores where provedor_id = ? and criado_em >= ?
              group by modelo order by n desc, modelo limit 50`,
        args: [id, desde],
      },
    ],
    "read",
  );

  const t = totais!.rows[0]!;
  const total = numero(t.n);
  const sucesso = numero(t.ok);
  const nLog = numero(log!.rows[0]?.n);
  const [p50, p95] = await Promise.all([percentil(id, desde, nLog, 0.5), percentil(id, desde, nLog, 0.95)]);

  const porPonto = new Map(serie!.rows.map((r) => [numero(r.ponto), r]));
  const pontos: PontoSerie[] = [];
  for (let inicio = primeiroPonto; inicio <= agora; inicio += passo) {
    const r = porPonto.get(inicio);
    const ok = numero(r?.ok);
    pontos.push({
      inicio: new Date(inicio),
      requisicoes: numero(r?.n),
      erros: numero(r?.erro),
      tempo_medio_ms: ok ? Math.round((numero(r?.tempo) / ok) * 10) / 10 : null,
    });
  }
  const ultimaAtividade = ultima!.rows[0]?.t;

  return {
    periodo,
    total_requisicoes: total,
    requisicoes_sucesso: sucesso,
    requisicoes_erro: numero(t.erro),
    taxa_sucesso: total ? Math.round((sucesso / total) * 10_000) / 10_000 : null,
    tempo_medio_resposta_ms: sucesso ? Math.round((numero(t.tempo) / sucesso) * 10) / 10 : null,
    p50_ms: p50,
    p95_ms: p95,
    tokens_totais: numero(t.tokens),
    modelos_carregados: numero(modelos!.rows[0]?.n),
    ultima_atividade: ultimaAtividade === null || ultimaAtividade === undefined ? null : new Date(Number(ultimaAtividade)),
    serie: pontos,
    por_modelo: porModelo!.rows.map((r) => ({
      modelo: String(r.modelo),
      requisicoes: numero(r.n),
      erros: numero(r.erro),
      tempo_medio_ms: r.tempo === null || r.tempo === undefined ? null : Math.round(Number(r.tempo) * 10) / 10,
      tokens: numero(r.tokens),
    })),
  };
}
