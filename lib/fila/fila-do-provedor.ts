import "server-only";
import { aoEncerrar } from "../encerramento";
import { ErroApp } from "../errors";

/** How one provider's queue behaves: from its row (lib/fila/config.ts) and the app's settings. */
export type ConfigDaFila = {
  nome: string;
  /** Requests the server runs at once (per model when `porModelo`); null: no limit. */
  limite: number | null;
  porModelo: boolean;
  /** Requests that may wait; 0: none (a full server is "busy" at once). */
  filaMax: number;
  esperaMs: number;
  /**
   * How many models the server keeps loaded at once; null: it does not swap models (or cannot tell), and the
   * order is arrival (and priority) only.
   */
  capacidadeModelos: number | null;
  /** After an answer for a loaded model, how long a pending swap is held in case that model is asked again. */
  gracaMs: number;
  /** The fairness bound: at most this many requests, or this long, may go before a request waiting to swap. */
  rodadaMax: number;
  rodadaMs: number;
};

/** A place at the server: held from the request's start to its end (`liberar`, once). */
export type Vaga = {
  /** How long the request waited in the queue (0: it did not). */
  readonly esperaMs: number;
  /**
   * `respondeu`: the server answered (so it holds the model now). One that did not (a model it lacks, a refusal)
   * loaded nothing: the model is not taken for loaded, and no swap waits a grace for it.
   */
  liberar(respondeu?: boolean): void;
};

/** What the router reads of a queue for one model: how soon it could start there. */
export type Prontidao = {
  /** 0: a free place with the model loaded; 1: a free place; 2: it would wait; 3: the queue is full. */
  classe: 0 | 1 | 2 | 3;
  naFila: number;
};

type Espera = {
  modelo: string;
  prioridade: number;
  chegada: number;
  ordem: number;
  /** Requests that started while this one waited to swap: past `rodadaMax`, the swap is due. */
  passaram: number;
  troca: boolean;
  resolver: (v: Vaga) => void;
  rejeitar: (e: ErroApp) => void;
  relogio: ReturnType<typeof setTimeout> | null;
  sinal?: AbortSignal;
  aoAbortar?: () => void;
  semEncerramento?: () => void;
};

/** A model id kept in the loaded list when the server does not swap: the list is bounded all the same. */
const MAX_CARREGADOS_SEM_TROCA = 64;

/**
 * One provider's fair share in this process: requests start while the server has a free place (per model where
 * each loaded model has its own slots); beyond it they wait, at most `filaMax` of them and at most `esperaMs` each,
 * and leave at once when their caller goes. On a server that keeps only some models loaded, a request that would
 * make it swap waits for the requests of the model it would evict, and requests for loaded models go first, up to
 * the fairness bound; after an answer a pending swap is held a short grace, since a program in a loop asks again
 * a few milliseconds after its answer. Without a limit and with nothing waiting, entering is synchronous.
 */
export class FilaDoProvedor {
  private emVoo = 0;
  private readonly emVooPorModelo = new Map<string, number>();
  /** The models believed loaded, least recently used first. */
  private carregados: string[] = [];
  private readonly esperando: Espera[] = [];
  private proximaOrdem = 0;
  /** Until when a swap is held after an answer for a loaded model (performance.now()). */
  private gracaAte = 0;
  /** The model whose answer started the grace. */
  private gracaDe: string | null = null;
  private relogioDaGraca: ReturnType<typeof setTimeout> | null = null;
  /** Moving average of how long a place is held, for the `Retry-After` of a refusal. */
  private duracaoMediaMs: number | null = null;
  recusadasCheia = 0;
  recusadasEspera = 0;

  constructor(
    readonly provedorId: number,
    private config: ConfigDaFila,
    private readonly aoMudar: (fila: FilaDoProvedor) => void = () => {},
  ) {}

  /** New settings (the row changed): a raised limit or a longer queue lets waiting requests start now. */
  configurar(config: ConfigDaFila): void {
    this.config = config;
    this.despachar();
  }

  get limite(): number | null {
    return this.config.limite;
  }
  get porModelo(): boolean {
    return this.config.porModelo;
  }
  get filaMax(): number {
    return this.config.filaMax;
  }
  get emVooAgora(): number {
    return this.emVoo;
  }
  get naFila(): number {
    return this.esperando.length;
  }
  get modelosCarregados(): readonly string[] {
    return this.carregados;
  }

