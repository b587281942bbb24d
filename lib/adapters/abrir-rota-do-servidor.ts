import "server-only";
import { ErroApp } from "../errors";
import { erroDeStatus, lerCorpoSolto, lerTexto, mensagemDeErro, type ClienteHttp, type RespostaAberta } from "./http";
import { lotesSSE, objetosNdjson } from "./ler-eventos-do-stream";
import type { AlvoProvedor } from "./tipos";
import { abrirStreamComUso } from "./uso-no-stream";

/** The OpenAI routes the gateway (/v1) forwards; every server type here speaks them (Ollama on its own /v1). */
export type RotaOpenAI = "/v1/chat/completions" | "/v1/completions" | "/v1/embeddings";

/**
 * A server route a door's request is sent to: an OpenAI one, or a dialect the server speaks natively
 * (`/v1/messages`, `/v1/responses`, Ollama's `/api/chat`, …), which a door sends only where the server has it.
 */
export type RotaDoServidor = RotaOpenAI | `/${string}`;

/** The routes whose streams carry a usage chunk only when `stream_options.include_usage` asks for it. */
const COM_OPCOES_DE_STREAM = new Set<string>(["/v1/chat/completions", "/v1/completions"]);

/**
 * A stream still to be read: the payload of each of its events (an SSE event's `data`, an NDJSON line), in the
 * batches each chunk completes, and how to end it (see RespostaAberta.fechar).
 */
export type StreamDoServidor = { eventos: AsyncIterable<string[]>; fechar: RespostaAberta["fechar"] };

/** A successful answer: whole (its text, to pass on as is, and parsed), or a stream still to be read. */
export type RespostaDoServidor = { tipo: "json"; texto: string; dados: unknown } | ({ tipo: "stream" } & StreamDoServidor);

/** Each NDJSON line as a batch of one, cleaned as it is read (the key masking). */
async function* lotesNdjson(r: RespostaAberta, limpar?: (dados: string) => string): AsyncGenerator<string[]> {
  for await (const linha of objetosNdjson(r)) yield [limpar ? limpar(linha) : linha];
}

/**
 * Sends a door's body to one of the server's routes. Whatever fails before the answer's first byte is thrown as
 * an ErroApp (so the gateway may try another server); a stream (SSE, or Ollama's NDJSON) is handed over unread,
 * with usage asked for where the route takes `stream_options` (abrirStreamComUso). `stream` in the body says
 * whether a stream is wanted (a door whose dialect streams by default sets it explicitly).
 */
export async function abrirRotaDoServidor(
  http: ClienteHttp,
  alvo: AlvoProvedor,
  rota: RotaDoServidor,
  corpo: Record<string, unknown>,
  signal?: AbortSignal,
  limparEvento?: (dados: string) => string,
): Promise<RespostaDoServidor> {
  const stream = corpo.stream === true;
  const r =
    stream && COM_OPCOES_DE_STREAM.has(rota)
      ? await abrirStreamComUso(http, alvo, rota, corpo, signal)
      : await http.abrir(rota, { corpo, signal, stream });
  if (r.status >= 400) throw erroDeStatus(r.status, await lerCorpoSolto(r), alvo);
  if (stream && r.tipoConteudo.includes("text/event-stream"))
    return { tipo: "stream", eventos: lotesSSE(r, limparEvento), fechar: r.fechar };
  if (stream && r.tipoConteudo.includes("ndjson")) return { tipo: "stream", eventos: lotesNdjson(r, limparEvento), fechar: r.fechar };
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
  if (stream) throw new ErroApp("provedor_erro", "O servidor não respondeu em streaming como pedido.");
  return { tipo: "json", texto, dados };
}
