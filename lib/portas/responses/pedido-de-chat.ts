import type { CorpoResponses, ItemDeEntrada, ParteDeEntrada } from "../../schemas/corpos-responses";

type ParteDeChat = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string; detail?: string } };
type ChamadaDeChat = { id: string; type: "function"; function: { name: string; arguments: string } };
export type MensagemDeChat =
  | { role: "system" | "user"; content: string | ParteDeChat[] }
  | { role: "assistant"; content: string | null; tool_calls?: ChamadaDeChat[] }
  | { role: "tool"; tool_call_id: string; content: string };

/** A part list as chat content: a plain string when it is only text (what every local server takes), else parts. */
function conteudoDeChat(conteudo: string | readonly ParteDeEntrada[]): string | ParteDeChat[] {
  if (typeof conteudo === "string") return conteudo;
  const partes: ParteDeChat[] = conteudo.map((p) => {
    if (p.type === "input_image") return { type: "image_url", image_url: { url: p.image_url, ...(p.detail ? { detail: p.detail } : {}) } };
    return { type: "text", text: p.type === "refusal" ? p.refusal : p.text };
  });
  return partes.every((p) => p.type === "text") ? partes.map((p) => p.text).join("") : partes;
}

/** Text only (an assistant turn, a tool's result): the parts' text joined. */
function textoDe(conteudo: string | readonly ParteDeEntrada[]): string {
  const c = conteudoDeChat(conteudo);
  return typeof c === "string" ? c : c.map((p) => (p.type === "text" ? p.text : "")).join("");
}

/**
 * The conversation as chat messages: `instructions`, then every `developer` and `system` item's text, as the one
 * system message first (strict chat templates take a single system message, and only at the start; a
 * system item after the user's turns is an instruction all the same, so it joins that message rather than sit
 * where a template would refuse it); a string input as one user turn; each run of `function_call` items as one
 * assistant turn with its `tool_calls` (joined to the assistant's text just before it, as chat sends them), each
 * output as a `tool` turn; `reasoning` items left out.
 */
export function mensagensDeChat(instrucoes: string | null | undefined, entrada: string | readonly ItemDeEntrada[]): MensagemDeChat[] {
  const sistema: string[] = instrucoes ? [instrucoes] : [];
  const mensagens: MensagemDeChat[] = [];
  if (typeof entrada === "string") mensagens.push({ role: "user", content: entrada });
  else
    for (const item of entrada) {
      if (item.type === "function_call") {
        const chamada: ChamadaDeChat = { id: item.call_id, type: "function", function: { name: item.name, arguments: item.arguments } };
        const ultima = mensagens.at(-1);
        if (ultima?.role === "assistant") ultima.tool_calls = [...(ultima.tool_calls ?? []), chamada];
        else mensagens.push({ role: "assistant", content: null, tool_calls: [chamada] });
      } else if (item.type === "reasoning") {
        // Chat takes no reasoning back: the conversation goes on without it.
      } else if (item.type === "function_call_output") {
        mensagens.push({ role: "tool", tool_call_id: item.call_id, content: textoDe(item.output) });
      } else if (item.role === "assistant") {
        mensagens.push({ role: "assistant", content: textoDe(item.content) });
      } else if (item.role === "user") {
        mensagens.push({ role: "user", content: conteudoDeChat(item.content) });
      } else {
        const texto = textoDe(item.content);
        if (texto) sistema.push(texto);
      }
    }
  if (sistema.length) mensagens.unshift({ role: "system", content: sistema.join("\n\n") });
  return mensagens;
}

/** `text.format` as chat's `response_format` (plain text: none). */
function formatoDeResposta(formato: NonNullable<CorpoResponses["text"]>["format"]): Record<string, unknown> | undefined {
  if (!formato || formato.type === "text") return undefined;
  if (formato.type === "json_object") return { type: "json_object" };
  const { name, schema, description, strict } = formato;
  return {
    type: "json_schema",
    json_schema: { name, schema, ...(description ? { description } : {}), ...(strict == null ? {} : { strict }) },
  };
}

/** Sets the field only when the caller sent it (chat servers apply their own defaults to the rest). */
function se<T>(campo: string, valor: T | null | undefined): Record<string, T> {
  return valor === null || valor === undefined ? {} : { [campo]: valor };
}

/**
 * A Responses request as an OpenAI chat body, for a server without `/v1/responses`: the conversation, function
 * tools and the choice among them, the output limit, the sampling and the structured output format. `model` is
 * the pipeline's to set; `stream` asks for chat's stream, which the door frames back as Responses events.
 */
export function corpoDeChat(corpo: CorpoResponses): Record<string, unknown> {
  const escolha = corpo.tool_choice;
  return {
    model: corpo.model,
    messages: mensagensDeChat(corpo.instructions, corpo.input),
    ...(corpo.stream ? { stream: true } : {}),
    ...se("max_tokens", corpo.max_output_tokens),
    ...se("temperature", corpo.temperature),
    ...se("top_p", corpo.top_p),
    ...se(
      "tools",
      corpo.tools?.length
        ? corpo.tools.map((f) => ({
            type: "function",
            function: { name: f.name, ...se("description", f.description), ...se("parameters", f.parameters), ...se("strict", f.strict) },
          }))
        : undefined,
    ),
    ...se("tool_choice", typeof escolha === "object" && escolha ? { type: "function", function: { name: escolha.name } } : escolha),
    ...se("parallel_tool_calls", corpo.parallel_tool_calls),
    ...se("response_format", formatoDeResposta(corpo.text?.format)),
  };
}
