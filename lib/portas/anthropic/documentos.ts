import type { BlocoAnthropic } from "../../schemas/corpos-anthropic";

export type BlocoDeDocumento = Extract<BlocoAnthropic, { type: "document" }>;
export type BlocoDeBusca = Extract<BlocoAnthropic, { type: "search_result" }>;

const textoOu = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** The text a document carries: a text source's data, a content source's text blocks; null for a binary (a PDF) or a URL. */
export function textoDoDocumento(b: BlocoDeDocumento): string | null {
  const fonte = b.source as Record<string, unknown>;
  if (fonte.type === "text") return typeof fonte.data === "string" ? fonte.data : "";
  if (fonte.type === "content") {
    const blocos = Array.isArray(fonte.content) ? (fonte.content as { type?: unknown; text?: unknown }[]) : [];
    return typeof fonte.content === "string"
      ? fonte.content
      : blocos
          .map((c) => (c.type === "text" ? textoOu(c.text) : undefined))
          .filter((t) => t !== undefined)
          .join("\n\n");
  }
  return null;
}

/**
 * A document for a chat that has no document part: its text under its title, or, for what a text model cannot
 * read here (a PDF's bytes, a URL), a short note naming it, so the model knows a file was there.
 */
export function documentoComoTexto(b: BlocoDeDocumento): string {
  const titulo = textoOu(b.title);
  const texto = textoDoDocumento(b);
  if (texto === null) {
    const fonte = b.source as Record<string, unknown>;
    return `[document: ${titulo ?? textoOu(fonte.media_type) ?? textoOu(fonte.url) ?? fonte.type} omitted]`;
  }
  const contexto = textoOu(b.context);
  return [titulo && `[document: ${titulo}]`, contexto, texto].filter(Boolean).join("\n\n");
}

/** A search result as text: its title and source, then its text blocks. */
export function resultadoDeBuscaComoTexto(b: BlocoDeBusca): string {
  const cabeca = [textoOu(b.title), textoOu(b.source)].filter(Boolean).join(" — ");
  const textos = (b.content ?? []).map((c) => (c.type === "text" ? textoOu(c.text) : undefined)).filter((t) => t !== undefined);
  return [cabeca && `[search result: ${cabeca}]`, ...textos].filter(Boolean).join("\n\n");
}
