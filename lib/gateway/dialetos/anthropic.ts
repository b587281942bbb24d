import "server-only";
import { jsonDoEventoOpenAI } from "../../adapters/ler-eventos-do-stream";
import { ErroApp } from "../../errors";
import { type DialetoDoServidor, FIM, type LeitorDoStream, PASSAR, type Uso } from "../pedido";

type UsoAnthropic = { input_tokens?: number | null; output_tokens?: number | null } | null | undefined;
type EventoAnthropic = {
  type?: unknown;
  message?: { usage?: UsoAnthropic } | null;
  usage?: UsoAnthropic;
  delta?: { stop_reason?: unknown } | null;
  error?: { type?: unknown; message?: unknown } | null;
};

/** A stream cut before its `message_delta` (the stop reason) arrived. */
export const STREAM_ANTHROPIC_CORTADO = "O servidor encerrou o stream antes do fim da resposta (sem message_delta nem message_stop).";

/**
 * The types of a server's `error` event the client gets as they are, with the status they stand for: about the
 * request or the server's load, which a client acts on (retries an overloaded_error). A server's refusal of its
 * own key, a model it lacks, are the app's setup, not the caller's: those stay the app's api_error.
 */
const STATUS_DO_TIPO: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The event's `type`, read without parsing where it leads the object (every server in provider-apis.md sends it first). */
const TIPO_NA_FRENTE = /^\s*\{\s*"type"\s*:\s*"([a-z_]+)"/;

/** An Anthropic event's type: from its head when it leads, else from the parsed JSON (null when not JSON). */
export function tipoDoEventoAnthropic(dados: string): string | null {
  const m = TIPO_NA_FRENTE.exec(dados);
  if (m) return m[1]!;
  try {
    const tipo = (JSON.parse(dados) as EventoAnthropic | null)?.type;
    return typeof tipo === "string" ? tipo : null;
  } catch {
    return null;
  }
}

function json(dados: string): EventoAnthropic {
  try {
    return (JSON.parse(dados) as EventoAnthropic | null) ?? {};
  } catch {
    throw new ErroApp("provedor_erro", "O servidor enviou um evento de stream que não é JSON.");
  }
}

/**
 * A server's Anthropic Messages stream (`/v1/messages`), read for the statistics and to know it is whole: the
 * prompt's tokens from `message_start`, the answer's from `message_delta`, the first token at the first
 * `text_delta`, `message_stop` ends it (a close right after `message_delta` is whole too), and an `error` event is
 * the server's error for this request. Only the events that carry usage or an error are parsed.
 */
class LeitorAnthropic implements LeitorDoStream {
  comTexto = false;
  inteira = false;
  uso: Uso = { prompt: null, resposta: null };
  readonly corte = STREAM_ANTHROPIC_CORTADO;

  ler(dados: string): number {
    const tipo = tipoDoEventoAnthropic(dados);
    this.comTexto = false;
    switch (tipo) {
      case "content_block_delta":
        this.comTexto = dados.includes('"text_delta"');
        return PASSAR;
      case "message_start": {
        const u = json(dados).message?.usage;
        if (u) this.uso = { prompt: u.input_tokens ?? null, resposta: this.uso.resposta };
        return PASSAR;
      }
      case "message_delta": {
        const e = json(dados);
        if (e.usage) {
          this.uso = { prompt: e.usage.input_tokens ?? this.uso.prompt, resposta: e.usage.output_tokens ?? this.uso.resposta };
        }
        if (e.delta?.stop_reason != null) this.inteira = true;
        return PASSAR;
      }
      case "message_stop":
        this.inteira = true;
        return PASSAR | FIM;
      case "error": {
        const { message: m, type: t } = json(dados).error ?? {};
        const erro = new ErroApp(
          "provedor_erro",
          `O servidor interrompeu a resposta com erro: ${typeof m === "string" ? m : dados.slice(0, 200)}`,
        );
        if (typeof t === "string" && Object.hasOwn(STATUS_DO_TIPO, t)) {
          erro.statusServidor = STATUS_DO_TIPO[t];
          erro.tipoAnthropic = t;
        }
        throw erro;
      }
      case null:
        // Not Anthropic's: the server's OpenAI-style error in its place (`{"error":{…}}`), or not JSON at all.
        jsonDoEventoOpenAI(dados);
        throw new ErroApp("provedor_erro", `O servidor enviou um evento fora do formato da Anthropic: ${dados.slice(0, 200)}`);
      default:
        return PASSAR;
    }
  }
}

/** The Anthropic Messages dialect of the servers that serve `/v1/messages` natively. */
export const DIALETO_ANTHROPIC: DialetoDoServidor = {
  leitor: () => new LeitorAnthropic(),
  usoDoJson: (dados) => {
    const u = (dados as { usage?: UsoAnthropic } | null)?.usage;
    return { prompt: u?.input_tokens ?? null, resposta: u?.output_tokens ?? null };
  },
};
