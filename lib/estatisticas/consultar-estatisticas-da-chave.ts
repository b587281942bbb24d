import "server-only";
import { clienteLibsql } from "@/db/client";
import { buscarChave, lerIdChave } from "../chaves/linha-da-chave";
import {
  type EstatisticasChave,
  PeriodoEstatisticas,
  type PontoSerie,
  type UsoDaChavePorModelo,
  type UsoDaChavePorProvedor,
} from "../schemas/llm";
import { validar } from "../schemas/validar";
import { intervalos } from "./baldes-de-tempo";
import {
  adicionar,
  type Contagem,
  janelaDo,
  type Latencias,
  media,
  novaContagem,
  novasLatencias,
  numero,
  porIntervalos,
} from "./consultar-estatisticas";
import { type Histograma, percentil, somar, totalDe } from "./histograma";
import { gravarPendentes } from "./registrar";

/** Counters with the two token kinds apart (a key's budget and its page count them so). */
type ContagemDeTokens = Contagem & { prompt: number; resposta: number };
const novaContagemDeTokens = (): ContagemDeTokens => ({ ...novaContagem(), prompt: 0, resposta: 0 });

/**
 * One access key's use over a period, counted as a provider's is (lib/estatisticas/consultar-estatisticas.ts):
 * totals, percentiles of the response time and of the first token, a series, by model and by provider. A revoked
 * key keeps its statistics; an unknown id is a 404, a bad period a 400.
 */
