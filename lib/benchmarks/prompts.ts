import "server-only";
import { randomInt } from "node:crypto";
import type { ProvedorLLMLinha } from "@/db/schema";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import type { ServidorDoBenchmark } from "../schemas/benchmark";

/** Filler words of varied lengths: each prompt draws its own sequence, so no two share more than the instruction. */
const PALAVRAS = (
  "casa rio pedra vento mar sol lua campo livro janela porta rua cidade montanha floresta caminho ponte tempo " +
  "noite manhã tarde estrela nuvem chuva neve fogo água terra árvore flor folha raiz fruto semente pássaro peixe " +
  "cavalo gato cachorro lobo urso raposa coruja abelha formiga borboleta ferro ouro prata cobre vidro papel tinta " +
  "música dança teatro pintura escultura poesia romance conto história memória sonho desejo medo coragem verdade " +
  "número linha círculo quadrado triângulo espiral sombra reflexo silêncio ruído eco voz palavra frase letra sinal " +
  "mapa bússola navio vela remo porto ilha praia areia onda maré farol viagem estrada trem estação relógio chave"
).split(" ");

/** A tiny deterministic generator (mulberry32): the same request index always gets the same words. */
function sorteador(semente: number): () => number {
  let a = semente >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` filler words drawn for `semente`. */
export function palavras(n: number, semente: number): string {
  const sortear = sorteador(semente);
  const saida: string[] = [];
  for (let i = 0; i < n; i++) saida.push(PALAVRAS[Math.floor(sortear() * PALAVRAS.length)]!);
  return saida.join(" ");
}

/**
 * A run's nonces: 8 base-36 characters, unique per request of the run (a random start, then counted up). Short, so
 * a real tokenizer spends few tokens on it (a UUID costs ~25), and sized apart anyway (see `Medida`).
 */
export function geradorDeNonces(): () => string {
  const espaco = 36 ** 8;
  let n = randomInt(2 ** 40) % espaco;
  return () => {
    n = (n + 1) % espaco;
    return n.toString(36).padStart(8, "0");
  };
}

/**
 * One request's prompt of about `palavrasDoTexto` words: a nonce FIRST (a prompt cache matches prefixes, so
 * nothing of it can be reused), then the request's own filler words.
 */
export function montarPrompt(nonce: string, palavrasDoTexto: number, semente: number): string {
  return `[${nonce}] ${palavras(Math.max(1, palavrasDoTexto), semente)}`;
}

/**
 * How a prompt's tokens grow with its words: `tokensPorPalavra` each, over `tokensFixos` whatever its length (the
 * nonce, the chat template, BOS), and how that was learned.
 */
export type Medida = { tokensPorPalavra: number; tokensFixos: number; como: ServidorDoBenchmark["tamanho_dos_prompts"] };

/** Two prompts built like the real ones, of these many words: two points of the line words → tokens. */
export const PALAVRAS_DAS_AMOSTRAS = [40, 240] as const;

/** The line through two (words, tokens) points; null when they do not make one (a count that did not grow). */
export function retaDeDuasAmostras(
  [p1, t1]: readonly [number, number],
  [p2, t2]: readonly [number, number],
  como: Medida["como"],
): Medida | null {
  const inclinacao = (t2 - t1) / (p2 - p1);
  if (!Number.isFinite(inclinacao) || inclinacao <= 0) return null;
  return { tokensPorPalavra: inclinacao, tokensFixos: Math.max(0, t1 - inclinacao * p1), como };
}

/** Without a tokenizer or a count: 4 characters per token, the nonce's brackets and space included. */
export function estimada(): Medida {
  const amostra = palavras(400, 7);
  return { tokensPorPalavra: amostra.length / 4 / 400, tokensFixos: "[00000000] ".length / 4, como: "estimado" };
}

/** Words for a prompt of `tokens` tokens (at least one). */
export const palavrasPara = (tokens: number, m: Medida): number => Math.max(1, Math.round((tokens - m.tokensFixos) / m.tokensPorPalavra));

/**
 * llama-server's own tokenizer (`POST /tokenize {content}` → `{tokens}`), through the provider's adapter and key:
 * how many tokens `prompt` has, without the chat template. Null when the server has no such route.
 */
export async function contarComTokenizador(linha: ProvedorLLMLinha, prompt: string, sinal: AbortSignal): Promise<number | null> {
  try {
    const r = await adaptadorDe(linha).abrirRota("/tokenize", { content: prompt }, sinal);
    if (r.tipo !== "json") {
      r.fechar();
      return null;
    }
    const tokens = (r.dados as { tokens?: unknown } | null)?.tokens;
    return Array.isArray(tokens) && tokens.length > 0 ? tokens.length : null;
  } catch {
    return null;
  }
}
