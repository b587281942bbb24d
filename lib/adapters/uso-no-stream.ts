import { doProcesso } from "../processo";
import { type ClienteHttp, lerCorpoSolto, type RespostaAberta } from "./http";
import type { AlvoProvedor } from "./tipos";

/**
 * Servers (by base URL) that refused `stream_options`: a strict server answers 400 to a field it does not
 * know. Learned once per process, at that server's first refusal.
 */
const semOpcoesDeStream = doProcesso("semOpcoesDeStream", () => new Set<string>());

type OpcoesStream = { include_usage?: unknown } | null | undefined;

/**
 * Opens an OpenAI-style stream (chat or completions), asking for the usage chunk the statistics read
 * (`stream_options.include_usage`) unless the server is known to refuse the field. When the field was the
 * app's own addition and the server answers 400, the caller's body is sent again as it was; if that one
 * is accepted, the server is remembered as one that takes no `stream_options`. A body that already
 * carries `stream_options` only has `include_usage` turned on: the field is the caller's, not ours.
 */
export async function abrirStreamComUso(
  http: ClienteHttp,
  alvo: Pick<AlvoProvedor, "base_url">,
  caminho: string,
  corpo: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<RespostaAberta> {
  const doChamador = corpo.stream_options as OpcoesStream;
  if (doChamador?.include_usage === true || (!doChamador && semOpcoesDeStream.has(alvo.base_url))) {
    return http.abrir(caminho, { corpo, signal, stream: true });
  }
  const comUso = { ...corpo, stream_options: { ...doChamador, include_usage: true } };
  const r = await http.abrir(caminho, { corpo: comUso, signal, stream: true });
  if (r.status !== 400 || doChamador) return r;
  // Read whole, so the connection goes back to the pool for the second try.
  await lerCorpoSolto(r);
  const semUso = await http.abrir(caminho, { corpo, signal, stream: true });
  if (semUso.status < 400) semOpcoesDeStream.add(alvo.base_url);
  return semUso;
}
