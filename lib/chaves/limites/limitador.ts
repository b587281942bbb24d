import "server-only";
import type { Client } from "@libsql/client";
import type { JanelaDeLimite } from "@/db/schema";
import { comoErroApp, ErroApp } from "../../errors";
import type { ChaveEmUso } from "../chamador";
import { duracaoOpenAI, intervaloDe, quandoEmPtBr, segundosAte } from "./janelas";

type Recurso = "requisicoes" | "tokens";

/** How a take on its way ended, for the requests waiting on it: room or not, or the database's error (shared by all). */
type Desfecho = "ok" | "cheio" | { erro: unknown };

/**
 * One counter (requests or tokens) of one key in one window, as this instance sees it. The row in the database
 * counts what every instance TOOK; this instance spends what it took (`credito`) in memory, and takes more
 * through the database only when it runs out (ahead of time while far from the limit).
 */
class Conta {
  /** What the instances took of the window, as of this instance's last visit to the row (its own credit included). */
  tomado = 0;
  /** Taken by this instance and not yet spent. */
  credito = 0;
  /** A take of this counter on its way (ahead of need, or for a waiting request): the others wait for it. */
  pedido: Promise<Desfecho> | null = null;
  /** When this instance last spent from it. */
  usadoEm = 0;
  /** `String(limite)` as last written in a header, and the limit it was written for. */
  private textoDoLimite = "";
  private limiteDoTexto = Number.NaN;
  /** The reset as last written (`duracaoOpenAI`) and the whole-second wait it was written for. */
  private textoDoReset = "";
  private resetDoTexto = Number.NaN;
  /** Since when this instance holds credit (0: none since the last give-back): past `ociosoMs` it all goes back, used or not. */
  desde = 0;

  constructor(
    readonly chaveId: number,
    readonly janela: JanelaDeLimite,
    readonly recurso: Recurso,
    readonly inicio: number,
    readonly fim: number,
    public limite: number,
  ) {}

  /** Room left in the window as far as this instance knows (others' unspent credit counts as used). */
  get restante(): number {
    return Math.max(0, this.limite - this.tomado + this.credito);
  }

  /** The limit as a header writes it, built again only when the key's limit changed. */
  limiteEmTexto(): string {
    if (this.limiteDoTexto !== this.limite) {
      this.limiteDoTexto = this.limite;
      this.textoDoLimite = String(this.limite);
    }
    return this.textoDoLimite;
  }

  /** `x-ratelimit-reset-*`: the wait until the window ends, built again only when its text changes (once a second). */
  resetEmTexto(agora: number): string {
    const ms = this.fim - agora;
    // Under a second the text is in ms (it changes every ms); above, in whole seconds.
    const chave = ms < 1000 ? -Math.max(0, Math.ceil(ms)) : Math.ceil(ms / 1000);
    if (chave !== this.resetDoTexto) {
      this.resetDoTexto = chave;
      this.textoDoReset = duracaoOpenAI(ms);
    }
    return this.textoDoReset;
  }
}

/** A key's current counters, one slot per window and resource (see SLOT): found with one lookup per request. */
type ContasDaChave = [Conta | undefined, Conta | undefined, Conta | undefined, Conta | undefined];

/** The slot of each counter of a key: requests are counted per minute only. */
function slotDe(janela: JanelaDeLimite, recurso: Recurso): 0 | 1 | 2 | 3 {
  if (janela === "minuto") return recurso === "requisicoes" ? 0 : 1;
  return janela === "dia" ? 2 : 3;
}

/** A key's requests in flight on this instance, and the slots it claimed for them in the database. */
class Voo {
  emVoo = 0;
  /** Claimed in this instance's row; never above what the row says (grown after the write, shrunk before it). */
  vagas = 0;
  usadoEm = 0;
  renovadoEm = 0;
  /** Claims are written one at a time: a late write of an older, smaller claim would undercount. */
  fila: Promise<unknown> = Promise.resolve();
  /** A shrink that failed to reach the row (the row claims more than `vagas`): the next care writes it again. */
  sujo = false;

  constructor(
    readonly chaveId: number,
    public limite: number,
  ) {}
}