  /**
   * A place for a request for `modelo`: at once (a Vaga) when it may start, else a promise that resolves when it
   * does. Throws `fila_cheia` at once when it would wait and the queue is full; the promise rejects with
   * `fila_espera_esgotada` after the wait, or `cancelado` when `sinal` aborts (it then leaves the queue).
   */
  entrar(modelo: string, prioridade = 0, sinal?: AbortSignal): Vaga | Promise<Vaga> {
    if (this.esperando.length === 0 && this.podeComecar(modelo) && !this.seguraTroca(modelo)) {
      return this.comecar(modelo, 0);
    }
    if (sinal?.aborted) throw new ErroApp("cancelado", "A requisição foi cancelada antes de começar.");
    // With a limit per model, the waiters of another model do not stand in the way of one with a free place.
    if (this.passaAFrente(modelo)) {
      for (const e of this.esperando) if (this.ehTroca(e.modelo)) e.passaram++;
      return this.comecar(modelo, 0);
    }
    if (this.esperando.length >= this.config.filaMax) {
      this.recusadasCheia++;
      this.aoMudar(this);
      throw this.erroCheia();
    }
    return new Promise<Vaga>((resolver, rejeitar) => {
      const e: Espera = {
        modelo,
        prioridade,
        chegada: performance.now(),
        ordem: this.proximaOrdem++,
        passaram: 0,
        troca: false,
        resolver,
        rejeitar,
        relogio: null,
        sinal,
      };
      e.relogio = setTimeout(() => {
        if (!this.retirar(e)) return;
        this.recusadasEspera++;
        rejeitar(this.erroEspera());
        this.despachar();
      }, this.config.esperaMs);
      // The app's shutdown: a request still waiting is told at once (it was never sent), not held to its end.
      e.semEncerramento = aoEncerrar(() => {
        if (!this.retirar(e)) return;
        rejeitar(
          new ErroApp(
            "servidor_encerrando",
            "O app está sendo encerrado: a requisição não chegou a ser enviada. Tente de novo em instantes.",
          ),
        );
      });
      if (sinal) {
        e.aoAbortar = () => {
          if (!this.retirar(e)) return;
          rejeitar(new ErroApp("cancelado", "A requisição foi cancelada enquanto esperava na fila."));
          this.despachar();
        };
        sinal.addEventListener("abort", e.aoAbortar, { once: true });
      }
      this.esperando.push(e);
      this.despachar();
      this.aoMudar(this);
    });
  }

  /** How soon a request for `modelo` would start here (the router's order). */
  prontidao(modelo: string): Prontidao {
    const naFila = this.esperando.length;
    // Loaded, as far as this queue knows, only on a server that swaps (it follows the loads there); elsewhere the
    // server's own list says (the catalogue's, read by the router).
    if ((naFila === 0 && this.podeComecar(modelo)) || this.passaAFrente(modelo))
      return { classe: this.config.capacidadeModelos !== null && this.carregados.includes(modelo) ? 0 : 1, naFila };
    return { classe: naFila >= this.config.filaMax ? 3 : 2, naFila };
  }

  /** What the server itself says is loaded (the monitor's reading): it replaces the belief, keeping what runs now. */
  definirCarregados(modelos: readonly string[]): void {
    // A reading taken before a swap this queue started may still list the model it evicted: what runs now is
    // loaded, and past the capacity the oldest of the reading goes.
    const emUso = [...this.emVooPorModelo.keys()].filter((m) => !modelos.includes(m));
    const lista = [...modelos.filter((m) => !emUso.includes(m)), ...emUso];
    const capacidade = this.config.capacidadeModelos;
    const maximo = capacidade !== null && capacidade > 0 ? capacidade : MAX_CARREGADOS_SEM_TROCA;
    while (lista.length > maximo && lista.length > emUso.length) lista.shift();
    this.carregados = lista;
    this.despachar();
  }

  // --- the rules -------------------------------------------------------------------------------------------

  private emVooDa(modelo: string): number {
    return this.config.porModelo ? (this.emVooPorModelo.get(modelo) ?? 0) : this.emVoo;
  }

  /** Starting `modelo` would make the server unload another model. */
  private ehTroca(modelo: string): boolean {
    const capacidade = this.config.capacidadeModelos;
    return capacidade !== null && capacidade > 0 && !this.carregados.includes(modelo) && this.carregados.length >= capacidade;
  }

