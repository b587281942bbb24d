import "server-only";
import type { InStatement } from "@libsql/client";
import { clienteLibsql } from "@/db/client";
import type { StatusProvedor, TipoProvedor } from "@/db/schema";
import { DIA_MS, HORA_MS, type Intervalo, intervalos } from "../estatisticas/baldes-de-tempo";
import { janelaDo, numero } from "../estatisticas/consultar-estatisticas";
import { type Histograma, percentil, somar, totalDe } from "../estatisticas/histograma";
import { gravarPendentes } from "../estatisticas/registrar";

/** One hour of a server's last 24 h, for its sparkline. */
export type PontoDoPainel = { inicio: Date; requisicoes: number; erros: number };

/** A server as the overview shows it: its row, its cached models and its statistics of the last 24 h. */
export type ServidorNoPainel = {
  id: number;
  nome: string;
  tipo: TipoProvedor;
  base_url: string;
  ativo: boolean;
  /** As the monitor last wrote it; the page follows it live from there. */
  status: StatusProvedor;
  ultima_latencia_ms: number | null;
  ultimo_teste_em: Date | null;
  /** The model cache: how many it lists, and the ids of those loaded now. */
  total_modelos: number;
  modelos_carregados: string[];
  requisicoes_24h: number;
  erros_24h: number;
  /** Null while any successful request of the 24 h has no time in the histograms (counted before they existed). */
  p95_24h_ms: number | null;
  /** Typical generation speed, null where the statistics do not know it. */
  tokens_por_segundo: number | null;
  /** One point per hour, oldest first (the first holds only its part inside the 24 h). */
  serie_24h: PontoDoPainel[];
};

export type Painel = {
  /** Today starts at 0:00 UTC, the day the keys' daily budgets count. */
  hoje_desde: Date;
  totais: {
    servidores: number;
    servidores_online: number;
    modelos: number;
    modelos_carregados: number;
    requisicoes_hoje: number;
    erros_hoje: number;
    tokens_hoje: number;
    p95_hoje_ms: number | null;
  };
  servidores: ServidorNoPainel[];
};

const TODOS = "provedor_id in (select id from provedores_llm)";

/**
 * The rows of a statistics table inside the parts, for every provider at once: each part reads the table's index
 * (provider, width, start) for each registered provider — a few queries for any number of servers.
 */
function deTodos(partes: Intervalo[], colunas: string, tabela: string, filtro = ""): { sql: string; args: number[] } {
  return {
    sql: partes
      .map(() => `select ${colunas} from ${tabela} where ${TODOS} and largura_ms = ? and inicio >= ? and inicio < ?${filtro}`)
      .join(" union all "),
    args: partes.flatMap((p) => [p.largura, p.de, p.ate]),
  };
}

/**
 * Everything the overview shows, from the database only (rows, model cache, statistics), never a server: five
 * queries in one read batch, whatever the number of servers.
 */