export type OpcoesDoLimitador = {
  /** The database every instance shares. */
  cliente: Client;
  /** This instance's id (lib/instancia.ts): its row of concurrency slots. */
  instancia: string;
  agora?: () => number;
  /** Far from a limit, a take asks for what remains divided by this (so a few instances share it). */
  fracao?: number;
  /** Credit held for this long (since it was taken, used or not) goes back to the database; idle slots too. */
  ociosoMs?: number;
  /** A row of slots not renewed for this long (a dead instance's) no longer counts. */
  expiraMs?: number;
  /** How often the idle credit, the slots' renewal and the rolled windows are looked at. */
  intervaloMs?: number;
};

/** Whether the key has any limit (a key with none costs the pipeline nothing). */
export function temLimites(chave: ChaveEmUso): boolean {
  return (
    chave.limite_rpm !== null ||
    chave.limite_tpm !== null ||
    chave.limite_concorrencia !== null ||
    chave.orcamento_tokens_dia !== null ||
    chave.orcamento_tokens_mes !== null
  );
}

const OPCOES_PADRAO = { fracao: 4, ociosoMs: 1500, expiraMs: 15_000, intervaloMs: 500 };
/**
 * A daily or monthly budget is taken at most this fraction at a time: a take lost on its way (it committed after the
 * database's deadline) or held by an instance that crashed counts as spent until the window ends (README, "Limites").
 */
const FRACAO_MAXIMA_ORCAMENTO = 64;
/** Past this age a minute row is deleted (once per key per minute, by whichever instance opens the next one). */
const GUARDAR_MINUTOS_MS = 3_600_000;

/**
 * A key's limits, shared by the instances on one database (README, "Limites"): requests and tokens per UTC minute,
 * tokens per UTC day and month, requests in flight. Together the instances never hand out more than a limit: the
 * database hands out credit atomically and each instance spends only what it was handed.
 */
export class Limitador {
  private readonly cliente: Client;
  private readonly instancia: string;
  readonly agora: () => number;
  private readonly fracao: number;
  private readonly ociosoMs: number;
  private readonly expiraMs: number;
  private readonly intervaloMs: number;
  /** Each key's current counters (a new window replaces its counter; rolled ones are dropped by `cuidar`). */
  private readonly contas = new Map<number, ContasDaChave>();
  private readonly voos = new Map<number, Voo>();
  private relogio: ReturnType<typeof setInterval> | null = null;

  constructor(o: OpcoesDoLimitador) {
    this.cliente = o.cliente;
    this.instancia = o.instancia;
    this.agora = o.agora ?? Date.now;
    this.fracao = o.fracao ?? OPCOES_PADRAO.fracao;
    this.ociosoMs = o.ociosoMs ?? OPCOES_PADRAO.ociosoMs;
    this.expiraMs = o.expiraMs ?? OPCOES_PADRAO.expiraMs;
    this.intervaloMs = o.intervaloMs ?? OPCOES_PADRAO.intervaloMs;
  }

