import { FimDasEscolhas, fimDoStreamOpenAI, jsonDoEventoOpenAI, STREAM_CORTADO } from "../adapters/leitores";
import type { RegistroRequisicao } from "../estatisticas/registrar";
import { comoErroApp, ErroApp, erroNoFormatoOpenAI } from "../errors";
import { bytesSSE, textoSSE } from "../protocolo/sse";
import { type FimDaTentativa, fimDoErro } from "./rotear";

export type Uso = { prompt_tokens?: number; completion_tokens?: number } | null | undefined;

export type OpcoesRepasse = {
  envio: number;
  pediuUso: boolean;
  fechar: (lida?: boolean) => void;
  registrar: (x: Partial<RegistroRequisicao> & Pick<RegistroRequisicao, "sucesso" | "tempo_resposta_ms">) => Promise<void>;
  /** The attempt is over (for the balancing's count of requests in flight). */
  terminou: (fim: FimDaTentativa) => void;
};

/**
 * A stream handed to the writer, and how to settle it: `descartar` ends the attempt (upstream closed, counted
 * as cancelled) unless the stream already settled it, and does nothing on a second call. The writer calls it
 * once it is done, however it ended: a stream it never read (the response failed before the first frame)
 * would otherwise never run its `finally`, and the attempt would stay in flight with no statistics row.
 */
export type StreamRepassado = { stream: AsyncIterable<Uint8Array>; descartar: () => void };

type ChunkOpenAI = {
  choices?: unknown;
  usage?: Uso;
};

type EscolhaOpenAI = { delta?: { content?: unknown } | null; text?: unknown } | null | undefined;

const arredondar = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The server's SSE, passed on as it arrives (`data: {chunk}`), then `data: [DONE]`: the events of each chunk
 * the server sent go out together, in one write. The app reads each chunk only for the statistics (first
 * token, usage) and to know the answer is whole. A failure after the first byte cannot move to another
 * provider: the stream ends with an error event in OpenAI's shape, which the SDKs raise.
 *
 * Whole means `[DONE]`, or a clean close once every choice the server opened has its `finish_reason`
 * (FimDasEscolhas; the usage chunk and `[DONE]` that every server in provider-apis.md sends after it may be
 * lost to a proxy). A close before that is a cut answer: an error, not a success with half the text.
 * Only a failure of the server (the connection, a deadline, a cut) marks it as failed for the balancing;
 * an error event is about this request.
 */
export function repassarStream(primeiro: IteratorResult<string[]>, lotes: AsyncIterator<string[]>, o: OpcoesRepasse): StreamRepassado {
  let primeiroToken: number | null = null;
  let uso: Uso = null;
  const escolhas = new FimDasEscolhas();
  let contado = false;
  const contar = (fim: FimDaTentativa, codigo_erro?: string) => {
    if (contado) return;
    contado = true;
    o.terminou(fim);
    void o.registrar({
      sucesso: fim === "ok",
      ...(codigo_erro ? { codigo_erro } : {}),
      tempo_resposta_ms: arredondar(performance.now() - o.envio),
      tempo_primeiro_token_ms: primeiroToken === null ? null : arredondar(primeiroToken - o.envio),
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
  /** The frame to send for one event; nothing for the usage chunk only the app asked for. */
  const traduzir = (dados: string): string => {
    noEvento = true;
    const chunk = jsonDoEventoOpenAI(dados) as ChunkOpenAI;
    noEvento = false;
    const lista = Array.isArray(chunk.choices) ? (chunk.choices as EscolhaOpenAI[]) : null;
    const escolha = lista?.[0];
    if (primeiroToken === null && (escolha?.delta?.content || escolha?.text)) primeiroToken = performance.now();
    escolhas.ver(lista);
    if (chunk.usage) uso = chunk.usage;
    if (!o.pediuUso && chunk.usage && !lista?.length) return "";
    return textoSSE(dados);
  };

  async function* quadros(): AsyncGenerator<Uint8Array> {
    /** Frames of the current batch not sent yet: an error midway still sends the events before it. */
    let quadros = "";
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
            yield bytesSSE(quadros + textoSSE("[DONE]"));
            return;
          }
          quadros += traduzir(dados);
        }
        if (quadros) yield bytesSSE(quadros);
        quadros = "";
      }
    } catch (e) {
      const erro = comoErroApp(e);
      contar(noEvento ? "erro" : fimDoErro(erro), erro.codigo);
      o.fechar();
      yield bytesSSE(quadros + textoSSE(JSON.stringify(erroNoFormatoOpenAI(erro))));
    } finally {
      cortar();
    }
  }
  return { stream: quadros(), descartar: cortar };
}
