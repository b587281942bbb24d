import { ErroApp } from "../errors";

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
 * Splits a byte stream into lines, whatever the chunk boundaries (UTF-8 safe). Each chunk is scanned once,
 * and a line is held only up to LIMITE_LINHA characters.
 */
export async function* linhas(corpo: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decodificador = new TextDecoder();
  let pendentes: string[] = [];
  let tamanhoPendente = 0;
  const juntar = (fim: string) => {
    const linha = pendentes.length ? pendentes.join("") + fim : fim;
    pendentes = [];
    tamanhoPendente = 0;
    return linha.endsWith("\r") ? linha.slice(0, -1) : linha;
  };
  for await (const pedaco of corpo) {
    const texto = decodificador.decode(pedaco, { stream: true });
    let inicio = 0;
    for (let fim = texto.indexOf("\n"); fim >= 0; fim = texto.indexOf("\n", inicio)) {
      if (tamanhoPendente + fim - inicio > LIMITE_LINHA) throw linhaLonga();
      yield juntar(texto.slice(inicio, fim));
      inicio = fim + 1;
    }
    if (inicio < texto.length) {
      tamanhoPendente += texto.length - inicio;
      if (tamanhoPendente > LIMITE_LINHA) throw linhaLonga();
      pendentes.push(texto.slice(inicio));
    }
  }
  const resto = juntar(decodificador.decode());
  if (resto) yield resto;
}

/** The `data:` payloads of a Server-Sent Events stream, one per event; each one counts as progress. */
export async function* eventosSSE(r: CorpoEmStream): AsyncGenerator<string> {
  let dados: string[] = [];
  let tamanho = 0;
  for await (const linha of linhas(r.corpo)) {
    if (linha === "") {
      if (dados.length) {
        r.progresso?.();
        yield dados.join("\n");
      }
      dados = [];
      tamanho = 0;
    } else if (linha.startsWith("data:")) {
      const valor = linha.slice(linha.startsWith("data: ") ? 6 : 5);
      // An event is several data lines joined: bounded as a whole, like a line.
      tamanho += valor.length;
      if (tamanho > LIMITE_LINHA) throw linhaLonga();
      dados.push(valor);
    }
    // "event:", "id:", "retry:" and ": comments" carry nothing the OpenAI shape needs.
  }
  if (dados.length) yield dados.join("\n");
}

/** One JSON value per non-empty line (Ollama's application/x-ndjson); each one counts as progress. */
export async function* objetosNdjson(r: CorpoEmStream): AsyncGenerator<string> {
  for await (const linha of linhas(r.corpo)) {
    if (!linha.trim()) continue;
    r.progresso?.();
    yield linha;
  }
}