  /**
   * A request of a limited key starts: one request and `reserva` tokens are taken from each of its windows, and a
   * slot. Synchronous while this instance holds the credit (the usual case far from the limits); otherwise the
   * database is asked. Past a limit, throws 429 `limite_excedido` (rpm, tpm, concurrency) or `orcamento_esgotado`
   * (a budget), with Retry-After and the rate-limit headers; the database away: its 503 (nothing is let through
   * unaccounted).
   */
  entrar(chave: ChaveEmUso, reserva: number): Consumo | Promise<Consumo> {
    if (this.relogio === null) this.ligarRelogio();
    const agora = this.agora();
    let slots = this.contas.get(chave.id);
    if (slots === undefined) {
      slots = [undefined, undefined, undefined, undefined];
      this.contas.set(chave.id, slots);
    }
    const itens: Array<[Conta, number]> = [];
    // A request never reserves more than the whole limit: what it really uses is counted at its end (an overrun counts).
    const r = Math.max(0, reserva);
    if (chave.limite_rpm !== null) itens.push([this.conta(slots, chave.id, "minuto", "requisicoes", chave.limite_rpm, agora), 1]);
    if (chave.limite_tpm !== null)
      itens.push([this.conta(slots, chave.id, "minuto", "tokens", chave.limite_tpm, agora), Math.min(r, chave.limite_tpm)]);
    if (chave.orcamento_tokens_dia !== null)
      itens.push([
        this.conta(slots, chave.id, "dia", "tokens", chave.orcamento_tokens_dia, agora),
        Math.min(r, chave.orcamento_tokens_dia),
      ]);
    if (chave.orcamento_tokens_mes !== null)
      itens.push([
        this.conta(slots, chave.id, "mes", "tokens", chave.orcamento_tokens_mes, agora),
        Math.min(r, chave.orcamento_tokens_mes),
      ]);
    const voo = chave.limite_concorrencia === null ? null : this.voo(chave.id, chave.limite_concorrencia);
    // Fast path: all in memory.
    let emMemoria = voo === null || voo.emVoo < Math.min(voo.vagas, voo.limite);
    for (let i = 0; emMemoria && i < itens.length; i++) emMemoria = itens[i]![0].credito >= itens[i]![1];
    if (emMemoria) {
      for (let i = 0; i < itens.length; i++) this.gastar(itens[i]![0], itens[i]![1], agora);
      if (voo) this.ocupar(voo, agora);
      return new Consumo(this, chave, itens, voo);
    }
    return this.entrarPeloBanco(chave, itens, voo);
  }

  private async entrarPeloBanco(chave: ChaveEmUso, itens: Array<[Conta, number]>, voo: Voo | null): Promise<Consumo> {
    const resultados = await Promise.allSettled(itens.map(([c, n]) => this.garantir(c, n)));
    const todas = resultados.every((r) => r.status === "fulfilled" && r.value);
    const vaga: unknown = voo && todas ? await this.garantirVaga(voo).catch((e: unknown) => e) : true;
    const ok = (i: number) => {
      const r = resultados[i]!;
      return r.status === "fulfilled" && r.value;
    };
    // Of the windows without room, the one that renews last says when to come back (a spent budget before the minute).
    let recusada = -1;
    itens.forEach(([c], i) => {
      if (!ok(i) && (recusada < 0 || c.fim > itens[recusada]![0].fim)) recusada = i;
    });
    if (recusada < 0 && vaga === true) {
      const agora = this.agora();
      for (const [c] of itens) c.usadoEm = agora;
      if (voo) voo.usadoEm = agora;
      return new Consumo(this, chave, itens, voo);
    }
    // Refused (or the database away): what was taken for this request goes back to the local credit.
    itens.forEach(([c, n], i) => {
      if (ok(i)) c.credito += n;
    });
    const falha = resultados.find((r) => r.status === "rejected");
    if (falha) throw comoErroApp((falha as PromiseRejectedResult).reason);
    if (vaga !== true && vaga !== false) throw comoErroApp(vaga);
    const erro = recusada >= 0 ? this.erroDaConta(chave, itens[recusada]![0]) : this.erroDaConcorrencia(chave, voo!);
    erro.cabecalhos = { ...erro.cabecalhos, ...this.cabecalhos(itens) };
    throw erro;
  }

  private erroDaConta(chave: ChaveEmUso, c: Conta): ErroApp {
    const agora = this.agora();
    const espera = { "retry-after": String(segundosAte(c.fim, agora)) };
    let erro: ErroApp;
    if (c.janela === "minuto") {
      const quanto =
        c.recurso === "requisicoes"
          ? `${c.limite} ${c.limite === 1 ? "requisição" : "requisições"} por minuto`
          : `${c.limite} tokens por minuto`;
      erro = new ErroApp(
        "limite_excedido",
        `A chave "${chave.nome}" atingiu o limite de ${quanto}. Tente de novo em ${segundosAte(c.fim, agora)} s (Retry-After).`,
      );
    } else {
      const qual = c.janela === "dia" ? "diário" : "mensal";
      erro = new ErroApp(
        "orcamento_esgotado",
        `O orçamento ${qual} de ${c.limite} tokens da chave "${chave.nome}" se esgotou; ele renova em ${quandoEmPtBr(c.fim)}.`,
      );
    }
    erro.cabecalhos = espera;
    return erro;
  }

