import type { BlocoAnthropic, CorpoContagemAnthropic, CorpoMensagensAnthropic } from "../../schemas/corpos-anthropic";
import { documentoComoTexto, resultadoDeBuscaComoTexto } from "./documentos";

type ParteOpenAI = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };
type ChamadaOpenAI = { id: string; type: "function"; function: { name: string; arguments: string } };
export type MensagemOpenAI =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ParteOpenAI[] }
  | { role: "assistant"; content: string | null; tool_calls?: ChamadaOpenAI[] }
  | { role: "tool"; tool_call_id: string; content: string };

type BlocoDeImagem = Extract<BlocoAnthropic, { type: "image" }>;
type BlocoDeResultado = Extract<BlocoAnthropic, { type: "tool_result" }>;

const urlDaImagem = (b: BlocoDeImagem): string =>
  b.source.type === "base64" ? `data:${b.source.media_type};base64,${b.source.data}` : b.source.url;

/** Text parts alone go as one string (every chat template reads it); with an image, as OpenAI's content parts. */
function conteudoDoUsuario(partes: ParteOpenAI[]): string | ParteOpenAI[] {
  return partes.every((p) => p.type === "text") ? partes.map((p) => p.text).join("\n\n") : partes;
}

/** A tool's result as OpenAI's `tool` message carries it: text, documents as text (its images cannot go in a tool message). */
function textoDoResultado(b: BlocoDeResultado): string {
  const texto =
    typeof b.content === "string"
      ? b.content
      : (b.content ?? [])
          .map((c) =>
            c.type === "text"
              ? c.text
              : c.type === "document"
                ? documentoComoTexto(c)
                : c.type === "search_result"
                  ? resultadoDeBuscaComoTexto(c)
                  : null,
          )
          .filter((t) => t !== null)
          .join("\n\n");
  return b.is_error ? `Erro: ${texto}` : texto;
}

/** The system prompt's text (its blocks' `cache_control` ignored: no local server caches by marker). */
export function textoDoSistema(system: CorpoContagemAnthropic["system"]): string | null {
  if (system === undefined) return null;
  const texto = typeof system === "string" ? system : system.map((b) => b.text).join("\n\n");
  return texto || null;
}

/**
 * Anthropic's messages as OpenAI chat messages: a user turn's `tool_result` blocks become `tool` messages (first,
 * as they answer the assistant turn just before), its text and images one user message; an assistant turn's text
 * is its content and its `tool_use` blocks its `tool_calls`. Documents and search results become text (a binary
 * document a note naming it: documentoComoTexto). Reasoning blocks sent back are dropped.
 */
export function mensagensOpenAI(corpo: CorpoContagemAnthropic): MensagemOpenAI[] {
  const saida: MensagemOpenAI[] = [];
  const sistema = textoDoSistema(corpo.system);
  if (sistema !== null) saida.push({ role: "system", content: sistema });
  for (const m of corpo.messages) {
    if (typeof m.content === "string") {
      saida.push(m.role === "user" ? { role: "user", content: m.content } : { role: "assistant", content: m.content });
      continue;
    }
    if (m.role === "assistant") {
      const textos: string[] = [];
      const chamadas: ChamadaOpenAI[] = [];
      for (const b of m.content) {
        if (b.type === "text") textos.push(b.text);
        else if (b.type === "tool_use")
          chamadas.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input) } });
      }
      const texto = textos.join("");
      saida.push(
        chamadas.length ? { role: "assistant", content: texto || null, tool_calls: chamadas } : { role: "assistant", content: texto },
      );
      continue;
    }
    const partes: ParteOpenAI[] = [];
    for (const b of m.content) {
      if (b.type === "tool_result") saida.push({ role: "tool", tool_call_id: b.tool_use_id, content: textoDoResultado(b) });
      else if (b.type === "text") partes.push({ type: "text", text: b.text });
      else if (b.type === "image") partes.push({ type: "image_url", image_url: { url: urlDaImagem(b) } });
      else if (b.type === "document") partes.push({ type: "text", text: documentoComoTexto(b) });
      else if (b.type === "search_result") partes.push({ type: "text", text: resultadoDeBuscaComoTexto(b) });
      if (b.type === "tool_result" && Array.isArray(b.content)) {
        // A result's images follow it as the user's: a tool message has no image parts.
        for (const c of b.content) if (c.type === "image") partes.push({ type: "image_url", image_url: { url: urlDaImagem(c) } });
      }
    }
    if (partes.length) saida.push({ role: "user", content: conteudoDoUsuario(partes) });
  }
  return saida;
}

/** Anthropic's tools as OpenAI function tools; a server tool of Anthropic's own (no input_schema) has no local meaning. */
function ferramentasOpenAI(tools: CorpoContagemAnthropic["tools"]) {
  const lista = (tools ?? []).filter((t) => t.input_schema !== undefined);
  if (!lista.length) return null;
  return lista.map((t) => ({
    type: "function",
    function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.input_schema },
  }));
}

function escolhaOpenAI(escolha: CorpoContagemAnthropic["tool_choice"]): unknown {
  switch (escolha?.type) {
    case undefined:
      return undefined;
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", function: { name: escolha.name } };
  }
}

/**
 * An Anthropic Messages request as an OpenAI chat request, for a server without `/v1/messages`: the messages
 * and tools translated, `max_tokens`, `stop_sequences` as `stop`, the sampling fields as they are (`top_k` is an
 * extension llama-server, LM Studio and Ollama take). `metadata` and the rest of Anthropic's own fields are left
 * out. The pipeline sets `model`.
 */
export function pedidoOpenAI(corpo: CorpoMensagensAnthropic): Record<string, unknown> {
  const saida: Record<string, unknown> = { messages: mensagensOpenAI(corpo), max_tokens: corpo.max_tokens };
  if (corpo.stream === true) saida.stream = true;
  if (corpo.stop_sequences?.length) saida.stop = corpo.stop_sequences;
  if (corpo.temperature !== undefined) saida.temperature = corpo.temperature;
  if (corpo.top_p !== undefined) saida.top_p = corpo.top_p;
  if (corpo.top_k !== undefined) saida.top_k = corpo.top_k;
  const ferramentas = corpo.tool_choice?.type === "none" ? null : ferramentasOpenAI(corpo.tools);
  if (ferramentas) {
    saida.tools = ferramentas;
    const escolha = escolhaOpenAI(corpo.tool_choice);
    if (escolha !== undefined) saida.tool_choice = escolha;
    if (corpo.tool_choice && "disable_parallel_tool_use" in corpo.tool_choice && corpo.tool_choice.disable_parallel_tool_use) {
      saida.parallel_tool_calls = false;
    }
  }
  return saida;
}
