import "server-only";
import { comoErroApp, ErroApp } from "../errors";
import type { FimDaTentativa } from "../saude/estado";
import { type Enquadrador, type EventoModelo, FIM, type LeitorDoStream, PASSAR, type StreamModelo } from "./pedido";
import { arredondar, type DadosDoRegistro, fimDoErro } from "./tentar";

export type OpcoesRepasse = {
  /** performance.now() when the attempt was sent. */
  inicio: number;
  /** The server's stream, read in its dialect. */
  leitor: LeitorDoStream;
  fechar: (lida?: boolean) => void;
  /** Ends the attempt: its end for the health store, and its one statistics row. */
  encerrar: (fim: FimDaTentativa, dados: DadosDoRegistro) => void;
  enquadrar: Enquadrador;
};

/**
 * The relay of a server's stream, whatever its dialect: each event passed on as it arrives, then the end; the
 * events of each batch the server sent go out together, in one write, framed by the door (as sent, or
 * translated). The app reads each event only for the statistics (first token, usage) and to know the answer is
 * whole (the dialect's reader says). A close before that is a cut answer: an error, not a success with half the
 * text. A failure after the first byte cannot move to another provider: the stream ends with an error event,
 * which the SDKs raise. Only a failure of the server (the connection, a deadline, a cut) marks it as failed for
 * the balancing; an error event is about this request.
 */
export function repassarPassagem(primeiro: IteratorResult<string[]>, lotes: AsyncIterator<string[]>, o: OpcoesRepasse): StreamModelo {
  const leitor = o.leitor;
  let primeiroToken: number | null = null;
  let contado = false;
  const contar = (fim: FimDaTentativa, codigo_erro?: string) => {
    if (contado) return;
    contado = true;
    const uso = leitor.uso;
    o.encerrar(fim, {
      sucesso: fim === "ok",
      ...(codigo_erro ? { codigo_erro } : {}),
      tempo_resposta_ms: arredondar(performance.now() - o.inicio),
      tempo_primeiro_token_ms: primeiroToken === null ? null : arredondar(primeiroToken - o.inicio),
      tokens_prompt: uso.prompt,
      tokens_resposta: uso.resposta,
    });
  };
  /** The reader stopped before the end (the caller left), or never started: the server's answer is cut. */
  const cortar = () => {
    if (contado) return;
    contar("cancelado", "cancelado");
    o.fechar();
    void lotes.return?.(undefined).catch(() => {});
  };
  /** Set while an event is read: an error then is the event's (the server's error for this request). */
  let noEvento = false;
  /** The events of the current batch not written yet: an error midway still sends the ones before it. */
  const eventos: EventoModelo[] = [];
  const escrever = (): Uint8Array => {
    const bytes = o.enquadrar(eventos);
    eventos.length = 0;
    return bytes;
  };
  /** The answer is whole (or ended in a failure its dialect reports, recorded as one): its deadlines end now and the connection goes back to the pool. */
  const terminar = (): Uint8Array => {
    const falha = leitor.falha;
    if (falha) contar("erro", falha.codigo);
    else contar("ok");
    void lotes.return?.(undefined).catch(() => {});
    o.fechar(true);
    eventos.push({ tipo: "fim", resposta: null });
    return escrever();
  };

  async function* quadros(): AsyncGenerator<Uint8Array> {
    try {
      for (let atual = primeiro; ; atual = await lotes.next()) {
        if (atual.done) {
          // A whole answer that closes without its end event ends as if it had sent it.
          if (!leitor.inteira) throw new ErroApp("provedor_erro", leitor.corte);
          yield terminar();
          return;
        }
        for (const dados of atual.value) {
          noEvento = true;
          const destino = leitor.ler(dados);
          noEvento = false;
          if (primeiroToken === null && leitor.comTexto) primeiroToken = performance.now();
          if (destino & PASSAR) eventos.push({ tipo: "chunk", dados, json: leitor.json });
          if (destino & FIM) {
            yield terminar();
            return;
          }
        }
        if (eventos.length) yield escrever();
      }
    } catch (e) {
      const erro = comoErroApp(e);
      contar(noEvento ? "erro" : fimDoErro(erro), erro.codigo);
      o.fechar();
      eventos.push({ tipo: "erro", erro });
      yield escrever();
    } finally {
      cortar();
    }
  }
  return { quadros: quadros(), descartar: cortar };
}
