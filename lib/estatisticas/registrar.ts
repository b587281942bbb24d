import type { InStatement } from "@libsql/client";
import { clienteLibsql } from "@/db/client";
import { doProcesso } from "../processo";

export type RegistroRequisicao = {
  provedor_id: number;
  criado_em: number;
  modelo: string | null;
  stream: boolean;
  sucesso: boolean;
  codigo_erro: string | null;
  tempo_resposta_ms: number;
  tempo_primeiro_token_ms: number | null;
  tokens_prompt: number | null;
  tokens_resposta: number | null;
};

export const MINUTO_MS = 60_000;
const RETENCAO_LOG_MS = 31 * 24 * 3600_000;
const RETENCAO_CONTADORES_MS = 400 * 24 * 3600_000;
const MAX_LOG_POR_PROVEDOR = 50_000;
const LIMPAR_A_CADA = 2_000;
/** How long a record may wait for others to share its write; a full queue is written at once. */
const JANELA_MS = 20;
const LOTE_MAXIMO = 500;

// One queue per process, shared by every bundle that records requests (see lib/processo.ts).
const estado = doProcesso("filaEstatisticas", () => ({
  fila: [] as RegistroRequisicao[],
  proximaGravacao: null as Promise<void> | null,
  ultimaGravacao: Promise.resolve() as Promise<void>,
  agendadoAgora: null as (() => void) | null,
  desdeALimpeza: 0,
}));

/**
 * Counts one request. Writes are queued and flushed together, one batch at a time, so a burst of
 * requests costs a few transactions instead of one each — and never a read-modify-write in JS:
 * counters are incremented by SQL upserts. The promise settles once the row is written.
 */
export function registrarRequisicao(registro: RegistroRequisicao): Promise<void> {
  estado.fila.push(registro);
  if (!estado.proximaGravacao) {
    let disparar!: () => void;
    const pronto = new Promise<void>((r) => (disparar = r));
    const timer = setTimeout(disparar, JANELA_MS);
    estado.agendadoAgora = () => {
      clearTimeout(timer);
      disparar();
    };
    estado.proximaGravacao = Promise.all([estado.ultimaGravacao, pronto]).then(async () => {
      const lote = estado.fila;
      estado.fila = [];
      estado.proximaGravacao = null;
      estado.agendadoAgora = null;
      try {
        await gravarLote(lote);
      } catch (e) {
        console.error(`[provedores-llm] não foi possível gravar ${lote.length} registro(s) de estatística:`, (e as Error).message);
      }
    });
    estado.ultimaGravacao = estado.proximaGravacao;
  } else if (estado.fila.length >= LOTE_MAXIMO) {
    estado.agendadoAgora?.();
  }
  return estado.proximaGravacao;
}

/**
 * Writes what is queued now and waits for it, so a reader in this process sees every request already
 * answered (the statistics page right after a burst of requests shows all of them).
 */
export function gravarPendentes(): Promise<void> {
  // Only set while records wait for their batch; the last write in line is the one that includes them.
  estado.agendadoAgora?.();
  return estado.ultimaGravacao;
}

function instrucoes(lote: RegistroRequisicao[]): InStatement[] {
  // A provider deleted meanwhile simply gets no row.
  const existe = "in (select id from provedores_llm)";
  const comandos: InStatement[] = [];
  for (let i = 0; i < lote.length; i += LOTE_MAXIMO) {
    const parte = lote.slice(i, i + LOTE_MAXIMO);
    comandos.push({
      sql: `insert into requisicoes_provedores (provedor_id, criado_em, modelo, stream, sucesso, codigo_erro, tempo_resposta_ms, tempo_primeiro_token_ms, tokens_prompt, tokens_resposta)
            select * from (values ${parte.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}) where column1 ${existe}`,
      args: parte.flatMap((r) => [
        r.provedor_id,
        r.criado_em,
        r.modelo,
        r.stream ? 1 : 0,
        r.sucesso ? 1 : 0,
        r.codigo_erro,
        r.tempo_resposta_ms,
        r.tempo_primeiro_token_ms,
        r.tokens_prompt,
        r.tokens_resposta,
      ]),
    });
  }
  // Same provider and minute: one upsert with the sums, incremented in SQL.
  const baldes = new Map<
    string,
    { provedor_id: number; inicio: number; n: number; ok: number; erro: number; tempo: number; tp: number; tr: number }
  >();
  for (const r of lote) {
    const inicio = Math.floor(r.criado_em / MINUTO_MS) * MINUTO_MS;
    const chave = `${r.provedor_id}:${inicio}`;
    const b = baldes.get(chave) ?? { provedor_id: r.provedor_id, inicio, n: 0, ok: 0, erro: 0, tempo: 0, tp: 0, tr: 0 };
    b.n += 1;
    if (r.sucesso) {
      b.ok += 1;
      b.tempo += r.tempo_resposta_ms;
    } else b.erro += 1;
    b.tp += r.tokens_prompt ?? 0;
    b.tr += r.tokens_resposta ?? 0;
    baldes.set(chave, b);
  }
  for (const b of baldes.values()) {
    comandos.push({
      sql: `insert into estatisticas_provedores (provedor_id, inicio, requisicoes, requisicoes_sucesso, requisicoes_erro, tempo_total_ms, tokens_prompt, tokens_resposta)
            select ?, ?, ?, ?, ?, ?, ?, ? where ? ${existe}
            on conflict (provedor_id, inicio) do update set
              requisicoes = requisicoes + excluded.requisicoes,
              requisicoes_sucesso = requisicoes_sucesso + excluded.requisicoes_sucesso,
              requisicoes_erro = requisicoes_erro + excluded.requisicoes_erro,
              tempo_total_ms = tempo_total_ms + excluded.tempo_total_ms,
              tokens_prompt = tokens_prompt + excluded.tokens_prompt,
              tokens_resposta = tokens_resposta + excluded.tokens_resposta`,
      args: [b.provedor_id, b.inicio, b.n, b.ok, b.erro, b.tempo, b.tp, b.tr, b.provedor_id],
    });
  }
  return comandos;
}

async function gravarLote(lote: RegistroRequisicao[]): Promise<void> {
  if (!lote.length) return;
  const comandos = instrucoes(lote);
  estado.desdeALimpeza += lote.length;
  if (estado.desdeALimpeza >= LIMPAR_A_CADA) {
    estado.desdeALimpeza = 0;
    comandos.push(...limpeza(new Set(lote.map((r) => r.provedor_id)), Date.now()));
  }
  await clienteLibsql().batch(comandos, "write");
}

/** Retention: the log keeps 31 days and at most 50 000 rows per provider; counters keep 400 days. */
function limpeza(provedores: Set<number>, agora: number): InStatement[] {
  const comandos: InStatement[] = [
    { sql: "delete from requisicoes_provedores where criado_em < ?", args: [agora - RETENCAO_LOG_MS] },
    { sql: "delete from estatisticas_provedores where inicio < ?", args: [agora - RETENCAO_CONTADORES_MS] },
  ];
  for (const id of provedores) {
    comandos.push({
      sql: `delete from requisicoes_provedores where provedor_id = ? and id <= (
              select id from requisicoes_provedores where provedor_id = ? order by id desc limit 1 offset ?)`,
      args: [id, id, MAX_LOG_POR_PROVEDOR],
    });
  }
  return comandos;
}
