import "server-only";
import { ErroApp } from "../../errors";
import { type DialetoDoServidor, FIM, type LeitorDoStream, PASSAR, type Uso } from "../pedido";

type UsoResponses = { input_tokens?: number; output_tokens?: number } | null | undefined;
type EventoResponses = {
  type?: unknown;
  response?: { usage?: UsoResponses } | null;
  message?: unknown;
  error?: { message?: unknown } | null;
};

const usoDe = (u: UsoResponses): Uso => ({ prompt: u?.input_tokens ?? null, resposta: u?.output_tokens ?? null });

/** The events that end a Responses stream: the response, whole or not, in its final state. */
const FINAIS = new Set(["response.completed", "response.incomplete", "response.failed"]);

const CORTE = "O servidor encerrou o stream antes do fim da resposta (sem response.completed).";

/** The message of a Responses `error` event: OpenAI documents it at the top level, and sends it nested in `error`. */
function mensagemDoErro(evento: EventoResponses): string {
  const m = evento.error?.message ?? evento.message;
  return typeof m === "string" && m ? m : "erro sem mensagem";
}

/**
 * A server's OpenAI Responses stream (llama-server, LM Studio), read for the statistics and its end: the first
 * `response.output_text.delta` is the first token, the final event (`response.completed`, `.incomplete`,
 * `.failed`) carries the usage and ends it, an `error` event is the server's error for this request. Closed
 * before the final event, it is cut.
 */
class LeitorResponses implements LeitorDoStream {
  comTexto = false;
  uso: Uso = { prompt: null, resposta: null };
  readonly inteira = false;
  readonly corte = CORTE;

  ler(dados: string): number {
    let evento: EventoResponses;
    try {
      evento = JSON.parse(dados) as EventoResponses;
    } catch {
      throw new ErroApp("provedor_erro", "O servidor enviou um evento de stream que não é JSON.");
    }
    const tipo = evento?.type;
    this.comTexto = tipo === "response.output_text.delta";
    if (tipo === "error") throw new ErroApp("provedor_erro", `O servidor interrompeu a resposta com erro: ${mensagemDoErro(evento)}`);
    if (typeof tipo === "string" && FINAIS.has(tipo)) {
      this.uso = usoDe(evento.response?.usage);
      return PASSAR | FIM;
    }
    return PASSAR;
  }
}

/** The Responses dialect, where a server serves `/v1/responses` natively. */
export const dialetoResponses: DialetoDoServidor = {
  leitor: () => new LeitorResponses(),
  usoDoJson: (dados) => usoDe((dados as { usage?: UsoResponses } | null)?.usage),
};
