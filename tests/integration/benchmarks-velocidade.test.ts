import { describe, expect, it } from "vitest";
import type { Benchmark, CelulaBenchmark } from "@/lib/schemas/benchmark";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { OllamaFalso } from "../servidores/ollama";
import type { Velocidade } from "../servidores/velocidade";
import { api } from "../support/contexto";
import { esperarAte } from "../support/portas";
import { modeloUnico, provedorTestado, servidoresDoArquivo } from "../support/streams";

// A benchmark's figures against test servers whose speed is set (tests/servidores/velocidade.ts): within 10 % of
// the set prefill and generation speeds, from the server's own timings and, without them, from the app's clock;
// and the aggregate of 4 streams on a 2-slot server flattening at the server's capacity.

const servidor = servidoresDoArquivo();

async function rodar(id: number, corpo: Record<string, unknown>): Promise<Benchmark> {
  const r = await api(`/${id}/benchmarks`, { method: "POST", json: corpo });
  expect(r.status, await r.clone().text()).toBe(202);
  const { id: bid } = (await r.json()) as Benchmark;
  let b: Benchmark | null = null;
  await esperarAte(
    async () => {
      b = (await (await api(`/${id}/benchmarks/${bid}`)).json()) as Benchmark;
      return b.estado !== "executando";
    },
    20_000,
    `o fim do benchmark ${bid}`,
  );
  expect(b!.estado, b!.erro ?? "").toBe("concluido");
  return b!;
}

const perto = (medido: number | null, esperado: number) => {
  expect(medido).not.toBeNull();
  expect(Math.abs(medido! - esperado) / esperado, `${medido} ≈ ${esperado}`).toBeLessThan(0.1);
};

async function llama(velocidade: Velocidade, slots = 1) {
  const modelo = modeloUnico("vel");
  const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo, carregado: true, contexto: 8192 }], slots, velocidade }));
  return { falso, modelo, id: await provedorTestado("llama_cpp", falso) };
}

/** Prefill 2 000 tokens/s, generation 150 tokens/s: a 400-token prompt takes 200 ms, 30 tokens 200 ms. */
const P = 2000;
const G = 150;
const PERFIL = { tokens_prompt: [400], tokens_resposta: 30, concorrencias: [1], repeticoes: 3 };

