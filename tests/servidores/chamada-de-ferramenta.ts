import type { ServerResponse } from "node:http";
import type { ServidorFalso } from "./base";
import type { PedidoOpenAI } from "./openai-chat";

type Ferramenta = { type?: string; function?: { name?: string; parameters?: { properties?: Record<string, { type?: string }> } } };
type Mensagem = { role: string; content: unknown };
export type PedidoComFerramentas = PedidoOpenAI & { tools?: Ferramenta[]; messages?: Mensagem[] };

/** A chat that offers tools and has not had a tool's result yet: the model asks for its first tool. */
export function pedeFerramenta(p: PedidoComFerramentas): boolean {
  return Boolean(p.tools?.length) && p.messages?.at(-1)?.role !== "tool";
}

/**
 * A chat answer that calls a tool, as OpenAI-style servers send it: `message.tool_calls` (content null,
 * `finish_reason: "tool_calls"`), or streamed as the role chunk, the call's id and name with empty arguments,
 * its arguments in two pieces, the finish chunk (and the usage chunk when asked), `[DONE]`. The arguments fill
 * each string property of the tool's parameters with the last user message's text.
 */
export async function responderChamadaDeFerramenta(
  servidor: ServidorFalso,
  res: ServerResponse,
  pedido: PedidoComFerramentas,
  modelo: string,
): Promise<void> {
  const ferramenta = pedido.tools?.[0]?.function ?? {};
  const pergunta = [...(pedido.messages ?? [])].reverse().find((m) => m.role === "user")?.content;
  const argumentos: Record<string, string> = {};
  for (const [nome, p] of Object.entries(ferramenta.parameters?.properties ?? {})) {
    if (p.type === "string") argumentos[nome] = typeof pergunta === "string" ? pergunta : "";
  }
  const args = JSON.stringify(argumentos);
  const idDaChamada = `call_${Math.random().toString(36).slice(2, 10)}`;
  const base = { id: `chatcmpl-${idDaChamada.slice(5)}`, created: Math.floor(Date.now() / 1000), model: modelo };
  const usage = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 };
  if (!pedido.stream) {
    const chamada = { id: idDaChamada, type: "function", function: { name: ferramenta.name, arguments: args } };
    const texto = JSON.stringify({
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: null, tool_calls: [chamada] } }],
      usage,
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto) });
    res.end(texto);
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const quadro = (delta: unknown, finish_reason: string | null = null) =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
  const meio = Math.floor(args.length / 2);
  const pedacos = [
    quadro({ role: "assistant", content: null }),
    quadro({ tool_calls: [{ index: 0, id: idDaChamada, type: "function", function: { name: ferramenta.name, arguments: "" } }] }),
    quadro({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, meio) } }] }),
    quadro({ tool_calls: [{ index: 0, function: { arguments: args.slice(meio) } }] }),
    quadro({}, "tool_calls"),
    ...(pedido.stream_options?.include_usage
      ? [`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage })}\n\n`]
      : []),
    "data: [DONE]\n\n",
  ];
  if (await servidor.escreverPedacos(res, pedacos)) res.end();
}
