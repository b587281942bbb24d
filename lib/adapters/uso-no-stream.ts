import "server-only";
import { doProcesso } from "../unico-por-processo";
import { type ClienteHttp, erroDeStatus, lerCorpoSolto, mensagemDeErro, type RespostaAberta } from "./http";
import type { AlvoProvedor } from "./tipos";

/** How long a server's refusal of `stream_options` is remembered: an upgraded server is asked again after it. */
const LEMBRAR_RECUSA_MS = 10 * 60 * 1000;

/**
 * Servers (by base URL) that refused `stream_options`, and until when that is believed: a strict server
 * answers 400 to a field it does not know. Forgotten after LEMBRAR_RECUSA_MS, or at a connection test.
 */
const semOpcoesDeStream = doProcesso("semOpcoesDeStream", () => new Map<string, number>());

/** An error that names the field as the thing refused, not another problem of the same request. */
const RECUSA_DO_CAMPO = /stream_options|include_usage/i;

type OpcoesStream = { include_usage?: unknown } | null | undefined;

function recusaConhecida(base_url: string): boolean {
  const ate = semOpcoesDeStream.get(base_url);
  if (ate === undefined) return false;
  if (ate > Date.now()) return true;
  semOpcoesDeStream.delete(base_url);
  return false;
}

/** A connection test asks the server afresh (it may have been upgraded or replaced). */
export function esquecerRecusaDeOpcoes(base_url: string): void {
  semOpcoesDeStream.delete(base_url);
}

/**
 * Opens an OpenAI-style stream (chat or completions), asking for the usage chunk the statistics read
 * (`stream_options.include_usage`) unless the server is known to refuse the field. When the field was the
 * app's own addition and the server answers 400 or 422 naming it (`stream_options` or `include_usage` in
 * its message), the caller's body is sent again as it was; if that one is accepted, the server is remembered
 * for a while as one that takes no `stream_options`. Any other refusal is the answer: thrown as the ErroApp
 * of its status, with no second request. A body that already carries `stream_options` only has
 * `include_usage` turned on: the field is the caller's, not ours.
 */
export async function abrirStreamComUso(
  http: ClienteHttp,
  alvo: Pick<AlvoProvedor, "base_url">,
  caminho: string,
  corpo: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<RespostaAberta> {
  const doChamador = corpo.stream_options as OpcoesStream;
  if (doChamador?.include_usage === true || (!doChamador && recusaConhecida(alvo.base_url))) {
    return http.abrir(caminho, { corpo, signal, stream: true });
  }
  const comUso = { ...corpo, stream_options: { ...doChamador, include_usage: true } };
  const r = await http.abrir(caminho, { corpo: comUso, signal, stream: true });
  if ((r.status !== 400 && r.status !== 422) || doChamador) return r;
  // Read whole (so the connection goes back to the pool), then either the answer or the second try.
  const dados = await lerCorpoSolto(r);
  const mensagem = mensagemDeErro(dados) ?? (typeof dados === "string" ? dados : "");
  if (!RECUSA_DO_CAMPO.test(mensagem)) throw erroDeStatus(r.status, dados, alvo);
  const semUso = await http.abrir(caminho, { corpo, signal, stream: true });
  if (semUso.status < 400) semOpcoesDeStream.set(alvo.base_url, Date.now() + LEMBRAR_RECUSA_MS);
  return semUso;
}