export async function estatisticasDaChave(idBruto: number | string, periodoBruto: unknown = "24h"): Promise<EstatisticasChave> {
  const id = lerIdChave(idBruto);
  const periodo = validar(PeriodoEstatisticas, periodoBruto ?? "24h");
  const [chave] = await Promise.all([buscarChave(id), gravarPendentes()]);
  const { desde, ate, passo, primeiroPonto } = janelaDo(periodo);

  // Counters by series point, provider and model: rows no wider than a point, so each lies inside one point.
  const contadores = porIntervalos(
    id,
    intervalos(desde, ate, passo),
    `inicio - inicio % ${passo} ponto, provedor_id, modelo, requisicoes, requisicoes_erro, requisicoes_sucesso, tempo_total_ms,
     tokens_prompt, tokens_resposta`,
    "estatisticas_chaves",
    "chave_id",
  );
  const latencias = porIntervalos(
    id,
    intervalos(desde, ate),
    "provedor_id, modelo, metrica, balde, quantidade",
    "histogramas_latencia_chaves",
    "chave_id",
  );
  const [linhas, tempos, provedores, ultima] = await clienteLibsql().batch(
    [
      {
        sql: `select ponto, provedor_id, modelo, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(requisicoes_sucesso) ok,
                     sum(tempo_total_ms) tempo, sum(tokens_prompt) prompt, sum(tokens_resposta) resposta
              from (${contadores.sql}) group by ponto, provedor_id, modelo`,
        args: contadores.args,
      },
      {
        sql: `select provedor_id, modelo, metrica, balde, sum(quantidade) q from (${latencias.sql}) group by provedor_id, modelo, metrica, balde`,
        args: latencias.args,
      },
      { sql: "select id, nome from provedores_llm", args: [] },
      { sql: "select max(criado_em) t from requisicoes_provedores where chave_id = ?", args: [id] },
    ],
    "read",
  );

  const totais = novaContagemDeTokens();
  const porPonto = new Map<number, Contagem>();
  const porModelo = new Map<string, ContagemDeTokens>();
  const porProvedor = new Map<number, ContagemDeTokens>();
  for (const r of linhas!.rows) {
    const ponto = numero(r.ponto);
    const modelo = String(r.modelo);
    const provedor = numero(r.provedor_id);
    if (!porPonto.has(ponto)) porPonto.set(ponto, novaContagem());
    if (!porModelo.has(modelo)) porModelo.set(modelo, novaContagemDeTokens());
    if (!porProvedor.has(provedor)) porProvedor.set(provedor, novaContagemDeTokens());
    adicionar(porPonto.get(ponto)!, r);
    for (const c of [porModelo.get(modelo)!, porProvedor.get(provedor)!, totais]) {
      adicionar(c, r);
      c.prompt += numero(r.prompt);
      c.resposta += numero(r.resposta);
    }
  }

  const daChave = novasLatencias();
  const temposPorModelo = new Map<string, Histograma>();
  const temposPorProvedor = new Map<number, Histograma>();
  for (const r of tempos!.rows) {
    const metrica = r.metrica as keyof Latencias;
    const balde = numero(r.balde);
    const q = numero(r.q);
    somar(daChave[metrica], balde, q);
    if (metrica !== "resposta") continue;
    const modelo = String(r.modelo);
    const provedor = numero(r.provedor_id);
    if (!temposPorModelo.has(modelo)) temposPorModelo.set(modelo, new Map());
    if (!temposPorProvedor.has(provedor)) temposPorProvedor.set(provedor, new Map());
    somar(temposPorModelo.get(modelo)!, balde, q);
    somar(temposPorProvedor.get(provedor)!, balde, q);
  }
  // The admin's requests from before the histograms existed have no times in them: no percentile beats a wrong one.
  const completo = totalDe(daChave.resposta) === totais.ok;
  const p = (h: Histograma, q: number) => (completo ? percentil(h, q) : null);
  const p95 = (c: Contagem, h: Histograma | undefined) => (h && c.ok && totalDe(h) === c.ok ? percentil(h, 0.95) : null);

  const serie: PontoSerie[] = [];
  for (let inicio = primeiroPonto; inicio < ate; inicio += passo) {
    const c = porPonto.get(inicio) ?? novaContagem();
    serie.push({ inicio: new Date(inicio), requisicoes: c.n, erros: c.erro, tempo_medio_ms: media(c) });
  }
  const nomes = new Map(provedores!.rows.map((r) => [numero(r.id), String(r.nome)]));
  const ultimaAtividade = ultima!.rows[0]?.t;
  const total = totais.n;

  return {
    chave_id: chave.id,
    nome: chave.nome,
    prefixo: chave.prefixo,
    periodo,
    total_requisicoes: total,
    requisicoes_sucesso: totais.ok,
    requisicoes_erro: totais.erro,
    taxa_sucesso: total ? Math.round((totais.ok / total) * 10_000) / 10_000 : null,
    tempo_medio_resposta_ms: media(totais),
    p50_ms: p(daChave.resposta, 0.5),
    p95_ms: p(daChave.resposta, 0.95),
    p99_ms: p(daChave.resposta, 0.99),
    p50_primeiro_token_ms: p(daChave.primeiro_token, 0.5),
    p95_primeiro_token_ms: p(daChave.primeiro_token, 0.95),
    p99_primeiro_token_ms: p(daChave.primeiro_token, 0.99),
    p50_fila_ms: percentil(daChave.fila, 0.5),
    p95_fila_ms: percentil(daChave.fila, 0.95),
    p99_fila_ms: percentil(daChave.fila, 0.99),
    tokens_prompt: totais.prompt,
    tokens_resposta: totais.resposta,
    tokens_totais: totais.prompt + totais.resposta,
    ultima_atividade: ultimaAtividade === null || ultimaAtividade === undefined ? null : new Date(Number(ultimaAtividade)),
    serie,
    por_modelo: [...porModelo]
      .sort(([ma, a], [mb, b]) => b.n - a.n || ma.localeCompare(mb))
      .slice(0, 50)
      .map(
        ([modelo, c]): UsoDaChavePorModelo => ({
          modelo,
          requisicoes: c.n,
          erros: c.erro,
          tempo_medio_ms: media(c),
          p95_ms: p95(c, temposPorModelo.get(modelo)),
          tokens_prompt: c.prompt,
          tokens_resposta: c.resposta,
        }),
      ),
    por_provedor: [...porProvedor]
      .sort(([ia, a], [ib, b]) => b.n - a.n || ia - ib)
      .map(
        ([provedor_id, c]): UsoDaChavePorProvedor => ({
          provedor_id,
          nome: nomes.get(provedor_id) ?? null,
          requisicoes: c.n,
          erros: c.erro,
          tempo_medio_ms: media(c),
          p95_ms: p95(c, temposPorProvedor.get(provedor_id)),
          tokens_prompt: c.prompt,
          tokens_resposta: c.resposta,
        }),
      ),
  };
}
