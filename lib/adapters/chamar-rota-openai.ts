import "server-only";
import { ErroApp } from "../errors";
import { erroDeStatus, lerCorpoSolto, lerTexto, mensagemDeErro, type ClienteHttp, type RespostaAberta } from "./http";
import { lotesSSE } from "./ler-eventos-do-stream";
import type { AlvoProvedor } from "./tipos";
import { abrirStreamComUso } from "./uso-no-stream";

/** The OpenAI routes the gateway (/v1) forwards; every server type here speaks them (Ollama on its own /v1). */
export type RotaOpenAI = "/v1/chat/completions" | "/v1/completions" | "/v1/embeddings";

/**
 * A stream still to be read: the `data` of its SSE events, in the batches each chunk completes, and how to
 * end it (see RespostaAberta.fechar).
 */
export type StreamOpenAI = { eventos: AsyncIterable<string[]>; fechar: RespostaAberta["fechar"] };

/** A successful answer: whole (its text, to pass on as is, and parsed), or a stream still to be read. */
export type RespostaOpenAI = { tipo: "json"; texto: string; dados: unknown } | ({ tipo: "stream" } & StreamOpenAI);

/**
 * Sends the caller's body to the server's own OpenAI route. Whatever fails before the answer's first byte
 * is thrown as an ErroApp (so the gateway may try another server); a stream is handed over unread, with
 * usage asked for where the server takes it (abrirStreamComUso).
 */
export async function abrirRotaOpenAI(
  http: ClienteHttp,
  alvo: AlvoProvedor,
  rota: RotaOpenAI,
  corpo: Record<string, unknown>,
  signal?: AbortSignal,
  limparEvento?: (dados: string) => string,
): Promise<RespostaOpenAI> {
  const stream = corpo.stream === true;
  const r =
    stream && rota !== "/v1/embeddings"
      ? await abrirStreamComUso(http, alvo, rota, corpo, signal)
      : await http.abrir(rota, { corpo, signal, stream });
  if (r.status >= 400) throw erroDeStatus(r.status, await lerCorpoSolto(r), alvo);
  if (stream && r.tipoConteudo.includes("text/event-stream"))
    return { tipo: "stream", eventos: lotesSSE(r, limparEvento), fechar: r.fechar };
  const texto = await lerTexto(r);
  let dados: unknown;
  try {
    dados = JSON.parse(texto);
  } catch {
    throw new ErroApp(
      "provedor_erro",
      `O servidor em ${alvo.base_url} respondeu algo que não é JSON em ${rota}: confira o tipo do provedor e a porta.`,
    );
  }
  // LM Studio answers an unknown route with 200 and an `error`.
  const embutido = mensagemDeErro(dados);
  if (embutido) throw new ErroApp("provedor_erro", `O servidor respondeu com erro em ${rota}: ${embutido}`);
  if (stream) throw new ErroApp("provedor_erro", "O servidor não respondeu em streaming (text/event-stream) como pedido.");
  return { tipo: "json", texto, dados };
}