describe("benchmarks: the figures match the server's speed", () => {
  it("llama.cpp with timings: prefill and generation within 10 %, fonte servidor, prompts sized by its tokenizer", async () => {
    const { id, modelo } = await llama({ prefillTokensS: P, geracaoTokensS: G });
    const b = await rodar(id, { modelo, ...PERFIL });
    const [c] = b.celulas as [CelulaBenchmark];
    expect(c.fonte).toBe("servidor");
    perto(c.prefill_tokens_s, P);
    perto(c.geracao_tokens_s, G);
    // The time to first token is the prefill (400 tokens at 2 000/s), plus little.
    perto(c.ttft_p50_ms, (c.tokens_prompt_medidos! / P) * 1000);
    perto(c.tokens_prompt_medidos, 400);
    expect(c.tokens_resposta_medidos).toBe(30);
    expect(b.servidor?.tamanho_dos_prompts).toBe("tokenizador");
  });

  it("prompts come out the size asked, within 5 %, though the nonce and the chat template cost tokens of their own", async () => {
    const { id, modelo } = await llama({ prefillTokensS: 50_000, geracaoTokensS: 1000 });
    const b = await rodar(id, { modelo, tokens_prompt: [128, 1024], tokens_resposta: 4, concorrencias: [1], repeticoes: 2 });
    expect(b.servidor?.tamanho_dos_prompts).toBe("tokenizador");
    for (const c of b.celulas) {
      expect(
        Math.abs(c.tokens_prompt_medidos! - c.tokens_prompt) / c.tokens_prompt,
        `${c.tokens_prompt_medidos} ≈ ${c.tokens_prompt}`,
      ).toBeLessThan(0.05);
    }
  });

  it("llama.cpp without timings: the app's clock gives the same figures, fonte cliente", async () => {
    const { id, modelo } = await llama({ prefillTokensS: P, geracaoTokensS: G, comTimings: false });
    const b = await rodar(id, { modelo, ...PERFIL });
    const [c] = b.celulas as [CelulaBenchmark];
    expect(c.fonte).toBe("cliente");
    perto(c.prefill_tokens_s, P);
    perto(c.geracao_tokens_s, G);
  });

  it("Ollama: its durations give the figures, its prompt count calibrates the prompts' size", async () => {
    const modelo = `${modeloUnico("vel")}:latest`;
    const falso = await servidor(
      new OllamaFalso({ modelos: [{ id: modelo, carregado: true }], velocidade: { prefillTokensS: P, geracaoTokensS: G } }),
    );
    const id = await provedorTestado("ollama", falso);
    const b = await rodar(id, { modelo, ...PERFIL });
    const [c] = b.celulas as [CelulaBenchmark];
    expect(c.fonte).toBe("servidor");
    perto(c.prefill_tokens_s, P);
    perto(c.geracao_tokens_s, G);
    expect(Math.abs(c.tokens_prompt_medidos! - 400) / 400).toBeLessThan(0.05);
    expect(b.servidor?.tamanho_dos_prompts).toBe("calibrado");
    const chats = falso.recebidas.filter((r) => r.caminho === "/api/chat").map((r) => JSON.parse(r.corpoTexto) as { options?: unknown });
    expect(chats.slice(2).every((c) => JSON.stringify(c.options) === JSON.stringify({ num_predict: 30 }))).toBe(true);
  });

  it("LM Studio: its /api/v0 stats give the figures; the warm-up's usage calibrates the prompts", async () => {
    const modelo = modeloUnico("vel");
    const falso = await servidor(
      new LmStudioFalso({ modelos: [{ id: modelo, carregado: true }], velocidade: { prefillTokensS: P, geracaoTokensS: G } }),
    );
    const id = await provedorTestado("lm_studio", falso);
    const b = await rodar(id, { modelo, ...PERFIL });
    const [c] = b.celulas as [CelulaBenchmark];
    expect(c.fonte).toBe("servidor");
    perto(c.prefill_tokens_s, P);
    perto(c.geracao_tokens_s, G);
    expect(b.servidor?.tamanho_dos_prompts).toBe("calibrado");
    // Two warm-ups (two prompt sizes calibrate the line words → tokens), then the three measured requests.
    expect(falso.recebidas.filter((r) => r.caminho === "/api/v0/chat/completions")).toHaveLength(5);
  });

  it("any OpenAI-compatible server: timed by the app (fonte cliente)", async () => {
    const modelo = modeloUnico("vel");
    const falso = await servidor(
      new OpenAICompativelFalso({ modelos: [{ id: modelo }], velocidade: { prefillTokensS: P, geracaoTokensS: G } }),
    );
    const id = await provedorTestado("openai_compativel", falso);
    const b = await rodar(id, { modelo, ...PERFIL });
    const [c] = b.celulas as [CelulaBenchmark];
    expect(c.fonte).toBe("cliente");
    perto(c.prefill_tokens_s, P);
    perto(c.geracao_tokens_s, G);
  });

  it("concurrency 4 on a 2-slot server: the aggregate flattens at the server's capacity instead of doubling", async () => {
    const { falso, id, modelo } = await llama({ prefillTokensS: 20_000, geracaoTokensS: G }, 2);
    const b = await rodar(id, { modelo, tokens_prompt: [100], tokens_resposta: 30, concorrencias: [1, 2, 4], repeticoes: 2 });
    const [um, dois, quatro] = b.celulas as [CelulaBenchmark, CelulaBenchmark, CelulaBenchmark];
    // Two slots: two streams at once generate about twice one stream's tokens per second...
    expect(dois.geracao_agregada_tokens_s! / um.geracao_agregada_tokens_s!).toBeGreaterThan(1.7);
    // ...and four no more than two (the other two wait for a slot), far from 2×. A little below: each hand-over of
    // a slot to a waiting request costs its setup (a new upstream request), more with a remote database.
    expect(quatro.geracao_agregada_tokens_s! / dois.geracao_agregada_tokens_s!).toBeGreaterThan(0.65);
    expect(quatro.geracao_agregada_tokens_s! / dois.geracao_agregada_tokens_s!).toBeLessThan(1.2);
    // Each stream still generates at the server's speed; the waiting ones see it in their time to first token.
    perto(quatro.geracao_tokens_s, G);
    expect(quatro.ttft_p95_ms!).toBeGreaterThan(dois.ttft_p95_ms! + 150);
    expect(falso.maxEmVoo).toBe(2);
  });
});
