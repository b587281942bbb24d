import type { ProvedorLLMLinha } from "@/db/schema";
import type { PedacoChat, PedidoChat } from "../adapters";
import { registrarRequisicao, type RegistroRequisicao } from "../estatisticas/registrar";
import { comoErroApp, ErroApp } from "../errors";
import { quadroSSE } from "../protocolo/sse";
import { acompanhar, barrarSeOffline } from "../monitor/situacoes";
import { RequisicaoLLM, type EventoStream, type RespostaLLM } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { adaptadorDe } from "./alvo";
import { buscarLinhaRecente, lerId } from "./interno";
import { modeloPadraoDe } from "./modelos";

/**
 * How the caller runs work after its answer is sent (Next's `after()` in route handlers).
 * The default still never delays the answer: the write is queued, not awaited.
 */
export type Depois = (tarefa: () => Promise<void>) => void;
const emSegundoPlano: Depois = (tarefa) => void tarefa();

export type OpcoesRequisicao = { signal?: AbortSignal; depois?: Depois };

type Preparada = { linha: ProvedorLLMLinha; pedido: PedidoChat; stream: boolean };

async function preparar(idBruto: string | number, entrada: unknown, signal?: AbortSignal): Promise<Preparada> {
  const id = lerId(idBruto);
  const req = validar(RequisicaoLLM, entrada);
  const linha = await buscarLinhaRecente(id);
  if (!linha.ativo) {
    throw new ErroApp("provedor_inativo", `O provedor "${linha.nome}" está inativo: ative-o para enviar requisições.`);
  }
  // Known offline: refused here, before anything is asked of the server (not counted: nothing was sent).
  acompanhar(linha);
  barrarSeOffline(linha.id);
  const modelo = req.modelo ?? (await modeloPadraoDe(linha.id, linha.modelo_padrao, signal));
  // The request's settings win over the provider's defaults, field by field.
  const configuracao = { ...linha.configuracao, ...req.configuracao };
  return { linha, pedido: { modelo, mensagens: req.mensagens, configuracao }, stream: req.stream };
}