export async function obterPainel(agora = Date.now()): Promise<Painel> {
  await gravarPendentes();
  const { desde, ate, primeiroPonto } = janelaDo("24h", agora);
  const hojeDesde = Math.floor(agora / DIA_MS) * DIA_MS;

  // Today (from 0:00 UTC) lies inside the last 24 h, and its rows are those of the 24 h's parts that start at 0:00 or
  // later (whole hours, then the current hour's minutes): one read of each table gives both.
  const serie = deTodos(
    intervalos(desde, ate, HORA_MS),
    `provedor_id, inicio - inicio % ${HORA_MS} ponto, requisicoes, requisicoes_erro, requisicoes_sucesso,
     tokens_prompt + tokens_resposta tokens`,
    "estatisticas_modelos",
  );
  const tempos24h = deTodos(
    intervalos(desde, ate),
    "provedor_id, inicio, metrica, balde, quantidade",
    "histogramas_latencia",
    " and metrica in ('resposta', 'tokens_por_segundo')",
  );
  const consultas: InStatement[] = [
    {
      sql: `select id, nome, tipo, base_url, ativo, status, ultima_latencia_ms, ultimo_teste_em
            from provedores_llm order by nome_chave, id`,
      args: [],
    },
    { sql: "select provedor_id, count(*) n from modelos_provedores group by provedor_id", args: [] },
    { sql: "select provedor_id, modelo from modelos_provedores where carregado = 1 order by provedor_id, modelo", args: [] },
    {
      sql: `select provedor_id, ponto, sum(requisicoes) n, sum(requisicoes_erro) erro, sum(requisicoes_sucesso) ok, sum(tokens) tokens
            from (${serie.sql}) group by provedor_id, ponto`,
      args: serie.args,
    },
    {
      sql: `select provedor_id, metrica, balde, sum(quantidade) q, sum(case when inicio >= ${hojeDesde} then quantidade else 0 end) hoje
            from (${tempos24h.sql}) group by provedor_id, metrica, balde`,
      args: tempos24h.args,
    },
  ];
  const [provedores, contagens, carregados, pontos, tempos] = await clienteLibsql().batch(consultas, "read");

  const totalModelos = new Map(contagens!.rows.map((r) => [numero(r.provedor_id), numero(r.n)]));
  const carregadosDe = new Map<number, string[]>();
  for (const r of carregados!.rows) {
    const id = numero(r.provedor_id);
    if (!carregadosDe.has(id)) carregadosDe.set(id, []);
    carregadosDe.get(id)!.push(String(r.modelo));
  }
  const porPonto = new Map<number, Map<number, { n: number; erro: number; ok: number }>>();
  for (const r of pontos!.rows) {
    const id = numero(r.provedor_id);
    if (!porPonto.has(id)) porPonto.set(id, new Map());
    porPonto.get(id)!.set(numero(r.ponto), { n: numero(r.n), erro: numero(r.erro), ok: numero(r.ok) });
  }
  const hoje = { n: 0, erro: 0, ok: 0, tokens: 0 };
  for (const r of pontos!.rows) {
    if (numero(r.ponto) < hojeDesde) continue;
    hoje.n += numero(r.n);
    hoje.erro += numero(r.erro);
    hoje.ok += numero(r.ok);
    hoje.tokens += numero(r.tokens);
  }
  const histogramas = new Map<number, Histograma>();
  const histogramaHoje: Histograma = new Map();
  // The generation speed (tokens/s) of each answer, in the same buckets: its p50 is the typical speed.
  const velocidades = new Map<number, Histograma>();
  for (const r of tempos!.rows) {
    const id = numero(r.provedor_id);
    if (r.metrica === "tokens_por_segundo") {
      if (!velocidades.has(id)) velocidades.set(id, new Map());
      somar(velocidades.get(id)!, numero(r.balde), numero(r.q));
      continue;
    }
    if (!histogramas.has(id)) histogramas.set(id, new Map());
    somar(histogramas.get(id)!, numero(r.balde), numero(r.q));
    if (numero(r.hoje)) somar(histogramaHoje, numero(r.balde), numero(r.hoje));
  }

  const servidores = provedores!.rows.map((r): ServidorNoPainel => {
    const id = numero(r.id);
    const doServidor = porPonto.get(id) ?? new Map<number, { n: number; erro: number; ok: number }>();
    const serie_24h: PontoDoPainel[] = [];
    let n = 0;
    let erro = 0;
    let ok = 0;
    for (let inicio = primeiroPonto; inicio < ate; inicio += HORA_MS) {
      const c = doServidor.get(inicio);
      serie_24h.push({ inicio: new Date(inicio), requisicoes: c?.n ?? 0, erros: c?.erro ?? 0 });
      n += c?.n ?? 0;
      erro += c?.erro ?? 0;
      ok += c?.ok ?? 0;
    }
    const h = histogramas.get(id) ?? new Map<number, number>();
    return {
      id,
      nome: String(r.nome),
      tipo: String(r.tipo) as TipoProvedor,
      base_url: String(r.base_url),
      ativo: numero(r.ativo) === 1,
      status: String(r.status) as StatusProvedor,
      ultima_latencia_ms: r.ultima_latencia_ms === null ? null : numero(r.ultima_latencia_ms),
      ultimo_teste_em: r.ultimo_teste_em === null ? null : new Date(numero(r.ultimo_teste_em)),
      total_modelos: totalModelos.get(id) ?? 0,
      modelos_carregados: carregadosDe.get(id) ?? [],
      requisicoes_24h: n,
      erros_24h: erro,
      p95_24h_ms: ok && totalDe(h) === ok ? percentil(h, 0.95) : null,
      tokens_por_segundo: velocidades.has(id) ? percentil(velocidades.get(id)!, 0.5) : null,
      serie_24h,
    };
  });

  return {
    hoje_desde: new Date(hojeDesde),
    totais: {
      servidores: servidores.length,
      servidores_online: servidores.filter((s) => s.status === "online").length,
      modelos: servidores.reduce((soma, s) => soma + s.total_modelos, 0),
      modelos_carregados: servidores.reduce((soma, s) => soma + s.modelos_carregados.length, 0),
      requisicoes_hoje: hoje.n,
      erros_hoje: hoje.erro,
      tokens_hoje: hoje.tokens,
      p95_hoje_ms: hoje.ok && totalDe(histogramaHoje) === hoje.ok ? percentil(histogramaHoje, 0.95) : null,
    },
    servidores,
  };
}
