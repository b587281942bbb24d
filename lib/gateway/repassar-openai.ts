import "server-only";
import { FimDasEscolhas, fimDoStreamOpenAI, jsonDoEventoOpenAI, STREAM_CORTADO } from "../adapters/ler-eventos-do-stream";
import { comoErroApp, ErroApp } from "../errors";
import type { FimDaTentativa } from "../saude/estado";
import type { Enquadrador, EventoModelo, StreamModelo } from "./pedido";
import { arredondar, type DadosDoRegistro, fimDoErro } from "./tentar";

export type Uso = { prompt_tokens?: number; completion_tokens?: number } | null | undefined;

export type OpcoesRepasse = {
  /** performance.now() when the attempt was sent. */
  inicio: number;
  pediuUso: boolean;
  fechar: (lida?: boolean) => void;
  /** Ends the attempt: its end for the health store, and its one statistics row. */
  encerrar: (fim: FimDaTentativa, dados: DadosDoRegistro) => void;
  enquadrar: Enquadrador;
};

type ChunkOpenAI = {
  choices?: unknown;
  usage?: Uso;
};

type EscolhaOpenAI = { delta?: { content?: unknown } | null; text?: unknown } | null | undefined;

/**
 * The relay of a server's OpenAI stream: each chunk passed on as it arrives, then the end; the events of each
 * batch the server sent go out together, in one write, framed by the door. The app reads each chunk only for
 * the statistics (first token, usage) and to know the answer is whole. A failure after the first byte cannot
 * move to another provider: the stream ends with an error event, which the SDKs raise.
 *
 * Whole means `[DONE]`, or a clean close once every choice the server opened has its `finish_reason`
 * (FimDasEscolhas; the usage chunk and `[DONE]` that every server in provider-apis.md sends after it may be
 * lost to a proxy). A close before that is a cut answer: an error, not a success with half the text.
 * Only a failure of the server (the connection, a deadline, a cut) marks it as failed for the balancing;
 * an error event is about this request.
 */
export function repassarOpenAI(primeiro: IteratorResult<string[]>, lotes: AsyncIterator<string[]>, o: OpcoesRepasse): StreamModelo {
  let primeiroToken: number | null = null;
  let uso: Uso = null;
  const escolhas = new FimDasEscolhas();
  let contado = false;
  const contar = (fim: FimDaTentativa, codigo_erro?: string) => {
    if (contado) return;
    contado = true;
    o.encerrar(fim, {
      sucesso: fim === "ok",
      ...(codigo_erro ? { codigo_erro } : {}),
      tempo_resposta_ms: arredondar(performance.now() - o.inicio),
      tempo_primeiro_token_ms: primeiroToken === null ? null : arredondar(primeiroToken - o.inicio),
      tokens_prompt: uso?.prompt_tokens ?? null,
      tokens_resposta: uso?.completion_tokens ?? null,
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
  /** Reads one chunk; the usage chunk only the app asked for is not passed on. */
  const ler = (dados: string): void => {
    noEvento = true;
    const chunk = jsonDoEventoOpenAI(dados) as ChunkOpenAI;
    noEvento = false;
    const lista = Array.isArray(chunk.choices) ? (chunk.choices as EscolhaOpenAI[]) : null;
    const escolha = lista?.[0];
    if (primeiroToken === null && (escolha?.delta?.content || escolha?.text)) primeiroToken = performance.now();
    escolhas.ver(lista);
    if (chunk.usage) uso = chunk.usage;
    if (!o.pediuUso && chunk.usage && !lista?.length) return;
    eventos.push({ tipo: "chunk", dados });
  };
  const escrever = (): Uint8Array => {
    const bytes = o.enquadrar(eventos);
    eventos.length = 0;
    return bytes;
  };

  async function* quadros(): AsyncGenerator<Uint8Array> {
    try {
      for (let atual = primeiro; ; atual = await lotes.next()) {
        if (atual.done && !escolhas.inteira) throw new ErroApp("provedor_erro", STREAM_CORTADO);
        // A whole answer that ends without [DONE] ends as if it had sent it.
        for (const dados of atual.done ? ["[DONE]"] : atual.value) {
          if (fimDoStreamOpenAI(dados)) {
            contar("ok");
            // The answer is whole: its deadlines end now and the connection goes back to the pool.
            void lotes.return?.(undefined).catch(() => {});
            o.fechar(true);
            eventos.push({ tipo: "fim", resposta: null });
            yield escrever();
            return;
          }
          ler(dados);
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
