import "server-only";
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
 * One request's prompt of about `palavrasDoTexto` words: a nonce FIRST (a prompt cache matches prefixes, so
 * nothing of it can be reused), then the request's own filler words.
 */
export function montarPrompt(nonce: string, palavrasDoTexto: number, semente: number): string {
  return `[${nonce}] ${palavras(Math.max(1, palavrasDoTexto), semente)}`;
}

/** How many words make one token, and how that was learned. */
export type Medida = { tokensPorPalavra: number; como: ServidorDoBenchmark["tamanho_dos_prompts"] };

/** Without a tokenizer: 4 characters per token. */
export function estimada(): Medida {
  const amostra = palavras(400, 7);
  return { tokensPorPalavra: amostra.length / 4 / 400, como: "estimado" };
}

/** Words for a prompt of `tokens` tokens. */
export const palavrasPara = (tokens: number, m: Medida): number => Math.max(1, Math.round(tokens / m.tokensPorPalavra));

/**
 * llama-server's own tokenizer (`POST /tokenize {content}` → `{tokens}`), through the provider's adapter and key:
 * a sample of filler words counted once gives the ratio. Null when the server has no such route.
 */
export async function medirComTokenizador(linha: ProvedorLLMLinha, sinal: AbortSignal): Promise<Medida | null> {
  const n = 400;
  try {
    const r = await adaptadorDe(linha).abrirRota("/tokenize", { content: palavras(n, 11) }, sinal);
    if (r.tipo !== "json") {
      r.fechar();
      return null;
    }
    const tokens = (r.dados as { tokens?: unknown } | null)?.tokens;
    if (!Array.isArray(tokens) || tokens.length === 0) return null;
    return { tokensPorPalavra: tokens.length / n, como: "tokenizador" };
  } catch {
    return null;
  }
}

/** Ollama's warm-up count: `prompt_eval_count` of a prompt of `palavrasDoAquecimento` words (its template counted in). */
export function medidaCalibrada(tokensContados: number, palavrasDoAquecimento: number): Medida {
  return { tokensPorPalavra: tokensContados / palavrasDoAquecimento, como: "calibrado" };
}
