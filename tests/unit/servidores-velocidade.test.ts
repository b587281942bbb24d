import { afterEach, describe, expect, it } from "vitest";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { esperarAte } from "../support/portas";

// The test servers' set speed, which a benchmark's tests rely on: what a client sees on the wire (first token,
// the tokens' pace, the server's own timings) checked within 10 % of what was set.

const abertos: ServidorFalso[] = [];
afterEach(async () => {
  await Promise.all(abertos.splice(0).map((s) => s.parar()));
});
async function iniciar<T extends ServidorFalso>(s: T): Promise<T> {
  abertos.push(await s.iniciar());
  return s;
}

/** A prompt of `n` words (a chat's prompt tokens are its words + 4). */
const palavras = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`).join(" ");
const proximo = (medido: number, esperado: number) => expect(Math.abs(medido - esperado)).toBeLessThanOrEqual(esperado * 0.1);

const postar = (url: string, corpo: unknown, signal?: AbortSignal) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(corpo), signal });

type Evento = { em: number; dados: Record<string, unknown> };
/** Reads a stream to its end: each event (an SSE `data:` or an NDJSON line) with when it arrived, from `inicio`. */
async function eventos(r: Response, inicio: number, separador: "sse" | "ndjson"): Promise<Evento[]> {
  const lidos: Evento[] = [];
  const leitor = r.body!.getReader();
  const decodificador = new TextDecoder();
  let resto = "";
  for (let p = await leitor.read(); !p.done; p = await leitor.read()) {
    const em = performance.now() - inicio;
    resto += decodificador.decode(p.value, { stream: true });
    const partes = resto.split(separador === "sse" ? "\n\n" : "\n");
    resto = partes.pop() ?? "";
    for (const parte of partes) {
      const json = separador === "sse" ? parte.replace(/^data: /, "") : parte;
      if (json && json !== "[DONE]") lidos.push({ em, dados: JSON.parse(json) as Record<string, unknown> });
    }
  }
  return lidos;
}
type Delta = { choices: { delta: { content?: string | null } }[] };
const comTexto = (es: Evento[]) => es.filter((e) => typeof (e.dados as Delta).choices?.[0]?.delta?.content === "string");

describe("llama.cpp at a set speed", () => {
  it("prefill 2000 tok/s, generation 100 tok/s: first token of a 1000-token prompt at ≈ 500 ms, 50 tokens over ≈ 490 ms, timings the same", async () => {
    const s = await iniciar(new LlamaCppFalso({ slots: 2, velocidade: { prefillTokensS: 2000, geracaoTokensS: 100 } }));
    const inicio = performance.now();
    const r = await postar(`${s.url}/v1/chat/completions`, {
      model: "x",
      messages: [{ role: "user", content: palavras(996) }],
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
      cache_prompt: false,
      ignore_eos: true,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/event-stream");
    const lidos = await eventos(r, inicio, "sse");
    const tokens = comTexto(lidos);
    expect(tokens).toHaveLength(50);
    proximo(tokens[0]!.em, 500);
    proximo(tokens.at(-1)!.em - tokens[0]!.em, 490);
    const fim = lidos.find((e) => (e.dados.choices as unknown[]).length === 0)!.dados as {
      usage: { prompt_tokens: number; completion_tokens: number };
      timings: Record<string, number>;
    };
    expect(fim.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 50 });
    expect(fim.timings).toMatchObject({ prompt_n: 1000, predicted_n: 50, cache_n: 0 });
    proximo(fim.timings.prompt_ms!, 500);
    proximo(fim.timings.prompt_per_second!, 2000);
    proximo(fim.timings.predicted_ms!, 490);
    proximo(fim.timings.predicted_per_second!, 100);
    // The finish chunk says why it stopped: the asked number of tokens was reached.
    expect(lidos.some((e) => (e.dados as { choices: { finish_reason: string | null }[] }).choices[0]?.finish_reason === "length")).toBe(
      true,
    );
  });

  it("a whole answer waits the same and carries the timings; 128 tokens when none is asked; comTimings false leaves them out", async () => {
    const s = await iniciar(new LlamaCppFalso({ velocidade: { prefillTokensS: 1000, geracaoTokensS: 1000 } }));
    const inicio = performance.now();
    const r = await postar(`${s.url}/v1/chat/completions`, { messages: [{ role: "user", content: palavras(196) }] });
    const corpo = (await r.json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { completion_tokens: number; prompt_tokens: number };
      timings: Record<string, number>;
    };
    // 200 ms of prefill, then 127 ms for the tokens after the first.
    proximo(performance.now() - inicio, 327);
    expect(corpo.usage).toMatchObject({ prompt_tokens: 200, completion_tokens: 128 });
    expect(corpo.choices[0]!.message.content.match(/\S+/g)).toHaveLength(128);
    expect(corpo.choices[0]!.finish_reason).toBe("stop");
    proximo(corpo.timings.prompt_ms!, 200);
    expect(corpo.timings.predicted_n).toBe(128);

    s.velocidade = { prefillTokensS: 1000, geracaoTokensS: 1000, comTimings: false };
    const semTimings = (await (
      await postar(`${s.url}/v1/chat/completions`, { messages: [{ role: "user", content: "oi" }], n_predict: 5 })
    ).json()) as Record<string, unknown>;
    expect(semTimings).not.toHaveProperty("timings");
    expect(semTimings.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 5 });
  });

  it("4 at once on 2 slots: the last two wait for a slot, and their first token comes after the first two ended", async () => {
    const s = await iniciar(new LlamaCppFalso({ slots: 2, velocidade: { prefillTokensS: 1000, geracaoTokensS: 100 } }));
    const inicio = performance.now();
    const corpo = { messages: [{ role: "user", content: palavras(96) }], max_tokens: 11, stream: true };
    const todos = await Promise.all(
      Array.from({ length: 4 }, async () => comTexto(await eventos(await postar(`${s.url}/v1/chat/completions`, corpo), inicio, "sse"))),
    );
    // Each runs 100 ms of prefill then 100 ms for its tokens: the first two end at ≈ 200 ms, the others start then.
    const primeiros = todos.map((t) => t[0]!.em).sort((a, b) => a - b);
    const ultimos = todos.map((t) => t.at(-1)!.em).sort((a, b) => a - b);
    proximo(primeiros[1]!, 100);
    expect(primeiros[2]!).toBeGreaterThanOrEqual(ultimos[1]!);
    proximo(primeiros[3]!, 300);
    proximo(ultimos[3]!, 400);
    expect(s.maxEmVoo).toBe(2);
    expect(s.vagas.maxEsperando).toBe(2);
    expect(s.emVooAgora).toBe(0);
  });

  it("a client that leaves mid-stream: the stream stops at once, counted as abandoned, its slot free", async () => {
    const s = await iniciar(new LlamaCppFalso({ velocidade: { prefillTokensS: 10_000, geracaoTokensS: 20 } }));
    const saida = new AbortController();
    const r = await postar(`${s.url}/v1/chat/completions`, { messages: [{ role: "user", content: "oi" }], stream: true }, saida.signal);
    const leitor = r.body!.getReader();
    expect((await leitor.read()).done).toBe(false);
    expect(s.emVooAgora).toBe(1);
    const saiuEm = performance.now();
    saida.abort();
    await esperarAte(async () => s.streamsAbandonados === 1 && s.emVooAgora === 0, 1000, "o stream fechado");
    expect(performance.now() - saiuEm).toBeLessThan(1000);
    expect(s.vagas.ocupadas).toBe(0);
  });

  it("/tokenize gives one id per word (BOS first with add_special), /detokenize gives the text back", async () => {
    const s = await iniciar(new LlamaCppFalso());
    const texto = "What is the capital of France ?";
    const { tokens } = (await (await postar(`${s.url}/tokenize`, { content: texto })).json()) as { tokens: number[] };
    expect(tokens).toHaveLength(7);
    const comBos = (await (await postar(`${s.url}/tokenize`, { content: texto, add_special: true })).json()) as { tokens: number[] };
    expect(comBos.tokens).toEqual([1, ...tokens]);
    const pecas = (await (await postar(`${s.url}/tokenize`, { content: "a b", with_pieces: true })).json()) as {
      tokens: { id: number; piece: string }[];
    };
    expect(pecas.tokens.map((t) => t.piece)).toEqual(["a", " b"]);
    const { content } = (await (await postar(`${s.url}/detokenize`, { tokens })).json()) as { content: string };
    expect(content).toBe(texto);
  });
});

describe("Ollama at a set speed", () => {
  it("/api/chat streams NDJSON at the pace set, its final line with the durations it measured (ns)", async () => {
    const s = await iniciar(new OllamaFalso({ paralelo: 1, velocidade: { prefillTokensS: 1000, geracaoTokensS: 100 } }));
    const modelo = s.modelos[0]!.id;
    const inicio = performance.now();
    const r = await postar(`${s.url}/api/chat`, {
      model: modelo,
      messages: [{ role: "user", content: palavras(196) }],
      options: { num_predict: 30 },
    });
    expect(r.headers.get("content-type")).toBe("application/x-ndjson");
    const linhas = await eventos(r, inicio, "ndjson");
    const tokens = linhas.filter((l) => l.dados.done === false);
    expect(tokens).toHaveLength(30);
    proximo(tokens[0]!.em, 200);
    proximo(tokens.at(-1)!.em - tokens[0]!.em, 290);
    const fim = linhas.at(-1)!.dados as Record<string, number | string>;
    expect(fim).toMatchObject({ done: true, done_reason: "length", prompt_eval_count: 200, eval_count: 30 });
    proximo(Number(fim.prompt_eval_duration) / 1e6, 200);
    proximo(Number(fim.eval_duration) / 1e6, 290);
    proximo(Number(fim.total_duration) / 1e6, 490);
  });

  it("/api/generate whole, at the pace set; comTimings false keeps only the counts", async () => {
    const s = await iniciar(new OllamaFalso({ velocidade: { prefillTokensS: 500, geracaoTokensS: 200, comTimings: false } }));
    const modelo = s.modelos[0]!.id;
    const inicio = performance.now();
    const r = await postar(`${s.url}/api/generate`, { model: modelo, prompt: palavras(96), stream: false, options: { num_predict: 21 } });
    const corpo = (await r.json()) as Record<string, unknown>;
    proximo(performance.now() - inicio, 300);
    expect(corpo).toMatchObject({ done: true, prompt_eval_count: 100, eval_count: 21 });
    expect(String(corpo.response).match(/\S+/g)).toHaveLength(21);
    expect(corpo).not.toHaveProperty("eval_duration");
    expect(corpo).not.toHaveProperty("prompt_eval_duration");
  });
});

describe("LM Studio and a generic proxy at a set speed", () => {
  it("LM Studio's /api/v0/chat/completions carries the stats it measured (s), and usage", async () => {
    const s = await iniciar(
      new LmStudioFalso({ modelos: [{ id: "m", carregado: true }], velocidade: { prefillTokensS: 1000, geracaoTokensS: 100 } }),
    );
    const corpo = (await (
      await postar(`${s.url}/api/v0/chat/completions`, { model: "m", messages: [{ role: "user", content: palavras(146) }], max_tokens: 21 })
    ).json()) as { stats: Record<string, number | string>; usage: Record<string, number>; model_info: unknown };
    expect(corpo.usage).toMatchObject({ prompt_tokens: 150, completion_tokens: 21 });
    proximo(Number(corpo.stats.time_to_first_token), 0.15);
    proximo(Number(corpo.stats.generation_time), 0.2);
    proximo(Number(corpo.stats.tokens_per_second), 105);
    expect(corpo.stats.stop_reason).toBe("maxPredictedTokensReached");
    expect(corpo.model_info).toMatchObject({ format: "gguf" });
  });

  it("the OpenAI-compatible proxy streams at the pace set, with usage and no timings of its own", async () => {
    const s = await iniciar(
      new OpenAICompativelFalso({ modelos: [{ id: "m" }], velocidade: { prefillTokensS: 1000, geracaoTokensS: 50 } }),
    );
    const inicio = performance.now();
    const r = await postar(`${s.url}/v1/chat/completions`, {
      model: "m",
      messages: [{ role: "user", content: palavras(96) }],
      max_completion_tokens: 11,
      stream: true,
      stream_options: { include_usage: true },
    });
    const lidos = await eventos(r, inicio, "sse");
    const tokens = comTexto(lidos);
    expect(tokens).toHaveLength(11);
    proximo(tokens[0]!.em, 100);
    proximo(tokens.at(-1)!.em - tokens[0]!.em, 200);
    const uso = lidos.at(-1)!.dados;
    expect(uso.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 11 });
    expect(uso).not.toHaveProperty("timings");
    expect(s.maxEmVoo).toBe(1);
  });
});
