import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { ehEncerramento } from "../encerramento";
import type { RegistroRequisicao } from "../schemas/llm";
import type { Chamador } from "../chaves/chamador";
import { type CodigoErro, comoErroApp, ErroApp } from "../errors";
import { filaDo, type Vaga } from "../fila";
import { buscarLinhaRecente } from "../provedores/linha-do-provedor";
import { modeloPadraoDe } from "../provedores/cache-de-modelos";
import { acompanhar, comecou, type FimDaTentativa, recusaDoDisjuntor, respondeu, sabidamenteOffline, terminou } from "../saude/estado";
import { observarFalhaDeUso, observarResposta } from "../saude/observar";
import { gravarTentativa } from "./gravar";
import type { Candidato, PedidoModelo, ResultadoModelo } from "./pedido";

/** What an attempt's record says beyond who, when and what was asked. */
export type DadosDoRegistro = Partial<RegistroRequisicao> & Pick<RegistroRequisicao, "sucesso">;

export const arredondar = (ms: number) => Math.round(ms * 10) / 10;

/**
 * One attempt of one provider: in flight in the health store from its start until `encerrar`, which settles it
 * once — its end for the health store and its one statistics row — however many paths reach it.
 */
export class Tentativa {
  readonly criadoEm = Date.now();
  /** When the request was sent (after its wait in the provider's queue): the base of its times and overhead. */
  inicio = performance.now();
  /** How long it waited in the provider's queue (lib/fila). */
  tempoFilaMs = 0;
  /** Its place at the server, held until the attempt ends. */
  private vaga: Vaga | null = null;
  /** Set while the server's first event is read: an error then is the server's error event, about this request. */
  noEvento = false;
  private encerrada = false;
  private respondido = false;
  private avisarGravada: (() => void) | null = null;

  constructor(
    private readonly pedido: PedidoModelo,
    readonly provedorId: number,
    /** The model asked for; a pinned provider's default is set once looked up (inside the attempt: see tentarCandidatos). */
    public modelo: string,
  ) {
    comecou(provedorId);
  }

  /**
   * The answer's first byte arrived (`primeiroByte`: a stream's; false: a whole answer, all of it); returns the time
   * it took. The server serves: the health store hears it now (a breaker's probe reopens here, not at the record).
   */
  respondeu(primeiroByte: boolean): number {
    const ms = performance.now() - this.inicio;
    this.respondido = true;
    // Only a time to first byte feeds the router's latency: a whole answer's is the generation's. A measurement's
    // (lib/benchmarks: long prompts, a queue it fills itself) says nothing of how fast ordinary traffic is served.
    respondeu(this.provedorId, primeiroByte && !this.pedido.semEstatisticas ? ms : null);
    observarResposta(this.provedorId);
    return ms;
  }

  /** The request has its place at the server: its times count from now, its wait is recorded apart. */
  ocupar(vaga: Vaga): void {
    this.vaga = vaga;
    if (vaga.esperaMs > 0) this.saiuDaFila(vaga.esperaMs);
  }

  /** It left the queue after `esperaMs`, with a place or without one (ran out of time, cancelled, shut down). */
  saiuDaFila(esperaMs: number): void {
    this.tempoFilaMs = arredondar(esperaMs);
    this.inicio = performance.now();
  }

  /** The record comes later (a stream, at its end): the caller's `depois` waits for it from now on. */
  adiarGravacao(): void {
    this.pedido.depois(new Promise<void>((r) => (this.avisarGravada = r)));
  }

