import "server-only";
import { createParser } from "eventsource-parser";
import { ErroApp } from "../errors";
import { mensagemDeErro } from "./http";

/** The longest line (an SSE field, an NDJSON object) a server may send; past it the stream ends as an error. */
export const LIMITE_LINHA = 1024 * 1024;

/** A streamed answer being read: its bytes, and how to tell the HTTP layer that a whole event arrived. */
export type CorpoEmStream = { corpo: AsyncIterable<Buffer>; progresso?: () => void };

function linhaLonga(): ErroApp {
  return new ErroApp(
    "provedor_erro",
    `O servidor enviou uma linha de stream com mais de ${LIMITE_LINHA / 1024 / 1024} MiB: a resposta foi interrompida.`,
  );
}

/**
 * Splits a byte stream into lines, whatever the chunk boundaries (UTF-8 safe), without a generator of its own:
 * the NDJSON reader below calls it per chunk, with no async step per line. Each chunk is scanned once,
 * and a line is held only up to LIMITE_LINHA characters.
 */
class DivisorDeLinhas {
  private readonly decodificador = new TextDecoder();
  private pendentes: string[] = [];
  private tamanhoPendente = 0;

  /** The whole lines this chunk completes. */
  receber(pedaco: Buffer): string[] {
    const texto = this.decodificador.decode(pedaco, { stream: true });
    const prontas: string[] = [];
    let inicio = 0;
    for (let fim = texto.indexOf("\n"); fim >= 0; fim = texto.indexOf("\n", inicio)) {
      if (this.tamanhoPendente + fim - inicio > LIMITE_LINHA) throw linhaLonga();
      prontas.push(this.juntar(texto.slice(inicio, fim)));
      inicio = fim + 1;
    }
    if (inicio < texto.length) {
      this.tamanhoPendente += texto.length - inicio;
      if (this.tamanhoPendente > LIMITE_LINHA) throw linhaLonga();
      this.pendentes.push(texto.slice(inicio));
    }
    return prontas;
  }

  /** What is left after the last newline, if anything. */
  terminar(): string | null {
    return this.juntar(this.decodificador.decode()) || null;
  }

  private juntar(fim: string): string {
    const linha = this.pendentes.length ? this.pendentes.join("") + fim : fim;
    this.pendentes = [];
    this.tamanhoPendente = 0;
    return linha.endsWith("\r") ? linha.slice(0, -1) : linha;
  }
}

/**
 * The `data` of each event of a Server-Sent Events stream, parsed as the spec says (eventsource-parser:
 * LF, CR or CRLF line ends, `data:` lines joined by "\n", comments, `event:`/`id:`/`retry:`, an event cut
 * by the end of the stream dropped), as the batches each chunk of bytes completes (never empty). Two
 * leniencies: a last event whose lines are whole but that lacks only its closing blank line is kept (a
 * server that ends with `data: {…}\n`), and comments count as progress like events (the `: PROCESSING`
 * heartbeats proxies send while a long prompt is read renew the silence deadline; the stream's total
 * limit, LIMITE_STREAM_MS, still holds). A relay handles a batch in one step: a chunk of ten events costs one pass through the
 * async layers above, not ten. An event (or line) past LIMITE_LINHA ends the stream as an error. `limpar`
 * rewrites each event's data as it is parsed (the key masking), with no step of its own.
 */
export async function* lotesSSE(r: CorpoEmStream, limpar?: (dados: string) => string): AsyncGenerator<string[]> {
  const decodificador = new TextDecoder();
  let lote: string[] = [];
  let passou = false;
  /** Whether the text fed so far ends a line (then the end of the stream may stand for the blank line). */
  let fimDeLinha = true;
  const leitor = createParser({
    onEvent: (evento) => {
      lote.push(limpar ? limpar(evento.data) : evento.data);
      r.progresso?.();
    },
    onComment: () => r.progresso?.(),
    // Unknown fields and a bad `retry` are ignored, as the spec says; only the size cap stops the stream.
    onError: (e) => {
      if (e.type === "max-buffer-size-exceeded") passou = true;
    },
    maxBufferSize: LIMITE_LINHA,
  });
  for await (const pedaco of r.corpo) {
    const texto = decodificador.decode(pedaco, { stream: true });
    if (texto) fimDeLinha = texto.endsWith("\n") || texto.endsWith("\r");
    leitor.feed(texto);
    if (passou) throw linhaLonga();
    if (lote.length) {
      yield lote;
      lote = [];
    }
  }
  const resto = decodificador.decode();
  leitor.feed(resto);
  if (fimDeLinha && !resto) leitor.feed("\n\n");
  if (lote.length) yield lote;
}

/** An OpenAI-style stream closed before it was whole (see FimDasEscolhas). */
export const STREAM_CORTADO = "O servidor encerrou o stream antes do fim da resposta (sem finish_reason nem [DONE]).";

/**
 * Whether an OpenAI-style stream is whole without its `[DONE]`, for both doors: once every choice it opened
 * (by `index`, else position) has its `finish_reason`. A finished choice stays finished: a chunk that comes
 * after with the same index and `finish_reason: null` (a proxy's usage or timings chunk) does not reopen it.
 */
export class FimDasEscolhas {
  private readonly abertas = new Set<number>();
  private readonly terminadas = new Set<number>();

  ver(escolhas: unknown): void {
    if (!Array.isArray(escolhas)) return;
    for (let i = 0; i < escolhas.length; i++) {
      const e: unknown = escolhas[i];
      if (e === null || typeof e !== "object") continue;
      const { index, finish_reason } = e as { index?: unknown; finish_reason?: unknown };
      const indice = typeof index === "number" ? index : i;
      if (finish_reason != null) {
        this.abertas.delete(indice);
        this.terminadas.add(indice);
      } else if (!this.terminadas.has(indice)) this.abertas.add(indice);
    }
  }

  get inteira(): boolean {
    return this.terminadas.size > 0 && this.abertas.size === 0;
  }
}

/** The payload that ends an OpenAI-style stream. */
export function fimDoStreamOpenAI(dados: string): boolean {
  return dados.trim() === "[DONE]";
}

/**
 * One event of an OpenAI-style stream as JSON. An event that is not JSON, or the server's own `error` in its
 * place (an error after output started, status 200), ends the stream as provedor_erro.
 */
export function jsonDoEventoOpenAI(dados: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(dados);
  } catch {
    throw new ErroApp("provedor_erro", "O servidor enviou um evento de stream que não é JSON.");
  }
  const embutido = mensagemDeErro(json);
  if (embutido) throw new ErroApp("provedor_erro", `O servidor interrompeu a resposta com erro: ${embutido}`);
  return json;
}

/** One JSON value per non-empty line (Ollama's application/x-ndjson); each one counts as progress. */
export async function* objetosNdjson(r: CorpoEmStream): AsyncGenerator<string> {
  const divisor = new DivisorDeLinhas();
  for await (const pedaco of r.corpo) {
    for (const linha of divisor.receber(pedaco)) {
      if (!linha.trim()) continue;
      r.progresso?.();
      yield linha;
    }
  }
  const resto = divisor.terminar();
  if (resto?.trim()) {
    r.progresso?.();
    yield resto;
  }
}