  private erroDaConcorrencia(chave: ChaveEmUso, voo: Voo): ErroApp {
    const erro = new ErroApp(
      "limite_excedido",
      `A chave "${chave.nome}" já tem ${voo.limite === 1 ? "1 requisição" : `${voo.limite} requisições`} em andamento, o limite dela. Tente de novo quando uma terminar.`,
    );
    erro.cabecalhos = { "retry-after": "1" };
    return erro;
  }

  /** OpenAI's rate-limit headers for this key: the requests trio (rpm), the tokens trio (its tightest token limit). */
  cabecalhos(itens: ReadonlyArray<readonly [Conta, number]>): Record<string, string> {
    const agora = this.agora();
    let requisicoes: Conta | null = null;
    let tokens: Conta | null = null;
    let restanteTokens = 0;
    for (let i = 0; i < itens.length; i++) {
      const c = itens[i]![0];
      if (c.recurso === "requisicoes") requisicoes = c;
      else {
        const restante = c.restante;
        if (tokens === null || restante < restanteTokens) {
          tokens = c;
          restanteTokens = restante;
        }
      }
    }
    // One literal per shape (the usual one: both trios), in the order the headers go out.
    if (requisicoes !== null && tokens !== null) {
      return {
        "x-ratelimit-limit-requests": requisicoes.limiteEmTexto(),
        "x-ratelimit-remaining-requests": String(requisicoes.restante),
        "x-ratelimit-reset-requests": requisicoes.resetEmTexto(agora),
        "x-ratelimit-limit-tokens": tokens.limiteEmTexto(),
        "x-ratelimit-remaining-tokens": String(restanteTokens),
        "x-ratelimit-reset-tokens": tokens.resetEmTexto(agora),
      };
    }
    if (requisicoes !== null) {
      return {
        "x-ratelimit-limit-requests": requisicoes.limiteEmTexto(),
        "x-ratelimit-remaining-requests": String(requisicoes.restante),
        "x-ratelimit-reset-requests": requisicoes.resetEmTexto(agora),
      };
    }
    if (tokens !== null) {
      return {
        "x-ratelimit-limit-tokens": tokens.limiteEmTexto(),
        "x-ratelimit-remaining-tokens": String(restanteTokens),
        "x-ratelimit-reset-tokens": tokens.resetEmTexto(agora),
      };
    }
    return {};
  }

  /** The counter of this window, this instance's (a new window starts a new one; the old is forgotten). */
  private conta(slots: ContasDaChave, chaveId: number, janela: JanelaDeLimite, recurso: Recurso, limite: number, agora: number): Conta {
    const slot = slotDe(janela, recurso);
    let c = slots[slot];
    if (c && c.fim > agora) {
      if (limite < c.limite) {
        // A lowered limit: the credit taken under the old one goes back before anything more is spent.
        c.limite = limite;
        this.devolverAntes(c);
      } else c.limite = limite;
      return c;
    }
    const { inicio, fim } = intervaloDe(janela, agora);
    c = new Conta(chaveId, janela, recurso, inicio, fim, limite);
    slots[slot] = c;
    if (janela === "minuto") this.podar(chaveId, agora);
    return c;
  }

  private voo(chaveId: number, limite: number): Voo {
    let v = this.voos.get(chaveId);
    if (!v) {
      v = new Voo(chaveId, limite);
      this.voos.set(chaveId, v);
    }
    v.limite = limite;
    // A lowered limit: this instance's claim comes down to it (or to what is in flight, as those end).
    if (v.vagas > Math.max(v.emVoo, limite)) this.soltarVagas(v, limite);
    return v;
  }

  /** Spends from the credit in memory; far from the limit, the next slice is taken before this one runs out. */
  private gastar(c: Conta, n: number, agora: number): void {
    c.credito -= n;
    c.usadoEm = agora;
    const fatia = this.fatia(c);
    if (c.pedido === null && fatia > 1 && c.credito * 2 < fatia) this.pedir(c, this.tomar(c, fatia), false);
  }