function arredondar(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The server's own speed when it says; otherwise answer tokens over generation time. */
function tokensPorSegundo(doServidor: number | null, tokensResposta: number | null, geracaoMs: number): number | null {
  if (doServidor !== null) return Math.round(doServidor * 100) / 100;
  if (!tokensResposta || geracaoMs <= 0) return null;
  return Math.round((tokensResposta / (geracaoMs / 1000)) * 100) / 100;
}

function registro(
  p: Preparada,
  inicioEpoch: number,
  tempo: number,
  extra: Partial<RegistroRequisicao> & Pick<RegistroRequisicao, "sucesso">,
): RegistroRequisicao {
  return {
    provedor_id: p.linha.id,
    criado_em: inicioEpoch,
    modelo: p.pedido.modelo,
    stream: p.stream,
    codigo_erro: null,
    tempo_resposta_ms: tempo,
    tempo_primeiro_token_ms: null,
    tokens_prompt: null,
    tokens_resposta: null,
    ...extra,
  };
}

/** One chat request, answered whole. Counted in the statistics whatever happens. */
export async function enviarRequisicao(idBruto: string | number, entrada: unknown, opcoes: OpcoesRequisicao = {}): Promise<RespostaLLM> {
  const p = await preparar(idBruto, entrada, opcoes.signal);
  const depois = opcoes.depois ?? emSegundoPlano;
  const inicioEpoch = Date.now();
  const inicio = performance.now();
  try {
    const r = await adaptadorDe(p.linha).chat(p.pedido, opcoes.signal);
    const tempo = arredondar(performance.now() - inicio);
    depois(() =>
      registrarRequisicao(
        registro(p, inicioEpoch, tempo, {
          sucesso: true,
          modelo: r.modelo,
          tokens_prompt: r.tokens.prompt,
          tokens_resposta: r.tokens.resposta,
        }),
      ),
    );
    return {
      conteudo: r.conteudo,
      modelo: r.modelo,
      provedor_id: p.linha.id,
      tempo_resposta_ms: tempo,
      finish_reason: r.finish_reason,
      tokens: r.tokens,
      tokens_por_segundo: tokensPorSegundo(r.tokens_por_segundo, r.tokens.resposta, tempo),
    };
  } catch (e) {
    const erro = comoErroApp(e);
    const tempo = arredondar(performance.now() - inicio);
    depois(() => registrarRequisicao(registro(p, inicioEpoch, tempo, { sucesso: false, codigo_erro: erro.codigo })));
    throw erro;
  }
}

/** A streamed answer's text is kept (for the final event) up to this many characters; past it the stream ends. */
export const LIMITE_TEXTO_STREAM = 8 * 1024 * 1024;

/**
 * The text of a streamed answer, up to a limit. Pieces are joined every so often: a string grown one small
 * delta at a time costs far more memory than its characters.
 */
class TextoLimitado {
  private partes: string[] = [];
  private tamanho = 0;

  constructor(private readonly limite: number) {}

  /** False once the text would pass the limit. */
  juntar(pedaco: string): boolean {
    this.tamanho += pedaco.length;
    if (this.tamanho > this.limite) return false;
    this.partes.push(pedaco);
    if (this.partes.length >= 512) this.partes = [this.partes.join("")];
    return true;
  }

  texto(): string {
    return this.partes.join("");
  }
}

/** One SSE frame of our own stream: `event: delta|fim|erro`. */
function quadroDoEvento(evento: EventoStream): Uint8Array {
  const dados = evento.tipo === "delta" ? { conteudo: evento.conteudo } : evento.tipo === "fim" ? evento.resposta : evento.erro;
  return quadroSSE(JSON.stringify(dados), evento.tipo);
}

/**
 * A streamed answer's frames, and how to settle it once the writer is done, however it ended: a stream
 * never read (the response failed before its first frame) is cancelled upstream and recorded as such, where
 * its generator's `finally` would never run. A second call, or one after the stream ended, does nothing.
 */
export type StreamRequisicao = { quadros: AsyncIterable<Uint8Array>; descartar: () => void };

/**
 * One chat request, streamed. Resolves once the server has started answering (its first piece of text),
 * so a server that is down, rejects the key or lacks the model is still a plain JSON error with its
 * status. After that, the same events for every server type: deltas, then `fim` or `erro`.
 * Stopping the frames early, or the caller's signal (the caller left, or pressed stop), cancels the
 * upstream request.
 */
export async function abrirStreamRequisicao(
  idBruto: string | number,
  entrada: unknown,
  opcoes: OpcoesRequisicao = {},
): Promise<StreamRequisicao> {
  const p = await preparar(idBruto, { ...(entrada as object), stream: true }, opcoes.signal);
  const depois = opcoes.depois ?? emSegundoPlano;
  const cancelar = new AbortController();
  opcoes.signal?.addEventListener("abort", () => cancelar.abort(), { once: true });
  const inicioEpoch = Date.now();
  const inicio = performance.now();
  let primeiroToken: number | null = null;
  let tokensResposta = 0;
  let registrado = false;
  let avisarFim!: () => void;
  const fimRegistrado = new Promise<void>((r) => (avisarFim = r));
  depois(() => fimRegistrado);

  const contar = (extra: Partial<RegistroRequisicao> & Pick<RegistroRequisicao, "sucesso">) => {
    if (registrado) return;
    registrado = true;
    const tempo = arredondar(performance.now() - inicio);
    registrarRequisicao(
      registro(p, inicioEpoch, tempo, {
        tempo_primeiro_token_ms: primeiroToken === null ? null : arredondar(primeiroToken - inicio),
        ...extra,
      }),
    ).then(avisarFim, avisarFim);
  };

  const pedacos = adaptadorDe(p.linha).chatStream(p.pedido, cancelar.signal);
  let primeiro: IteratorResult<PedacoChat>;
  try {
    primeiro = await pedacos.next();
  } catch (e) {
    const erro = comoErroApp(e);
    contar({ sucesso: false, codigo_erro: erro.codigo });
    throw erro;
  }

  const traduzir = (pedaco: PedacoChat): Exclude<EventoStream, { tipo: "erro" }> => {
    if (pedaco.tipo === "delta") {
      primeiroToken ??= performance.now();
      tokensResposta += 1;
      return pedaco;
    }
    const agora = performance.now();
    const tempo = arredondar(agora - inicio);
    const tokens = pedaco.tokens;
    const resposta: RespostaLLM = {
      conteudo: "",
      modelo: pedaco.modelo,
      provedor_id: p.linha.id,
      tempo_resposta_ms: tempo,
      tempo_primeiro_token_ms: primeiroToken === null ? null : arredondar(primeiroToken - inicio),
      finish_reason: pedaco.finish_reason,
      tokens,
      tokens_por_segundo: tokensPorSegundo(
        pedaco.tokens_por_segundo,
        tokens.resposta ?? (tokensResposta || null),
        primeiroToken === null ? tempo : agora - primeiroToken,
      ),
    };
    contar({ sucesso: true, modelo: pedaco.modelo, tokens_prompt: tokens.prompt, tokens_resposta: tokens.resposta });
    return { tipo: "fim", resposta };
  };

  const conteudo = new TextoLimitado(LIMITE_TEXTO_STREAM);
  const quadro = (pedaco: PedacoChat): Uint8Array => {
    if (pedaco.tipo === "delta" && !conteudo.juntar(pedaco.conteudo)) {
      throw new ErroApp(
        "provedor_erro",
        `A resposta passou do limite de ${LIMITE_TEXTO_STREAM / 1024 / 1024} MiB de texto e foi interrompida.`,
      );
    }
    const evento = traduzir(pedaco);
    if (evento.tipo === "fim") evento.resposta.conteudo = conteudo.texto();
    return quadroDoEvento(evento);
  };
  let iniciado = false;
  async function* quadros(): AsyncGenerator<Uint8Array> {
    iniciado = true;
    let terminou = false;
    try {
      for (let atual = primeiro; !atual.done; atual = await pedacos.next()) yield quadro(atual.value);
      terminou = true;
    } catch (e) {
      terminou = true;
      const erro = comoErroApp(e);
      contar({ sucesso: false, codigo_erro: erro.codigo });
      // The answer outgrew its limit while upstream still sends: stop it there.
      cancelar.abort();
      void pedacos.return(undefined).catch(() => {});
      yield quadroDoEvento({ tipo: "erro", erro: { codigo: erro.codigo, mensagem: erro.message } });
    } finally {
      // The reader stopped before the end (the caller left): the server's answer is cut.
      if (!terminou) {
        cancelar.abort();
        contar({ sucesso: false, codigo_erro: "cancelado" });
        await pedacos.return(undefined).catch(() => {});
      }
    }
  }
  const gerador = quadros();
  const descartar = () => {
    if (iniciado) return;
    iniciado = true;
    cancelar.abort();
    contar({ sucesso: false, codigo_erro: "cancelado" });
    void gerador.return(undefined);
    void pedacos.return(undefined).catch(() => {});
  };
  return { quadros: gerador, descartar };
}
