import "server-only";
import type { InStatement } from "@libsql/client";
import { depoisDeGravarEstatisticas } from "@/db/checkpoint";
import {
  bancoDisponivel,
  chamadaAindaEmAndamento,
  chamadaNaoEnviada,
  clienteLibsql,
  ehBancoIndisponivel,
  quandoBancoVoltar,
} from "@/db/client";
import { doProcesso } from "../unico-por-processo";
import type { RegistroRequisicao } from "../schemas/llm";
import { baldeDe } from "./histograma";
import { tokensPorSegundoDe } from "./tokens-por-segundo";
import { DIA_MS, inicioDe, LARGURAS, MINUTO_MS, NIVEIS } from "./baldes-de-tempo";
import { esquecerBlocosFechados, MARGEM_MS } from "./blocos-fechados";

const RETENCAO_LOG_MS = 7 * DIA_MS;
const RETENCAO_CONTADORES_MS = 400 * DIA_MS;
const MAX_LOG_POR_PROVEDOR = 10_000;
const LIMPAR_A_CADA = 500;
/** How long a record may wait for others to share its write; a full queue is written at once. */
const JANELA_MS = 20;
const LOTE_MAXIMO = 500;

/**
 * Records kept while the database is away, at most: past this the oldest are dropped (counted, and logged once),
 * so an outage of hours costs bounded memory (~300 B a record: ~15 MiB).
 */
const MAXIMO_NA_FILA = 50_000;
/** What waited is written this many records per transaction: each within the per-call deadline, not all at once. */
const LOTE_RECUPERACAO = 5000;
/** A batch whose outcome the deadline left unknown holds the queue this long at most (a socket gone quiet for good). */
const DUVIDA_MAXIMA_MS = 60_000;
/** A batch refused while the database is not known to be away (SQLite busy, a full line) is tried again after this. */
const NOVA_TENTATIVA_MS = 1000;

// One queue per process, shared by every bundle that records requests (see lib/unico-por-processo.ts).
const estado = doProcesso("filaEstatisticas", () => {
  // Once per process: when the database answers again, what waited is written.
  quandoBancoVoltar(() => void agendarGravacao());
  return {
    fila: [] as RegistroRequisicao[],
    proximaGravacao: null as Promise<void> | null,
    ultimaGravacao: Promise.resolve() as Promise<void>,
    agendadoAgora: null as (() => void) | null,
    desdeALimpeza: 0,
    /** Providers written to since the last clean-up: each gets its log capped then, even if absent from that batch. */
    aLimpar: new Set<number>(),
    /** Records dropped from a full queue during the current outage. */
    descartados: 0,
    /** A batch the deadline cut, whose outcome is not known yet: nothing more is sent until it is. */
    emDuvida: null as RegistroRequisicao[] | null,
  };
});

/**
 * Counts one request. Writes are queued and flushed together, one batch at a time, so a burst of
 * requests costs a few transactions instead of one each — and never a read-modify-write in JS:
 * counters are incremented by SQL upserts. The promise settles once the row is written (or, while the
 * database is away, once it is kept in the queue for when it is back). Nothing else: the Prometheus counters
 * and the health store hear of a request from the pipeline (lib/gateway/gravar.ts).
 */
export function registrarRequisicao(registro: RegistroRequisicao): Promise<void> {
  estado.fila.push(registro);
  // Bounded only while nothing drains it: with the database up, a burst of any size is written in its batches.
  if (estado.fila.length > MAXIMO_NA_FILA && (!bancoDisponivel() || estado.emDuvida)) descartarMaisAntigos();
  return agendarGravacao();
}

/** Whether a batch holds a request from before the closed blocks' margin (lib/estatisticas/blocos-fechados.ts). */
function temAtrasado(lote: readonly RegistroRequisicao[]): boolean {
  const limite = Date.now() - MARGEM_MS;
  return lote.some((r) => r.criado_em < limite);
}