  /**
   * Marks a take on its way, for the requests that need credit meanwhile to wait for it rather than ask again; they
   * learn how it ended: its error fails them all at once, a refusal (`cheio`) those that still lack credit.
   */
  private pedir(c: Conta, tomada: Promise<boolean>, recusaDiz = true): Promise<Desfecho> {
    const sinal = tomada.then(
      (ok): Desfecho => (ok || !recusaDiz ? "ok" : "cheio"),
      (erro: unknown): Desfecho => ({ erro }),
    );
    c.pedido = sinal;
    void sinal.then(() => {
      if (c.pedido === sinal) c.pedido = null;
    });
    return sinal;
  }

  private ocupar(v: Voo, agora: number): void {
    v.emVoo++;
    v.usadoEm = agora;
  }

  /** What a take asks for while far from the limit: a share of what remains (of a budget, never more than 1/64 of it). */
  private fatia(c: Conta): number {
    const parte = Math.floor((c.limite - c.tomado) / this.fracao);
    return c.janela === "minuto" ? parte : Math.min(parte, Math.floor(c.limite / FRACAO_MAXIMA_ORCAMENTO));
  }

  /** Spends `n` of the counter, taking credit from the database as needed; false: the window has no room. */
  private async garantir(c: Conta, n: number): Promise<boolean> {
    for (;;) {
      if (c.credito >= n) {
        c.credito -= n;
        return true;
      }
      const desfecho = c.pedido
        ? await c.pedido
        : await (() => {
            const falta = n - c.credito;
            const pedir = Math.max(falta, this.fatia(c));
            return this.pedir(
              c,
              this.tomar(c, pedir).then((ok) => (ok || pedir <= falta ? ok : this.tomar(c, falta))),
            );
          })();
      // The database failed this take: every request that waited for it fails with the same error, none asks again.
      if (typeof desfecho === "object") throw desfecho.erro;
      // Refused: what another request's take brought meanwhile may still do; otherwise the window has no room.
      if (desfecho === "cheio" && c.credito < n) return false;
    }
  }

  /** One atomic take of `k` from the window's row: granted only if the instances' total stays within the limit. */
  private async tomar(c: Conta, k: number): Promise<boolean> {
    const limite = c.limite;
    if (k <= 0 || k > limite) return false;
    const col = c.recurso;
    const r = await this.cliente.execute({
      sql:
        `insert into uso_das_chaves (chave_id, janela, inicio, requisicoes, tokens) values (?, ?, ?, ?, ?) ` +
        `on conflict (chave_id, janela, inicio) do update set ${col} = ${col} + excluded.${col} ` +
        `where ${col} + excluded.${col} <= ? returning ${col} as total`,
      args: [c.chaveId, c.janela, c.inicio, col === "requisicoes" ? k : 0, col === "tokens" ? k : 0, limite],
    });
    const linha = r.rows[0];
    if (!linha) {
      // The row has no room for k: as far as this instance knows, only its own credit is left.
      c.tomado = c.limite;
      return false;
    }
    c.tomado = Number(linha.total);
    c.credito += k;
    if (c.desde === 0) c.desde = this.agora();
    // The limit was lowered while this take was on its way: what it took under the old one goes back at once.
    if (c.limite < limite) void this.devolver(c);
    return true;
  }

  /** Takes a slot, claiming more in the database when this instance's are all in use; false: the key is full. */
  private async garantirVaga(v: Voo): Promise<boolean> {
    for (;;) {
      if (v.emVoo < Math.min(v.vagas, v.limite)) {
        v.emVoo++;
        return true;
      }
      const minimo = v.emVoo + 1;
      if (minimo > v.limite) return false;
      const desejado = Math.min(v.limite, minimo + Math.floor((v.limite - minimo) / this.fracao));
      let ok = await this.reivindicar(v, desejado);
      if (!ok && desejado > minimo) ok = await this.reivindicar(v, minimo);
      if (!ok) return false;
    }
  }