  /** Ends the attempt, once. `dados` null: nothing to record (the app's own database away, not the server). */
  encerrar(fim: FimDaTentativa, dados: DadosDoRegistro | null): void {
    if (this.encerrada) return;
    this.encerrada = true;
    // Only an answer (its first byte, or a whole one) says the server holds the model now.
    this.vaga?.liberar(this.respondido || fim === "ok");
    terminou(this.provedorId, fim);
    this.pedido.aoEncerrarTentativa?.(dados);
    if (!dados) return this.avisarGravada?.();
    if (this.pedido.semEstatisticas) {
      // Kept out of the usage statistics; the health store still hears a failure, as gravarTentativa tells it.
      if (!dados.sucesso) observarFalhaDeUso(this.provedorId, dados.codigo_erro ?? null);
      return this.avisarGravada?.();
    }
    const gravacao = gravarTentativa({
      provedor_id: this.provedorId,
      porta: this.pedido.porta,
      criado_em: this.criadoEm,
      modelo: this.modelo,
      stream: this.pedido.stream,
      codigo_erro: null,
      tempo_resposta_ms: arredondar(performance.now() - this.inicio),
      tempo_primeiro_token_ms: null,
      tempo_fila_ms: this.tempoFilaMs,
      tokens_prompt: null,
      tokens_resposta: null,
      // Who made the call, as the gate established it: the key's id, never its secret; null for the admin.
      chave_id: this.pedido.chamador.tipo === "chave" ? this.pedido.chamador.chave.id : null,
      ...dados,
    });
    if (this.avisarGravada) gravacao.then(this.avisarGravada, this.avisarGravada);
    else this.pedido.depois(gravacao);
  }
}

/** An access key's place among the requests waiting for the same model; the admin's is the default. */
const prioridadeDe = (chamador: Chamador): number => (chamador.tipo === "chave" ? chamador.chave.prioridade : 0);

/** Marks the ErroApp of a declined candidate (ErroApp's `instanceof` is by brand, so a subclass could not tell). */
const RECUSADO = Symbol.for("provedores-llm.CandidatoRecusado");

/**
 * What a door's plan throws for a candidate that cannot serve this request at all, though it has the model
 * (count_tokens on a server without a count of its own): not an attempt of that server — no statistics row, no
 * strike — and the next candidate is asked; when none can, the pipeline ends with it (the door decides what then).
 */
export function candidatoRecusado(codigo: CodigoErro, mensagem: string): ErroApp {
  return Object.assign(new ErroApp(codigo, mensagem), { [RECUSADO]: true });
}

export const ehCandidatoRecusado = (e: unknown): boolean => typeof e === "object" && e !== null && RECUSADO in e;

/** One call of one provider, for one form of answer: resolves once the server started answering. */
export type Chamada = (pedido: PedidoModelo, t: Tentativa, linha: ProvedorLLMLinha, candidato: Candidato) => Promise<ResultadoModelo>;

/**
 * How an attempt that threw ended: `falhou` only for the server's own failure (unreachable, timed out, a 5xx,
 * a cut answer); the caller leaving or the app shutting down is `cancelado`; anything else (a 4xx, a model it
 * lacks, the app's database away) is about this request. An error event the server sent is `erro` as well.
 */
export function fimDoErro(erro: ErroApp): FimDaTentativa {
  if (erro.codigo === "cancelado" || ehEncerramento(erro)) return "cancelado";
  if (erro.codigo === "provedor_indisponivel" || erro.codigo === "provedor_timeout") return "falhou";
  if (erro.codigo === "provedor_erro" && (erro.statusServidor === undefined || erro.statusServidor >= 500)) return "falhou";
  return "erro";
}

/** Failures that say nothing about the request itself: another provider may well answer. */
export function outroPodeResponder(erro: ErroApp): boolean {
  if (erro.codigo === "provedor_erro") return erro.statusServidor === undefined || erro.statusServidor >= 500;
  // nao_encontrado: the provider was deleted after the catalog was read. fila_espera_esgotada: the wait ran out
  // here; another server with the model may have a place by now.
  return [
    "provedor_indisponivel",
    "provedor_timeout",
    "provedor_autenticacao",
    "modelo_nao_encontrado",
    "nao_encontrado",
    "fila_espera_esgotada",
  ].includes(erro.codigo);
}

/**
 * The attempt stage: the candidates in order; one the breaker refuses is skipped (not an attempt); one that
 * fails before the first byte of its answer is followed by the next. Every attempt is one statistics row.
 */