  /** The model a swap would evict (the least recently used), or null. */
  private vitima(): string | null {
    return this.carregados[0] ?? null;
  }

  /** A free place, and, for a swap, nothing in flight on the model it evicts (a swap never cuts an answer). */
  private podeComecar(modelo: string): boolean {
    const limite = this.config.limite;
    if (limite !== null && this.emVooDa(modelo) >= limite) return false;
    if (!this.ehTroca(modelo)) return true;
    const vitima = this.vitima();
    return vitima === null || (this.emVooPorModelo.get(vitima) ?? 0) === 0;
  }

  /** A swap waits out the grace after an answer for the model it would evict. */
  private seguraTroca(modelo: string): boolean {
    return this.ehTroca(modelo) && this.emGraca(performance.now());
  }

  /** Within the grace of an answer for the model a swap would evict now (another model's answer holds nothing). */
  private emGraca(agora: number): boolean {
    return agora < this.gracaAte && this.gracaDe === this.vitima();
  }

  /**
   * While others wait, a request that needs no swap and has a free place starts at once, as the queue would pick
   * it first: unless a swap past its fairness bound has blocked its model.
   */
  private passaAFrente(modelo: string): boolean {
    if (this.esperando.length === 0 || this.ehTroca(modelo) || !this.podeComecar(modelo)) return false;
    const agora = performance.now();
    for (const e of this.esperando) if (this.ehTroca(e.modelo) && this.trocaDevida(e, agora)) return modelo !== this.vitima();
    return true;
  }

  private trocaDevida(e: Espera, agora: number): boolean {
    return e.passaram >= this.config.rodadaMax || agora - e.chegada >= this.config.rodadaMs;
  }

  /** Starts every waiting request that may start now, in order; holds a swap for its grace. */
  private despachar(): void {
    let mudou = false;
    for (;;) {
      const e = this.proxima();
      if (!e) break;
      this.retirar(e);
      e.resolver(this.comecar(e.modelo, performance.now() - e.chegada));
      mudou = true;
    }
    if (mudou) this.aoMudar(this);
  }

  /**
   * The next request to start, or null. A swap that is due (it waited past the fairness bound) blocks the model it
   * would evict: its requests wait, so the in-flight ones end and the swap starts. Otherwise requests that need
   * no swap go first (higher priority, then arrival), then the oldest swap once its grace is over.
   */
  private proxima(): Espera | null {
    if (this.esperando.length === 0) return null;
    const agora = performance.now();
    let devida: Espera | null = null;
    for (const e of this.esperando) {
      e.troca = this.ehTroca(e.modelo);
      if (e.troca && this.trocaDevida(e, agora) && (devida === null || e.ordem < devida.ordem)) devida = e;
    }
    const bloqueado = devida ? this.vitima() : null;
    let melhor: Espera | null = null;
    for (const e of this.esperando) {
      if (e.troca || e.modelo === bloqueado || !this.podeComecar(e.modelo)) continue;
      if (melhor === null || e.prioridade > melhor.prioridade || (e.prioridade === melhor.prioridade && e.ordem < melhor.ordem)) melhor = e;
    }
    if (melhor) {
      for (const e of this.esperando) if (e.troca && e !== melhor) e.passaram++;
      return melhor;
    }
    let troca: Espera | null = devida;
    if (!troca) {
      for (const e of this.esperando) {
        if (!e.troca) continue;
        if (troca === null || e.prioridade > troca.prioridade || (e.prioridade === troca.prioridade && e.ordem < troca.ordem)) troca = e;
      }
    }
    if (!troca || !this.podeComecar(troca.modelo)) return null;
    if (!devida && this.emGraca(agora)) {
      this.acordarEm(this.gracaAte - agora);
      return null;
    }
    return troca;
  }

  private acordarEm(ms: number): void {
    if (this.relogioDaGraca) return;
    this.relogioDaGraca = setTimeout(() => {
      this.relogioDaGraca = null;
      this.despachar();
    }, Math.ceil(ms) + 1);
  }