function agendarGravacao(): Promise<void> {
  if (!estado.proximaGravacao) {
    let disparar!: () => void;
    const pronto = new Promise<void>((r) => (disparar = r));
    const timer = setTimeout(disparar, JANELA_MS);
    estado.agendadoAgora = () => {
      clearTimeout(timer);
      disparar();
    };
    estado.proximaGravacao = Promise.all([estado.ultimaGravacao, pronto]).then(async () => {
      estado.proximaGravacao = null;
      estado.agendadoAgora = null;
      // The database is away, or a batch's outcome is unknown: the queue keeps everything until it is settled.
      if (!bancoDisponivel() || estado.emDuvida || !estado.fila.length) return;
      const pendentes = estado.fila;
      estado.fila = [];
      for (let i = 0; i < pendentes.length; i += LOTE_RECUPERACAO) {
        const lote = pendentes.length <= LOTE_RECUPERACAO ? pendentes : pendentes.slice(i, i + LOTE_RECUPERACAO);
        try {
          await gravarLote(lote);
          // A record of a closed hour (one written late: the backlog of an outage) makes this process's kept blocks
          // stale: they are read again.
          if (temAtrasado(lote)) esquecerBlocosFechados();
        } catch (e) {
          if (!ehBancoIndisponivel(e)) {
            console.error(`[provedores-llm] não foi possível gravar ${lote.length} registro(s) de estatística:`, (e as Error).message);
            continue;
          }
          // The parts after this one were never sent: back to the queue, ahead of what came meanwhile.
          estado.fila = pendentes.slice(i + LOTE_RECUPERACAO).concat(estado.fila);
          return aoFalharLote(lote, e);
        }
      }
      if (estado.descartados) {
        console.error(
          `[provedores-llm] ${estado.descartados} registro(s) de estatística descartados enquanto o banco esteve fora (fila cheia).`,
        );
        estado.descartados = 0;
      }
    });
    estado.ultimaGravacao = estado.proximaGravacao;
  } else if (estado.fila.length >= LOTE_MAXIMO && bancoDisponivel()) {
    estado.agendadoAgora?.();
  }
  return estado.proximaGravacao;
}

/**
 * A batch the database did not take. Sent again only if it surely never reached the server (refused at once,
 * dropped from the line before it was sent, no connection made). A batch the deadline cut may still be written
 * (a paused server reads it when it resumes): its outcome decides, and the next batches wait for it, up to
 * DUVIDA_MAXIMA_MS. A batch whose outcome stays unknown (the connection lost after it was sent, a late failure,
 * that bound) is declared unconfirmed and logged, never sent again: a row counted twice is worse than one missing.
 */
function aoFalharLote(lote: RegistroRequisicao[], erro: unknown): void {
  if (chamadaNaoEnviada(erro)) return devolver(lote);
  const chamada = chamadaAindaEmAndamento(erro);
  if (!chamada) return naoConfirmado(lote);
  estado.emDuvida = lote;
  let limite: NodeJS.Timeout | undefined;
  const desfecho = Promise.race([
    chamada.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => {
      limite = setTimeout(() => r(false), DUVIDA_MAXIMA_MS);
      limite.unref();
    }),
  ]);
  void desfecho.then((gravado) => {
    clearTimeout(limite);
    estado.emDuvida = null;
    if (gravado) depoisDeGravarEstatisticas();
    else naoConfirmado(lote);
    if (estado.fila.length) void agendarGravacao();
  });
}

/** Back to the front of the queue; written when the database returns, or shortly if it never went away (a busy line). */
function devolver(lote: RegistroRequisicao[]): void {
  estado.fila = lote.concat(estado.fila);
  if (estado.fila.length > MAXIMO_NA_FILA) descartarMaisAntigos();
  if (bancoDisponivel()) setTimeout(() => void agendarGravacao(), NOVA_TENTATIVA_MS).unref();
}

function naoConfirmado(lote: RegistroRequisicao[]): void {
  console.error(
    `[provedores-llm] ${lote.length} registro(s) de estatística sem confirmação de gravação: o banco não confirmou o lote; ` +
      "ele não é reenviado, para não ser contado duas vezes.",
  );
}