export async function tentarCandidatos(pedido: PedidoModelo, candidatos: readonly Candidato[], chamar: Chamada): Promise<ResultadoModelo> {
  const motivos: string[] = [];
  let ultimo: ErroApp | null = null;
  for (const candidato of candidatos) {
    const provedor = candidato.provedor;
    // Followed from its row (the pinned provider's, or the catalogue's) before the breaker decides, so both doors
    // refuse a provider known offline alike.
    acompanhar(candidato.linha ?? provedor);
    // Known offline: skipped at once, unless the breaker lets this one probe it.
    const eraOffline = sabidamenteOffline(provedor.id);
    const recusa = recusaDoDisjuntor(provedor.id);
    if (recusa) {
      motivos.push(`${provedor.nome}: ${recusa.message}`);
      ultimo = recusa;
      continue;
    }
    const t = new Tentativa(pedido, provedor.id, candidato.modelo ?? candidato.linha?.modelo_padrao ?? "");
    try {
      // A pinned provider's default model, inside the attempt (it may ask the server): a failed lookup is this
      // attempt's failure, with its record, not a probe spent on nothing.
      if (candidato.modelo === null) t.modelo = await modeloPadraoDe(provedor.id, candidato.linha?.modelo_padrao ?? null, pedido.sinal);
      const linha = candidato.linha ?? (await buscarLinhaRecente(provedor.id));
      // A place at the server, or a wait in its queue (a full queue throws at once: the next candidate is asked).
      // A call that generates nothing (a token count) takes no place and never waits behind generations.
      const vaga = pedido.semTokens ? null : filaDo(linha).entrar(t.modelo, prioridadeDe(pedido.chamador), pedido.sinal);
      if (vaga instanceof Promise) {
        const entrou = performance.now();
        try {
          t.ocupar(await vaga);
        } catch (e) {
          // A wait that ends without a place (out of time, cancelled, the shutdown) is recorded with its length too.
          t.saiuDaFila(performance.now() - entrou);
          throw e;
        }
      } else if (vaga) t.ocupar(vaga);
      // A server that went offline while the request waited (the ones ahead of it timed out) is not tried now;
      // a probe the breaker let through before the wait is still its probe.
      const recusaNaVez = t.tempoFilaMs > 0 && !eraOffline ? recusaDoDisjuntor(provedor.id) : null;
      if (recusaNaVez) throw candidatoRecusado(recusaNaVez.codigo, recusaNaVez.message);
      return await chamar(pedido, t, linha, candidato);
    } catch (e) {
      const erro = comoErroApp(e);
      if (ehCandidatoRecusado(erro) || erro.codigo === "fila_cheia") {
        t.encerrar("cancelado", null);
        motivos.push(`${provedor.nome}: ${erro.message}`);
        ultimo = erro;
        continue;
      }
      const fim = t.noEvento ? "erro" : fimDoErro(erro);
      // The app's own database away (reading the provider's row) is no attempt of this provider's.
      t.encerrar(fim, erro.codigo === "banco_indisponivel" ? null : { sucesso: false, codigo_erro: erro.codigo });
      if (erro.codigo === "banco_indisponivel") throw erro;
      // Cancelled, or cut by the shutdown: no other provider is tried (nobody would read it, or it would be cut too).
      if (fim === "cancelado" || !outroPodeResponder(erro)) throw erro;
      motivos.push(`${provedor.nome}: ${erro.message}`);
      ultimo = erro;
    }
  }
  const erro = ultimo ?? new ErroApp("provedor_indisponivel", "Nenhum provedor respondeu.");
  if (candidatos.length < 2) throw erro;
  // Every candidate declined: still a refusal of the plan, for the door to tell apart.
  const mensagem = `Nenhum dos ${candidatos.length} provedores com "${pedido.modelo}" respondeu. ${motivos.join(" | ")}`;
  const todos = ehCandidatoRecusado(erro) ? candidatoRecusado(erro.codigo, mensagem) : new ErroApp(erro.codigo, mensagem);
  // What the last server said stays with it (a busy server's status is the Anthropic door's 529), and when to
  // come back (a full queue's Retry-After).
  todos.statusServidor = erro.statusServidor;
  if (erro.cabecalhos) todos.cabecalhos = erro.cabecalhos;
  if (erro.tipoAnthropic) todos.tipoAnthropic = erro.tipoAnthropic;
  throw todos;
}
