import "server-only";
import type { TipoProvedor } from "@/db/schema";
import { dialetoOllama } from "../gateway/dialetos/ollama";
import { dialetoOpenAI } from "../gateway/dialetos/openai";
import type { EventoModelo, PlanoDeChamada } from "../gateway/pedido";

/** What a measured request's stream showed, filled as each event passes the plan's framer. */
export type Coleta = {
  primeiroTexto: number | null;
  ultimoTexto: number | null;
  eventosDeTexto: number;
  tokensPrompt: number | null;
  tokensResposta: number | null;
  /** The server's own prompt processing and generation times (ms), when it reports them. */
  promptMs: number | null;
  geracaoMs: number | null;
  erro: string | null;
  fim: boolean;
};

export const novaColeta = (): Coleta => ({
  primeiroTexto: null,
  ultimoTexto: null,
  eventosDeTexto: 0,
  tokensPrompt: null,
  tokensResposta: null,
  promptMs: null,
  geracaoMs: null,
  erro: null,
  fim: false,
});

const numero = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const SEM_BYTES = new Uint8Array(0);

type ChunkOpenAI = {
  choices?: { delta?: { content?: unknown } | null }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  timings?: { prompt_n?: unknown; prompt_ms?: unknown; predicted_n?: unknown; predicted_ms?: unknown } | null;
  stats?: { time_to_first_token?: unknown; generation_time?: unknown } | null;
};
type LinhaOllama = {
  message?: { content?: unknown } | null;
  done?: unknown;
  prompt_eval_count?: unknown;
  prompt_eval_duration?: unknown;
  eval_count?: unknown;
  eval_duration?: unknown;
};

/** An OpenAI chunk (llama.cpp, LM Studio, any compatible server): text, usage, llama.cpp's `timings`, LM Studio's `stats`. */
function lerChunkOpenAI(c: ChunkOpenAI, coleta: Coleta): boolean {
  const u = c.usage;
  if (u) {
    coleta.tokensPrompt = numero(u.prompt_tokens) ?? coleta.tokensPrompt;
    coleta.tokensResposta = numero(u.completion_tokens) ?? coleta.tokensResposta;
  }
  const t = c.timings;
  if (t) {
    // prompt_n excludes a cached prefix; the prompts here are never cached (cache_prompt: false, a nonce first).
    coleta.tokensPrompt = numero(t.prompt_n) ?? coleta.tokensPrompt;
    coleta.tokensResposta = numero(t.predicted_n) ?? coleta.tokensResposta;
    coleta.promptMs = numero(t.prompt_ms);
    coleta.geracaoMs = numero(t.predicted_ms);
  }
  const s = c.stats;
  if (s) {
    // LM Studio reports seconds.
    const ttft = numero(s.time_to_first_token);
    const geracao = numero(s.generation_time);
    coleta.promptMs = ttft === null ? null : ttft * 1000;
    coleta.geracaoMs = geracao === null ? null : geracao * 1000;
  }
  const conteudo = c.choices?.[0]?.delta?.content;
  return typeof conteudo === "string" && conteudo.length > 0;
}

/** Ollama's NDJSON line: text, and on the `done` line its counts and durations (ns). */
function lerLinhaOllama(l: LinhaOllama, coleta: Coleta): boolean {
  if (l.done === true) {
    coleta.tokensPrompt = numero(l.prompt_eval_count);
    coleta.tokensResposta = numero(l.eval_count);
    const p = numero(l.prompt_eval_duration);
    const g = numero(l.eval_duration);
    coleta.promptMs = p === null ? null : p / 1e6;
    coleta.geracaoMs = g === null ? null : g / 1e6;
  }
  const conteudo = l.message?.content;
  return typeof conteudo === "string" && conteudo.length > 0;
}

/**
 * The framer of a measured request: nobody reads its bytes; it sees each event as the run iterates the stream,
 * with its time, and fills `coleta`.
 */
function enquadradorDeMedida(tipo: TipoProvedor, coleta: Coleta) {
  return (eventos: readonly EventoModelo[]): Uint8Array => {
    const agora = performance.now();
    for (const e of eventos) {
      if (e.tipo === "erro") coleta.erro = e.erro.message;
      else if (e.tipo === "fim") coleta.fim = true;
      else if (e.tipo === "chunk") {
        if (e.dados.trim() === "[DONE]") continue;
        let json: unknown = e.json;
        if (json === undefined) {
          try {
            json = JSON.parse(e.dados);
          } catch {
            continue;
          }
        }
        if (!json || typeof json !== "object") continue;
        const comTexto = tipo === "ollama" ? lerLinhaOllama(json as LinhaOllama, coleta) : lerChunkOpenAI(json as ChunkOpenAI, coleta);
        if (comTexto) {
          coleta.primeiroTexto ??= agora;
          coleta.ultimoTexto = agora;
          coleta.eventosDeTexto += 1;
        }
      }
    }
    return SEM_BYTES;
  };
}

/**
 * How a measured request goes to each server type, on the route where it reports its own timings, asking for
 * exactly `tokensResposta` tokens (llama.cpp ignores the end of sequence, so every answer is the asked length):
 * llama.cpp's chat with `timings` and no prompt cache; Ollama's `/api/chat` (num_predict; the final line's
 * durations); LM Studio's `/api/v0` chat (`stats`); any other server's OpenAI chat, timed by the app.
 */
export function planoDeMedida(tipo: TipoProvedor, prompt: string, tokensResposta: number, coleta: Coleta): PlanoDeChamada {
  const messages = [{ role: "user", content: prompt }];
  const enquadrar = enquadradorDeMedida(tipo, coleta);
  const usoNoStream = { include_usage: true };
  switch (tipo) {
    case "llama_cpp":
      return {
        rota: "/v1/chat/completions",
        corpo: { messages, stream: true, max_tokens: tokensResposta, ignore_eos: true, cache_prompt: false, stream_options: usoNoStream },
        dialeto: dialetoOpenAI(true),
        enquadrar,
      };
    case "ollama":
      return {
        rota: "/api/chat",
        corpo: { messages, stream: true, options: { num_predict: tokensResposta } },
        dialeto: dialetoOllama,
        enquadrar,
      };
    case "lm_studio":
      return {
        rota: "/api/v0/chat/completions",
        corpo: { messages, stream: true, max_tokens: tokensResposta, stream_options: usoNoStream },
        dialeto: dialetoOpenAI(true),
        enquadrar,
      };
    case "openai_compativel":
      return {
        rota: "/v1/chat/completions",
        corpo: { messages, stream: true, max_tokens: tokensResposta, stream_options: usoNoStream },
        dialeto: dialetoOpenAI(true),
        enquadrar,
      };
  }
}