  /** One at a time per key: claims `vagas` slots in this instance's row if all live rows stay within the limit. */
  private reivindicar(v: Voo, vagas: number): Promise<boolean> {
    const feito = v.fila.then(async () => {
      if (vagas <= v.vagas && vagas <= v.limite) return true;
      if (vagas > v.limite) return false;
      const agora = this.agora();
      const r = await this.cliente.execute({
        sql:
          `insert into em_voo_das_chaves (chave_id, instancia, vagas, atualizado_em) select ?, ?, ?, ? ` +
          `where ? + (select coalesce(sum(vagas), 0) from em_voo_das_chaves where chave_id = ? and instancia <> ? and atualizado_em > ?) <= ? ` +
          `on conflict (chave_id, instancia) do update set vagas = excluded.vagas, atualizado_em = excluded.atualizado_em returning vagas`,
        args: [v.chaveId, this.instancia, vagas, agora, vagas, v.chaveId, this.instancia, agora - this.expiraMs, v.limite],
      });
      if (r.rows.length === 0) return false;
      v.vagas = vagas;
      v.renovadoEm = agora;
      return true;
    });
    v.fila = feito.catch(() => {});
    return feito;
  }

  /**
   * Shrinks this instance's claim to what it has in flight, in the claims' line: the lower number counts here before
   * it is written (so this instance never admits past what its row says), and no earlier grow lands after it.
   */
  private soltarVagas(v: Voo, manter = 0): void {
    const feito = v.fila.then(() => {
      const alvo = Math.max(v.emVoo, Math.min(manter, v.vagas, v.limite));
      if (alvo >= v.vagas && !v.sujo) return;
      const agora = this.agora();
      v.vagas = Math.min(v.vagas, alvo);
      v.renovadoEm = agora;
      const escrita =
        alvo === 0
          ? this.cliente.execute({
              sql: "delete from em_voo_das_chaves where chave_id = ? and instancia = ?",
              args: [v.chaveId, this.instancia],
            })
          : this.cliente.execute({
              sql: "update em_voo_das_chaves set vagas = ?, atualizado_em = ? where chave_id = ? and instancia = ?",
              args: [alvo, agora, v.chaveId, this.instancia],
            });
      return escrita.then(
        () => {
          v.sujo = false;
        },
        () => {
          // The row still claims more than this instance holds: written again at the next care.
          v.sujo = true;
        },
      );
    });
    v.fila = feito.catch(() => {});
  }

  /** Gives the credit back first: the requests that need credit meanwhile wait for it (their take then sees the room). */
  private devolverAntes(c: Conta): void {
    if (c.credito <= 0) return;
    const anterior = c.pedido;
    const devolvido = (anterior ?? Promise.resolve()).then(() => this.devolver(c)).then(() => true);
    this.pedir(c, devolvido, false);
  }

  /** Gives the credit of a counter back to its row (once held `ociosoMs`, a lowered limit, or at shutdown). */
  private devolver(c: Conta): Promise<unknown> {
    const k = c.credito;
    c.desde = 0;
    if (k <= 0) return Promise.resolve();
    c.credito = 0;
    c.tomado -= k;
    return this.cliente
      .execute({
        sql: `update uso_das_chaves set ${c.recurso} = max(0, ${c.recurso} - ?) where chave_id = ? and janela = ? and inicio = ?`,
        args: [k, c.chaveId, c.janela, c.inicio],
      })
      .catch(() => {});
  }

  /** An overrun of tokens past what the request reserved: counted in the window's row as it is (it may pass the limit). */
  acrescentar(c: Conta, n: number): void {
    const daqui = Math.min(c.credito, n);
    c.credito -= daqui;
    const resto = n - daqui;
    if (resto <= 0) return;
    c.tomado += resto;
    this.cliente
      .execute({
        sql: "update uso_das_chaves set tokens = tokens + ? where chave_id = ? and janela = ? and inicio = ?",
        args: [resto, c.chaveId, c.janela, c.inicio],
      })
      .catch(() => {});
  }

  /** The counter is still this instance's current one for its window (a request that outlived its minute is not). */
  vigente(c: Conta, agora = this.agora()): boolean {
    return this.contas.get(c.chaveId)?.[slotDe(c.janela, c.recurso)] === c && c.fim > agora;
  }

