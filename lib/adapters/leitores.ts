/** Splits a byte stream into lines, whatever the chunk boundaries (UTF-8 safe). */
export async function* linhas(corpo: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decodificador = new TextDecoder();
  let resto = "";
  for await (const pedaco of corpo) {
    resto += decodificador.decode(pedaco, { stream: true });
    let fim: number;
    while ((fim = resto.indexOf("\n")) >= 0) {
      const linha = resto.slice(0, fim).replace(/\r$/, "");
      resto = resto.slice(fim + 1);
      yield linha;
    }
  }
  resto += decodificador.decode();
  if (resto) yield resto.replace(/\r$/, "");
}

/** The `data:` payloads of a Server-Sent Events stream, one per event. */
export async function* eventosSSE(corpo: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let dados: string[] = [];
  for await (const linha of linhas(corpo)) {
    if (linha === "") {
      if (dados.length) yield dados.join("\n");
      dados = [];
    } else if (linha.startsWith("data:")) {
      dados.push(linha.slice(linha.startsWith("data: ") ? 6 : 5));
    }
    // "event:", "id:", "retry:" and ": comments" carry nothing the OpenAI shape needs.
  }
  if (dados.length) yield dados.join("\n");
}

/** One parsed JSON value per non-empty line (Ollama's application/x-ndjson). */
export async function* objetosNdjson(corpo: AsyncIterable<Buffer>): AsyncGenerator<string> {
  for await (const linha of linhas(corpo)) if (linha.trim()) yield linha;
}
