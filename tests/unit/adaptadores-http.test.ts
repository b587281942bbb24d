import { describe, expect, it } from "vitest";
import { erroDeStatus, mensagemDeErro } from "@/lib/adapters/http";
import { FimDasEscolhas, lotesSSE, objetosNdjson } from "@/lib/adapters/ler-eventos-do-stream";
import { parametrosLegiveis } from "@/lib/adapters/llama-cpp";
import { textoSSE } from "@/lib/protocolo/sse";

async function* bytes(...partes: string[]): AsyncGenerator<Buffer> {
  for (const p of partes) yield Buffer.from(p);
}

function pedacos(...partes: string[]) {
  return { corpo: bytes(...partes) };
}

async function juntar<T>(it: AsyncIterable<T>): Promise<T[]> {
  const r: T[] = [];
  for await (const x of it) r.push(x);
  return r;
}

/** Every SSE payload in order, across batches. */
async function eventosSSE(r: Parameters<typeof lotesSSE>[0]): Promise<string[]> {
  return (await juntar(lotesSSE(r))).flat();
}

describe("stream readers", () => {
  it("SSE: one payload per event, whatever the chunk boundaries and line endings", async () => {
    const eventos = await eventosSSE(pedacos('data: {"a":', "1}\n\nda", 'ta: {"b":2}\r\n\r\n: comentário\n\nevent: x\ndata: [DONE]\n\n'));
    expect(eventos).toEqual(['{"a":1}', '{"b":2}', "[DONE]"]);
  });

  it("SSE: the events one chunk completes come as one batch, and a chunk that completes none yields nothing", async () => {
    const lotes = await juntar(lotesSSE(pedacos("data: 1\n\ndata: 2\n\ndata: 3", "\n", "\ndata: 4\n\n: só comentário\n\n")));
    expect(lotes).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("SSE as the spec reads it: data lines joined by a newline, CR line ends, a bare field name, an event cut at the end dropped", async () => {
    const eventos = await eventosSSE(
      pedacos('data: {"a":\ndata: 1}\n\n', "id: 7\rretry: 10\rdata: 2\r\r", "data\n\n", 'data: {"cortado":'),
    );
    expect(eventos).toEqual(['{"a":\n1}', "2", ""]);
  });

  it("SSE at the end of the stream: a last event with whole lines but no closing blank line is kept; one cut mid-line is not", async () => {
    const fim = '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';
    expect(await eventosSSE(pedacos("data: 1\n\n", `data: ${fim}\n`))).toEqual(["1", fim]);
    expect(await eventosSSE(pedacos("data: 1\n\n", `data: ${fim}\r`))).toEqual(["1", fim]);
    expect(await eventosSSE(pedacos("data: 1\n\n", `data: ${fim}`))).toEqual(["1"]);
  });

  it("SSE: comments (a proxy's `: PROCESSING` heartbeats) count as progress, like events", async () => {
    let progresso = 0;
    const lotes = await juntar(
      lotesSSE({ ...pedacos(": PROCESSING\n\n", ": PROCESSING\n\n", "data: 1\n\n"), progresso: () => progresso++ }),
    );
    expect(lotes).toEqual([["1"]]);
    expect(progresso).toBe(3);
  });

  it("SSE: each event's data can be rewritten as it is parsed (the key masking), in the same batches", async () => {
    const lotes = await juntar(lotesSSE(pedacos("data: a\n\ndata: b\n\n"), (d) => d.toUpperCase()));
    expect(lotes).toEqual([["A", "B"]]);
  });

  it("end of an OpenAI-style stream: whole once every choice it opened has finished; a finished choice never reopens", () => {
    const fim = new FimDasEscolhas();
    expect(fim.inteira).toBe(false);
    fim.ver([{ index: 0, delta: { role: "assistant" }, finish_reason: null }]);
    fim.ver([{ index: 1, delta: { content: "x" }, finish_reason: null }]);
    fim.ver([{ index: 0, delta: {}, finish_reason: "stop" }]);
    expect(fim.inteira).toBe(false);
    fim.ver([{ index: 1, delta: {}, finish_reason: "length" }]);
    expect(fim.inteira).toBe(true);
    // A proxy's timings chunk after the finish, same index, finish_reason null: still whole.
    fim.ver([{ index: 0, delta: {}, finish_reason: null }]);
    // Chunks without choices, or with choices that are not objects, change nothing (and do not throw).
    fim.ver([]);
    fim.ver(undefined);
    fim.ver([null, 3]);
    expect(fim.inteira).toBe(true);

    // Without index, the position is the choice.
    const semIndice = new FimDasEscolhas();
    semIndice.ver([{ delta: { content: "a" }, finish_reason: null }]);
    semIndice.ver([{ delta: {}, finish_reason: "stop" }]);
    expect(semIndice.inteira).toBe(true);
  });

  it("SSE frames: data holding line breaks goes out as one data line per line", () => {
    expect(textoSSE('{"a":\n1}')).toBe('data: {"a":\ndata: 1}\n\n');
    expect(textoSSE("x\r\ny", "delta")).toBe("event: delta\ndata: x\ndata: y\n\n");
    expect(textoSSE("[DONE]")).toBe("data: [DONE]\n\n");
  });

  it("SSE: multi-byte characters split across chunks stay whole", async () => {
    const texto = Buffer.from('data: {"t":"olá 文"}\n\n');
    const corte = texto.indexOf(Buffer.from("文")) + 1;
    const eventos = await eventosSSE({
      corpo: (async function* () {
        yield texto.subarray(0, corte);
        yield texto.subarray(corte);
      })(),
    });
    expect(eventos).toEqual(['{"t":"olá 文"}']);
  });

  it("NDJSON: one line per object, blank lines ignored, last line without newline kept", async () => {
    expect(await juntar(objetosNdjson(pedacos('{"a":1}\n\n{"b"', ':2}\n{"c":3}')))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it("counts each whole event (and comment) as progress, not each byte or blank line", async () => {
    let progresso = 0;
    const r = { corpo: bytes("\n", "\n", "da", "ta: 1", "\n\n", ": comentário\n\n", "data: 2\n\n"), progresso: () => (progresso += 1) };
    expect(await eventosSSE(r)).toEqual(["1", "2"]);
    expect(progresso).toBe(3);
  });

  it("ends a line longer than 1 MiB with provedor_erro, without waiting for its newline", async () => {
    const MiB = "x".repeat(1024 * 1024);
    let lidos = 0;
    async function* semFim(): AsyncGenerator<Buffer> {
      for (;;) {
        lidos += 1;
        yield Buffer.from(lidos === 1 ? `data: ${MiB}` : "x".repeat(64 * 1024));
      }
    }
    await expect(eventosSSE({ corpo: semFim() })).rejects.toMatchObject({ codigo: "provedor_erro" });
    expect(lidos).toBeLessThan(4);
    await expect(juntar(objetosNdjson({ corpo: semFim() }))).rejects.toMatchObject({ codigo: "provedor_erro" });
  });

  it("bounds an SSE event made of many data lines like a line", async () => {
    const linha = `data: ${"y".repeat(100 * 1024)}\n`;
    async function* muitas(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 20; i++) yield Buffer.from(linha);
    }
    await expect(eventosSSE({ corpo: muitas() })).rejects.toMatchObject({ codigo: "provedor_erro" });
  });
});

describe("server errors → contract codes", () => {
  const alvo = { base_url: "http://localhost:1234" };
  it.each([
    [401, { error: { message: "Invalid API Key", type: "authentication_error", code: 401 } }, "provedor_autenticacao"],
    [403, "", "provedor_autenticacao"],
    [404, { error: "model 'x' not found" }, "modelo_nao_encontrado"],
    [404, { error: { message: 'Model "x" not found. Please specify a valid model.', code: "model_not_found" } }, "modelo_nao_encontrado"],
    [
      400,
      { error: { message: "No models loaded. Please load a model in the developer page or use the 'lms load' command." } },
      "modelo_nao_encontrado",
    ],
    [503, { error: { code: 503, message: "Loading model", type: "unavailable_error" } }, "provedor_erro"],
    [500, { error: { code: 500, message: "[json.exception.parse_error.101] parse error", type: "server_error" } }, "provedor_erro"],
    [404, { error: { code: 404, message: "File Not Found", type: "not_found_error" } }, "provedor_erro"],
    [400, { error: { code: 400, message: "request (816 tokens) exceeds the available context size (512 tokens)" } }, "provedor_erro"],
  ] as const)("HTTP %i %j → %s", (status, corpo, codigo) => {
    const e = erroDeStatus(status, corpo, alvo);
    expect(e.codigo).toBe(codigo);
    expect(e.message.length).toBeGreaterThan(15);
  });

  it("keeps the server's own message for a person to read", () => {
    expect(
      erroDeStatus(400, { error: { message: "request (816 tokens) exceeds the available context size (512 tokens)" } }, alvo).message,
    ).toContain("816 tokens");
    expect(erroDeStatus(503, { error: { message: "Loading model" } }, alvo).message).toContain("carregando o modelo");
  });

  it("reads the error bodies each server sends", () => {
    expect(mensagemDeErro({ error: "Unexpected endpoint or method. (GET /x)" })).toBe("Unexpected endpoint or method. (GET /x)");
    expect(mensagemDeErro({ error: { message: "m", type: "t" } })).toBe("m");
    expect(mensagemDeErro({ data: [] })).toBeNull();
    expect(mensagemDeErro(null)).toBeNull();
  });
});

describe("parametrosLegiveis", () => {
  it.each([
    [4178240, "4.2M"],
    [8030261248, "8.0B"],
    [0, null],
    [null, null],
    [999, "999"],
  ] as const)("%s → %s", (n, texto) => {
    expect(parametrosLegiveis(n)).toBe(texto);
  });
});