  private podar(chaveId: number, agora: number): void {
    this.cliente
      .execute({
        sql: "delete from uso_das_chaves where chave_id = ? and janela = 'minuto' and inicio < ?",
        args: [chaveId, agora - GUARDAR_MINUTOS_MS],
      })
      .catch(() => {});
  }

  private ligarRelogio(): void {
    if (this.relogio) return;
    this.relogio = setInterval(() => this.cuidar(), this.intervaloMs);
    this.relogio.unref?.();
  }

  /** The periodic care: idle credit back, rolled windows forgotten, slots renewed while held or shrunk when idle. */
  cuidar(): void {
    const agora = this.agora();
    for (const [id, slots] of this.contas) {
      let vivas = 0;
      for (let i = 0; i < slots.length; i++) {
        const c = slots[i];
        if (c === undefined) continue;
        if (c.fim <= agora) slots[i] = undefined;
        else {
          vivas++;
          // Credit goes back by age, used or not: behind a balancer every instance stays busy, and what one holds
          // would otherwise be missing on the others until the window ends.
          if (c.credito > 0 && c.pedido === null && agora - c.desde >= this.ociosoMs) void this.devolver(c);
        }
      }
      if (vivas === 0) this.contas.delete(id);
    }
    for (const v of this.voos.values()) {
      if (v.sujo || (v.vagas > v.emVoo && agora - v.usadoEm >= this.ociosoMs)) this.soltarVagas(v);
      else if (v.vagas > 0 && agora - v.renovadoEm >= this.expiraMs / 3) {
        v.renovadoEm = agora;
        this.cliente
          .execute({
            sql: "update em_voo_das_chaves set atualizado_em = ? where chave_id = ? and instancia = ?",
            args: [agora, v.chaveId, this.instancia],
          })
          .catch(() => {});
      }
    }
  }

  /** At shutdown (or a test's end): all credit and every slot row go back; the timer stops. */
  async devolverTudo(): Promise<void> {
    if (this.relogio) clearInterval(this.relogio);
    this.relogio = null;
    const agora = this.agora();
    const vivas: Conta[] = [];
    for (const slots of this.contas.values()) for (const c of slots) if (c !== undefined && c.fim > agora) vivas.push(c);
    await Promise.all(vivas.map((c) => this.devolver(c)));
    this.contas.clear();
    this.voos.clear();
    await this.cliente.execute({ sql: "delete from em_voo_das_chaves where instancia = ?", args: [this.instancia] }).catch(() => {});
  }

  /** A request left its slot. */
  sair(v: Voo): void {
    v.emVoo--;
    v.usadoEm = this.agora();
    // Still above a lowered limit: the claim comes down as the requests end.
    if (v.vagas > v.limite) this.soltarVagas(v, v.limite);
  }
}

/**
 * What one request of a limited key holds: its reservations and slot until `encerrar`, which corrects the tokens
 * from the usage (the unused part back to the credit, an overrun counted) and frees the slot, once.
 */
export class Consumo {
  private encerrado = false;

  constructor(
    private readonly limitador: Limitador,
    /** The key whose request this is. */
    readonly chave: ChaveEmUso,
    private readonly itens: ReadonlyArray<readonly [Conta, number]>,
    private readonly voo: Voo | null,
  ) {}

  /** The rate-limit headers of this request's answer (OpenAI's names), after its own spend. */
  cabecalhos(): Record<string, string> {
    return this.limitador.cabecalhos(this.itens);
  }

  /**
   * The request ended. `tokens`: what it used (prompt + completion); null when unknown, and then the reservation
   * stands as its use.
   */
  encerrar(tokens: number | null): void {
    if (this.encerrado) return;
    this.encerrado = true;
    if (this.voo) this.limitador.sair(this.voo);
    if (tokens === null) return;
    const agora = this.limitador.agora();
    for (const [c, reservado] of this.itens) {
      if (c.recurso !== "tokens" || !this.limitador.vigente(c, agora)) continue;
      const d = tokens - reservado;
      if (d < 0) c.credito -= d;
      else if (d > 0) this.limitador.acrescentar(c, d);
    }
  }
}