  private retirar(e: Espera): boolean {
    const i = this.esperando.indexOf(e);
    if (i < 0) return false;
    this.esperando.splice(i, 1);
    if (e.relogio) clearTimeout(e.relogio);
    if (e.aoAbortar) e.sinal?.removeEventListener("abort", e.aoAbortar);
    e.semEncerramento?.();
    this.aoMudar(this);
    return true;
  }

  /** The provider is gone (deleted): every waiter is told so at once, none is sent to its old server. */
  descartarEsperando(erro: ErroApp): void {
    for (const e of [...this.esperando]) if (this.retirar(e)) e.rejeitar(erro);
  }

  private comecar(modelo: string, esperaMs: number): Vaga {
    this.emVoo++;
    this.emVooPorModelo.set(modelo, (this.emVooPorModelo.get(modelo) ?? 0) + 1);
    // Taken for loaded from its start (a request that would evict it waits), until it turns out it was not.
    const jaCarregado = this.carregados.includes(modelo);
    if (this.config.capacidadeModelos !== null) this.usar(modelo);
    this.aoMudar(this);
    const inicio = performance.now();
    let livre = false;
    return {
      esperaMs,
      liberar: (respondeu = true) => {
        if (livre) return;
        livre = true;
        this.emVoo--;
        const n = (this.emVooPorModelo.get(modelo) ?? 1) - 1;
        if (n > 0) this.emVooPorModelo.set(modelo, n);
        else this.emVooPorModelo.delete(modelo);
        if (!respondeu && !jaCarregado && n <= 0) this.esquecerCarregado(modelo);
        const duracao = performance.now() - inicio;
        this.duracaoMediaMs = this.duracaoMediaMs === null ? duracao : this.duracaoMediaMs * 0.8 + duracao * 0.2;
        // A program in a loop asks again a few milliseconds after its answer: a swap waits that long first.
        if (respondeu && this.config.capacidadeModelos !== null && this.carregados.includes(modelo)) {
          this.gracaAte = performance.now() + this.config.gracaMs;
          this.gracaDe = modelo;
        }
        if (this.esperando.length > 0) this.despachar();
        this.aoMudar(this);
      },
    };
  }

  private esquecerCarregado(modelo: string): void {
    const i = this.carregados.indexOf(modelo);
    if (i >= 0) this.carregados.splice(i, 1);
  }

  /** The server now holds `modelo` (most recently used); past its capacity, the least recently used is gone. */
  private usar(modelo: string): void {
    const i = this.carregados.indexOf(modelo);
    if (i === this.carregados.length - 1 && i >= 0) return;
    if (i >= 0) this.carregados.splice(i, 1);
    this.carregados.push(modelo);
    const capacidade = this.config.capacidadeModelos;
    if (capacidade === null || capacidade <= 0) return;
    while (this.carregados.length > capacidade) this.carregados.shift();
  }

  // --- the answers ------------------------------------------------------------------------------------------

  /** Seconds until a place is likely free: the queue ahead times a place's average hold, within the wait. */
  segundosAteVaga(): number {
    const porVaga = this.duracaoMediaMs ?? 1000;
    const vagas = Math.max(1, this.config.limite ?? 1);
    const ms = (porVaga * (this.esperando.length + 1)) / vagas;
    return Math.max(1, Math.min(Math.ceil(ms / 1000), Math.ceil(this.config.esperaMs / 1000)));
  }

  private erroCheia(): ErroApp {
    const s = this.segundosAteVaga();
    const erro = new ErroApp(
      "fila_cheia",
      this.config.filaMax === 0
        ? `O provedor "${this.config.nome}" está ocupado (${this.emVoo} requisições em andamento, sem fila). Tente de novo em ${s} s.`
        : `O provedor "${this.config.nome}" está ocupado: ${this.emVoo} requisições em andamento e a fila cheia (${this.esperando.length} de ${this.config.filaMax}). Tente de novo em ${s} s.`,
    );
    erro.cabecalhos = { "retry-after": String(s) };
    return erro;
  }

  private erroEspera(): ErroApp {
    const s = this.segundosAteVaga();
    const erro = new ErroApp(
      "fila_espera_esgotada",
      `A requisição esperou ${Math.round(this.config.esperaMs / 1000)} s na fila do provedor "${this.config.nome}" sem uma vaga (${this.emVoo} em andamento, ${this.esperando.length} na fila). Tente de novo em ${s} s.`,
    );
    erro.cabecalhos = { "retry-after": String(s) };
    return erro;
  }
}
