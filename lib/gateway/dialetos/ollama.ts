import "server-only";
import { jsonDoEventoOpenAI } from "../../adapters/ler-eventos-do-stream";
import { type DialetoDoServidor, FIM, type LeitorDoStream, PASSAR, type Uso } from "../pedido";

/** What the reader needs of one of Ollama's NDJSON lines (chat, generate) or of a whole answer (embed too). */
type LinhaOllama = {
  done?: unknown;
  message?: { content?: unknown; thinking?: unknown; tool_calls?: unknown } | null;
  response?: unknown;
  prompt_eval_count?: unknown;
  eval_count?: unknown;
} | null;

const numero = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const usoDe = (l: LinhaOllama): Uso => ({ prompt: numero(l?.prompt_eval_count), resposta: numero(l?.eval_count) });

/**
 * Ollama's own stream (`/api/chat`, `/api/generate`: application/x-ndjson, one object per line): a line
 * `{"error": "…"}` is the server's error (thrown, as the OpenAI reader throws an error event); the line with
 * `done: true` ends it and carries the usage (`prompt_eval_count`, `eval_count`). A close before that line is a
 * cut answer: the stream is never whole without it.
 */
class LeitorOllama implements LeitorDoStream {
  comTexto = false;
  uso: Uso = { prompt: null, resposta: null };
  readonly inteira = false;
  readonly corte = "O servidor Ollama encerrou o stream antes da linha final (done: true).";

  ler(dados: string): number {
    const linha = jsonDoEventoOpenAI(dados) as LinhaOllama;
    const m = linha?.message;
    this.comTexto = Boolean(m?.content || m?.thinking || m?.tool_calls || linha?.response);
    if (linha?.done === true) {
      this.uso = usoDe(linha);
      return PASSAR | FIM;
    }
    return PASSAR;
  }
}

/** The dialect of a real Ollama's native routes (passed through by the Ollama door). */
export const dialetoOllama: DialetoDoServidor = {
  leitor: () => new LeitorOllama(),
  usoDoJson: (dados) => usoDe(dados as LinhaOllama),
};
