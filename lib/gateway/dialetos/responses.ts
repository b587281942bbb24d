import "server-only";
import { jsonDoEventoOpenAI } from "../../adapters/ler-eventos-do-stream";
import { ErroApp } from "../../errors";
import { type DialetoDoServidor, FIM, type LeitorDoStream, PASSAR, type Uso } from "../pedido";

type UsoResponses = { input_tokens?: number; output_tokens?: number } | null | undefined;
type EventoResponses = {
  type?: unknown;
  response?: { usage?: UsoResponses; error?: { message?: unknown } | null } | null;
  message?: unknown;
};

const usoDe = (u: UsoResponses): Uso => ({ prompt: u?.input_tokens ?? null, resposta: u?.output_tokens ?? null });

/** The events that end a Responses stream: the response, whole or not, in its final state. */
const FINAIS = new Set(["response.completed", "response.incomplete", "response.failed"]);

const CORTE = "O servidor encerrou o stream antes do fim da resposta (sem response.completed).";

/** The event's `type`, read without parsing where it leads the object (as llama-server and OpenAI send it). */
const TIPO_NA_FRENTE = /^\s*\{\s*"type"\s*:\s*"([a-z_.]+)"/;

/**
 * A Responses event's type from its head, or null when the object does not start with it (the caller parses
 * then: llama-server's own `{"error":{…}}` has no type at all).
 */
export function tipoDoEventoResponses(dados: string): string | null {
  return TIPO_NA_FRENTE.exec(dados)?.[1] ?? null;
}

/** A parsed event's type (null when it has none). */
function tipoDe(evento: EventoResponses): string | null {
  return typeof evento.type === "string" ? evento.type : null;
}

/**
 * A server's OpenAI Responses stream (llama-server, LM Studio), read for the statistics and its end: the first
 * `response.output_text.delta` is the first token, the final event (`response.completed`, `.incomplete`,
 * `.failed`) carries the usage and ends it (`.failed` with the server's failure in `falha`), an error is the
 * server's error for this request: OpenAI's `{type:"error", code, message}` or llama-server's `{"error":{…}}`
 * (no type; jsonDoEventoOpenAI raises it). Closed before the final event, it is cut. Only the events that end the
 * stream or carry an error are parsed; the others are known by their head.
 */
export class LeitorResponses implements LeitorDoStream {
  comTexto = false;
  uso: Uso = { prompt: null, resposta: null };
  /** The server's own failure of this response (`response.failed`), for the statistics; the event is still passed on. */
  falha: ErroApp | null = null;
  readonly inteira = false;
  readonly corte = CORTE;

  ler(dados: string): number {
    let tipo = tipoDoEventoResponses(dados);
    let evento: EventoResponses | null = null;
    if (tipo === null || tipo === "error" || FINAIS.has(tipo)) {
      evento = (jsonDoEventoOpenAI(dados) as EventoResponses | null) ?? {};
      tipo = tipoDe(evento);
    }
    this.comTexto = tipo === "response.output_text.delta";
    if (!evento || tipo === null) return PASSAR;
    if (tipo === "error") {
      const m = evento.message;
      throw new ErroApp(
        "provedor_erro",
        `O servidor interrompeu a resposta com erro: ${typeof m === "string" && m ? m : "erro sem mensagem"}`,
      );
    }
    if (!FINAIS.has(tipo)) return PASSAR;
    this.uso = usoDe(evento.response?.usage);
    if (tipo === "response.failed") {
      const m = evento.response?.error?.message;
      this.falha = new ErroApp(
        "provedor_erro",
        `O servidor não concluiu a resposta: ${typeof m === "string" && m ? m : "falha sem mensagem"}`,
      );
    }
    return PASSAR | FIM;
  }
}

/** The Responses dialect, where a server serves `/v1/responses` natively. */
export const dialetoResponses: DialetoDoServidor = {
  leitor: () => new LeitorResponses(),
  usoDoJson: (dados) => usoDe((dados as { usage?: UsoResponses } | null)?.usage),
};