function descartarMaisAntigos(): void {
  const excesso = estado.fila.length - MAXIMO_NA_FILA;
  if (excesso <= 0) return;
  if (!estado.descartados) {
    console.error(
      `[provedores-llm] fila de estatísticas cheia (${MAXIMO_NA_FILA}): os registros mais antigos são descartados até o banco voltar.`,
    );
  }
  estado.fila.splice(0, excesso);
  estado.descartados += excesso;
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

/** Records of this process not known to be written (queued, or in a batch whose outcome is unknown). */
export function registrosNaFila(): number {
  return estado.fila.length + (estado.emDuvida?.length ?? 0);
}

/** Rows that add to counters: the key columns, then the values to add on conflict. */
type Soma = { tabela: string; chave: readonly string[]; valores: readonly string[]; linhas: Map<string, (number | string)[]> };

function novaSoma(tabela: string, chave: readonly string[], valores: readonly string[]): Soma {
  return { tabela, chave, valores, linhas: new Map() };
}

/** Adds one record's values to the row with this key (the key's values first, as in `chave`). */
function acumular(soma: Soma, chave: (number | string)[], valores: number[]): void {
  const id = chave.join("\u0000");
  const linha = soma.linhas.get(id);
  if (!linha) {
    soma.linhas.set(id, [...chave, ...valores]);
    return;
  }
  for (let i = 0; i < valores.length; i++) linha[chave.length + i] = (linha[chave.length + i] as number) + valores[i]!;
}

/**
 * The rows as one JSON parameter, read back by `json_each`: the statement's text is the same for any number
 * of rows, so SQLite compiles a short statement instead of one with a placeholder per value (compiling the
 * long form cost as much as running it).
 */
function deJson(colunas: readonly string[], soDeProvedorExistente = true): string {
  const selecao = `select ${colunas.map((_, i) => `value ->> ${i}`).join(", ")} from json_each(?)`;
  return soDeProvedorExistente ? `${selecao} where value ->> 0 ${EXISTE}` : `${selecao} where true`;
}

/** The rows in parts of at most LOTE_MAXIMO, each the JSON parameter of one statement: bounded for a remote server. */
function emPartes(sql: string, linhas: unknown[][]): InStatement[] {
  const comandos: InStatement[] = [];
  for (let i = 0; i < linhas.length; i += LOTE_MAXIMO) {
    comandos.push({ sql, args: [JSON.stringify(linhas.slice(i, i + LOTE_MAXIMO))] });
  }
  return comandos;
}

/**
 * Upserts that add in SQL (never read-modify-write in JS); rows of a deleted provider are skipped when the table
 * is keyed by provider first (`soDeProvedorExistente`).
 */
function upserts(soma: Soma, soDeProvedorExistente = true): InStatement[] {
  const colunas = [...soma.chave, ...soma.valores];
  // `where true`: SQLite's upsert after a select needs a where clause to parse `on conflict` as the upsert's.
  const sql = `insert into ${soma.tabela} (${colunas.join(", ")}) ${deJson(colunas, soDeProvedorExistente)}
               on conflict (${soma.chave.join(", ")}) do update set
               ${soma.valores.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`;
  return emPartes(sql, [...soma.linhas.values()]);
}

const EXISTE = "in (select id from provedores_llm)";
const CONTADORES = ["requisicoes", "requisicoes_sucesso", "requisicoes_erro", "tempo_total_ms", "tokens_prompt", "tokens_resposta"];

const COLUNAS_LOG = [
  "provedor_id",
  "criado_em",
  "modelo",
  "porta",
  "stream",
  "sucesso",
  "codigo_erro",
  "tempo_resposta_ms",
  "tempo_primeiro_token_ms",
  "tempo_fila_ms",
  "tokens_prompt",
  "tokens_resposta",
  "tokens_por_segundo",
  "chave_id",
];

/** The admin's key in the by-key tables (key ids start at 1): a primary key column holds no null an upsert could meet. */
export const CHAVE_DO_ADMIN = 0;

function instrucoes(lote: RegistroRequisicao[]): InStatement[] {
  const velocidades = lote.map(tokensPorSegundoDe);
  const log = lote.map((r, i) => [
    r.provedor_id,
    r.criado_em,
    r.modelo,
    r.porta,
    r.stream ? 1 : 0,
    r.sucesso ? 1 : 0,
    r.codigo_erro,
    r.tempo_resposta_ms,
    r.tempo_primeiro_token_ms,
    r.tempo_fila_ms,
    r.tokens_prompt,
    r.tokens_resposta,
    velocidades[i],
    r.chave_id,
  ]);
  const comandos = emPartes(`insert into requisicoes_provedores (${COLUNAS_LOG.join(", ")}) ${deJson(COLUNAS_LOG)}`, log);
  const porProvedor = novaSoma("estatisticas_provedores", ["provedor_id", "inicio"], CONTADORES);
  const porModelo = novaSoma("estatisticas_modelos", ["provedor_id", "largura_ms", "inicio", "modelo"], CONTADORES);
  const histogramas = novaSoma(
    "histogramas_latencia",
    ["provedor_id", "largura_ms", "inicio", "modelo", "metrica", "balde"],
    ["quantidade"],
  );
  const porPorta = novaSoma("estatisticas_portas", ["provedor_id", "largura_ms", "inicio", "porta"], CONTADORES);
  const histogramasPorPorta = novaSoma(
    "histogramas_latencia_portas",
    ["provedor_id", "largura_ms", "inicio", "porta", "balde"],
    ["quantidade"],
  );
  // By key: every request, a deleted provider's too (the key did spend it), so no provider check on these rows.
  const porChave = novaSoma("estatisticas_chaves", ["chave_id", "largura_ms", "inicio", "provedor_id", "modelo"], CONTADORES);
  const histogramasPorChave = novaSoma(
    "histogramas_latencia_chaves",
    ["chave_id", "largura_ms", "inicio", "provedor_id", "modelo", "metrica", "balde"],
    ["quantidade"],
  );
  for (const [i, r] of lote.entries()) {
    const chave = r.chave_id ?? CHAVE_DO_ADMIN;
    const velocidade = velocidades[i] ?? null;
    const contadores = [
      1,
      r.sucesso ? 1 : 0,
      r.sucesso ? 0 : 1,
      r.sucesso ? r.tempo_resposta_ms : 0,
      r.tokens_prompt ?? 0,
      r.tokens_resposta ?? 0,
    ];
    const modelo = r.modelo ?? "";
    // Every request that passed the queue, whatever its outcome: the wait happened before the server answered.
    const fila = r.tempo_fila_ms === null || r.tempo_fila_ms === undefined ? null : baldeDe(r.tempo_fila_ms);
    acumular(porProvedor, [r.provedor_id, inicioDe(r.criado_em, MINUTO_MS)], contadores);
    for (const largura of LARGURAS) {
      const inicio = inicioDe(r.criado_em, largura);
      acumular(porModelo, [r.provedor_id, largura, inicio, modelo], contadores);
      acumular(porPorta, [r.provedor_id, largura, inicio, r.porta], contadores);
      acumular(porChave, [chave, largura, inicio, r.provedor_id, modelo], contadores);
      if (fila !== null) {
        acumular(histogramas, [r.provedor_id, largura, inicio, modelo, "fila", fila], [1]);
        acumular(histogramasPorChave, [chave, largura, inicio, r.provedor_id, modelo, "fila", fila], [1]);
      }
      if (!r.sucesso) continue;
      acumular(histogramasPorChave, [chave, largura, inicio, r.provedor_id, modelo, "resposta", baldeDe(r.tempo_resposta_ms)], [1]);
      if (r.stream && r.tempo_primeiro_token_ms !== null)
        acumular(
          histogramasPorChave,
          [chave, largura, inicio, r.provedor_id, modelo, "primeiro_token", baldeDe(r.tempo_primeiro_token_ms)],
          [1],
        );
      acumular(histogramasPorPorta, [r.provedor_id, largura, inicio, r.porta, baldeDe(r.tempo_resposta_ms)], [1]);
      acumular(histogramas, [r.provedor_id, largura, inicio, modelo, "resposta", baldeDe(r.tempo_resposta_ms)], [1]);
      if (r.stream && r.tempo_primeiro_token_ms !== null)
        acumular(histogramas, [r.provedor_id, largura, inicio, modelo, "primeiro_token", baldeDe(r.tempo_primeiro_token_ms)], [1]);
      // The generation speed in the same log-scale buckets (tokens/s instead of ms): merged the same way.
      if (velocidade !== null)
        acumular(histogramas, [r.provedor_id, largura, inicio, modelo, "tokens_por_segundo", baldeDe(velocidade)], [1]);
    }
  }
  comandos.push(
    ...upserts(porProvedor),
    ...upserts(porModelo),
    ...upserts(histogramas),
    ...upserts(porPorta),
    ...upserts(histogramasPorPorta),
    ...upserts(porChave, false),
    ...upserts(histogramasPorChave, false),
  );
  return comandos;
}

async function gravarLote(lote: RegistroRequisicao[]): Promise<void> {
  if (!lote.length) return;
  const comandos = instrucoes(lote);
  estado.desdeALimpeza += lote.length;
  for (const r of lote) estado.aLimpar.add(r.provedor_id);
  // Often and small: each clean-up deletes about what came in since the last one (≈ 0.5 ms), never a backlog.
  if (estado.desdeALimpeza >= LIMPAR_A_CADA) {
    comandos.push(...limpeza(estado.aLimpar, Date.now()));
    estado.desdeALimpeza = 0;
    estado.aLimpar = new Set();
  }
  await clienteLibsql().batch(comandos, "write");
  depoisDeGravarEstatisticas();
}

/**
 * Retention: the log keeps 7 days and at most 10 000 rows per provider (it only feeds the list of recent
 * requests); counters keep 400 days, minute-wide rows of the by-model, by-door and by-key tables 32 days.
 */
function limpeza(provedores: Set<number>, agora: number): InStatement[] {
  const comandos: InStatement[] = [
    { sql: `delete from requisicoes_provedores where provedor_id ${EXISTE} and criado_em < ?`, args: [agora - RETENCAO_LOG_MS] },
    { sql: `delete from estatisticas_provedores where provedor_id ${EXISTE} and inicio < ?`, args: [agora - RETENCAO_CONTADORES_MS] },
  ];
  for (const { largura, retencao } of NIVEIS) {
    for (const tabela of ["estatisticas_modelos", "histogramas_latencia", "estatisticas_portas", "histogramas_latencia_portas"]) {
      // Through the primary key (provider, width, start) rather than a scan of the whole table.
      comandos.push({
        sql: `delete from ${tabela} where provedor_id ${EXISTE} and largura_ms = ? and inicio < ?`,
        args: [largura, agora - retencao],
      });
    }
  }
  for (const { largura, retencao } of NIVEIS) {
    for (const tabela of ["estatisticas_chaves", "histogramas_latencia_chaves"]) {
      // Through the primary key (key, width, start): the keys that exist, and the admin's 0.
      comandos.push({
        sql: `delete from ${tabela} where chave_id in (select id from chaves_acesso union all select ${CHAVE_DO_ADMIN})
              and largura_ms = ? and inicio < ?`,
        args: [largura, agora - retencao],
      });
    }
  }
  for (const id of provedores) {
    comandos.push({
      // Walks the (provider, time) index from the newest row, then deletes the range below: no sort, no scan.
      sql: `delete from requisicoes_provedores where provedor_id = ? and (criado_em, id) <= (
              select criado_em, id from requisicoes_provedores where provedor_id = ? order by criado_em desc, id desc limit 1 offset ?)`,
      args: [id, id, MAX_LOG_POR_PROVEDOR],
    });
  }
  return comandos;
}
