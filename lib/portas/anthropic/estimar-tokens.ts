import type { CorpoContagemAnthropic } from "../../schemas/corpos-anthropic";
import { type BlocoDeBusca, type BlocoDeDocumento, documentoComoTexto, resultadoDeBuscaComoTexto } from "./documentos";

/** Characters per token of English-like text and code under the BPE tokenizers of the common local models. */
const CARACTERES_POR_TOKEN = 4;
/** A turn's framing in a chat template (role markers, separators). */
const TOKENS_POR_MENSAGEM = 4;
/** An image, whose size is not read: Anthropic's own figure for about a megapixel (width × height / 750). */
const TOKENS_POR_IMAGEM = 1600;

/**
 * An estimate of a request's prompt tokens, for a server with no count of its own: characters / 4 of the system
 * prompt, the messages (text, documents as a translation sends them, tool calls' input, tool results) and the
 * tools' definitions, plus a turn's framing
 * per message and a fixed figure per image. Answered flagged as an estimate (x-provedores-llm-estimativa: true).
 */
export function estimarTokens(corpo: CorpoContagemAnthropic): number {
  let caracteres = 0;
  let imagens = 0;
  const sistema = corpo.system;
  if (typeof sistema === "string") caracteres += sistema.length;
  else for (const b of sistema ?? []) caracteres += b.text.length;
  for (const m of corpo.messages) {
    if (typeof m.content === "string") {
      caracteres += m.content.length;
      continue;
    }
    for (const b of m.content) {
      if (b.type === "text") caracteres += b.text.length;
      else if (b.type === "image") imagens += 1;
      else if (b.type === "document" || b.type === "search_result") caracteres += textoDe(b).length;
      else if (b.type === "tool_use") caracteres += b.name.length + JSON.stringify(b.input).length;
      else if (b.type === "tool_result") {
        if (typeof b.content === "string") caracteres += b.content.length;
        else {
          for (const c of b.content ?? []) {
            if (c.type === "text") caracteres += c.text.length;
            else if (c.type === "image") imagens += 1;
            else caracteres += textoDe(c).length;
          }
        }
      }
    }
  }
  for (const t of corpo.tools ?? [])
    caracteres += t.name.length + (t.description?.length ?? 0) + JSON.stringify(t.input_schema ?? {}).length;
  const mensagens = corpo.messages.length + (sistema === undefined ? 0 : 1);
  return Math.ceil(caracteres / CARACTERES_POR_TOKEN) + TOKENS_POR_MENSAGEM * mensagens + TOKENS_POR_IMAGEM * imagens;
}

/** A document or search result as the translation sends it (a binary document is its short note). */
const textoDe = (b: BlocoDeDocumento | BlocoDeBusca): string =>
  b.type === "document" ? documentoComoTexto(b) : resultadoDeBuscaComoTexto(b);
