/** Reads our own SSE answer (event: delta|fim|erro) from a fetch body, calling back per event. */
export async function lerEventosSSE(corpo: ReadableStream<Uint8Array>, aoEvento: (evento: string, dados: unknown) => void): Promise<void> {
  const leitor = corpo.getReader();
  const decodificador = new TextDecoder();
  let resto = "";
  for (;;) {
    const { value, done } = await leitor.read();
    if (done) break;
    resto += decodificador.decode(value, { stream: true });
    for (let fim = resto.indexOf("\n\n"); fim >= 0; fim = resto.indexOf("\n\n")) {
      const bloco = resto.slice(0, fim);
      resto = resto.slice(fim + 2);
      const evento = /^event: (.*)$/m.exec(bloco)?.[1] ?? "message";
      const dados = /^data: (.*)$/m.exec(bloco)?.[1];
      if (dados !== undefined) aoEvento(evento, JSON.parse(dados));
    }
  }
}
