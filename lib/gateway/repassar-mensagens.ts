import "server-only";
import type { PedacoChat } from "../adapters";
import { comoErroApp, ErroApp } from "../errors";
import type { RespostaLLM } from "../schemas/llm";
import type { FimDaTentativa } from "../saude/estado";
import type { Enquadrador, EventoModelo, StreamModelo } from "./pedido";
import { arredondar, type DadosDoRegistro, fimDoErro, type Tentativa } from "./tentar";

/** A streamed answer's text is kept (for the final event) up to this many characters; past it the stream ends. */
export const LIMITE_TEXTO_STREAM = 8 * 1024 * 1024;

/** The server's own speed when it says; otherwise answer tokens over generation time. */
export function tokensPorSegundo(doServidor: number | null, tokensResposta: number | null, geracaoMs: number): number | null {
  if (doServidor !== null) return Math.round(doServidor * 100) / 100;
  if (!tokensResposta || geracaoMs <= 0) return null;
  return Math.round((tokensResposta / (geracaoMs / 1000)) * 100) / 100;
}

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

export type OpcoesRepasseMensagens = {
  tentativa: Tentativa;
  provedorId: number;
  /** Cancels the upstream request. */
  cancelar: AbortController;
  enquadrar: Enquadrador;
};

/**
 * The relay of a normalised stream: the same events for every server type — deltas, then `fim` (the whole
 * answer, its text, tokens and timings) or `erro` — each piece in its own write, framed by the door. Stopping
 * the frames early, or the caller's signal, cancels the upstream request; the attempt is settled once, however
 * it ended (`descartar` for a stream never read).
 */
export function repassarMensagens(
  primeiro: IteratorResult<PedacoChat>,
  pedacos: AsyncGenerator<PedacoChat>,
  o: OpcoesRepasseMensagens,
): StreamModelo {
  const t = o.tentativa;
  let primeiroToken: number | null = null;
  let tokensResposta = 0;
  let registrado = false;
  const contar = (fim: FimDaTentativa, dados: DadosDoRegistro) => {
    if (registrado) return;
    registrado = true;
    t.encerrar(fim, {
      tempo_primeiro_token_ms: primeiroToken === null ? null : arredondar(primeiroToken - t.inicio),
      ...dados,
    });
  };

  const traduzir = (pedaco: PedacoChat): EventoModelo => {
    if (pedaco.tipo === "delta") {
      primeiroToken ??= performance.now();
      tokensResposta += 1;
      return pedaco;
    }
    const agora = performance.now();
    const tempo = arredondar(agora - t.inicio);
    const tokens = pedaco.tokens;
    const resposta: RespostaLLM = {
      conteudo: "",
      modelo: pedaco.modelo,
      provedor_id: o.provedorId,
      tempo_resposta_ms: tempo,
      tempo_primeiro_token_ms: primeiroToken === null ? null : arredondar(primeiroToken - t.inicio),
      finish_reason: pedaco.finish_reason,
      tokens,
      tokens_por_segundo: tokensPorSegundo(
        pedaco.tokens_por_segundo,
        tokens.resposta ?? (tokensResposta || null),
        primeiroToken === null ? tempo : agora - primeiroToken,
      ),
    };
    contar("ok", {
      sucesso: true,
      modelo: pedaco.modelo,
      tokens_prompt: tokens.prompt,
      tokens_resposta: tokens.resposta,
      tokens_por_segundo: resposta.tokens_por_segundo,
    });
    return { tipo: "fim", resposta };
  };

  const conteudo = new TextoLimitado(LIMITE_TEXTO_STREAM);
  /** One write's events: a single piece each (reused, never kept past its framing). */
  const eventos: EventoModelo[] = [];
  const escrever = (evento: EventoModelo): Uint8Array => {
    eventos[0] = evento;
    const bytes = o.enquadrar(eventos);
    eventos.length = 0;
    return bytes;
  };
  const quadro = (pedaco: PedacoChat): Uint8Array => {
    if (pedaco.tipo === "delta" && !conteudo.juntar(pedaco.conteudo)) {
      throw new ErroApp(
        "provedor_erro",
        `A resposta passou do limite de ${LIMITE_TEXTO_STREAM / 1024 / 1024} MiB de texto e foi interrompida.`,
      );
    }
    const evento = traduzir(pedaco);
    if (evento.tipo === "fim" && evento.resposta) evento.resposta.conteudo = conteudo.texto();
    return escrever(evento);
  };
  async function* quadros(): AsyncGenerator<Uint8Array> {
    let terminou = false;
    try {
      for (let atual = primeiro; !atual.done; atual = await pedacos.next()) yield quadro(atual.value);
      terminou = true;
    } catch (e) {
      terminou = true;
      const erro = comoErroApp(e);
      contar(fimDoErro(erro), { sucesso: false, codigo_erro: erro.codigo });
      // The answer outgrew its limit while upstream still sends: stop it there.
      o.cancelar.abort();
      void pedacos.return(undefined).catch(() => {});
      yield escrever({ tipo: "erro", erro });
    } finally {
      // The reader stopped before the end (the caller left): the server's answer is cut.
      if (!terminou) {
        o.cancelar.abort();
        contar("cancelado", { sucesso: false, codigo_erro: "cancelado" });
        await pedacos.return(undefined).catch(() => {});
      } else if (!registrado) {
        // The server's pieces ended without their final one: a cut answer, settled here rather than left in flight.
        contar("falhou", { sucesso: false, codigo_erro: "provedor_erro" });
      }
    }
  }
  const gerador = quadros();
  const descartar = () => {
    // Settled already (the stream ran to its end or failed): nothing to cancel. Otherwise cut, whether or not it
    // started: a started stream its writer stopped reading would stay in flight.
    if (registrado) return;
    o.cancelar.abort();
    contar("cancelado", { sucesso: false, codigo_erro: "cancelado" });
    void gerador.return(undefined);
    void pedacos.return(undefined).catch(() => {});
  };
  return { quadros: gerador, descartar };
}
