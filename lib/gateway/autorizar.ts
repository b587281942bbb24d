import "server-only";
import { ErroApp } from "../errors";
import {
  foraDoEscopoModelo,
  foraDoEscopoPorta,
  foraDoEscopoProvedor,
  pedidoPodeEstarNoEscopo,
  portaNoEscopo,
  provedorNoEscopo,
} from "../chaves/escopo";
import type { NomePorta } from "../schemas/llm";
import type { PedidoModelo } from "./pedido";

/** Each door as a key's holder knows it: its name in `portas`, and the paths it serves. */
const PORTAS_LEGIVEIS: Record<NomePorta, string> = {
  requisicao: "requisicao (/api/provedores-llm/{id}/requisicao)",
  openai: "openai (/v1/chat/completions, /v1/completions, /v1/embeddings)",
  anthropic: "anthropic (/v1/messages)",
  ollama: "ollama (/api/chat, /api/generate, /api/embed)",
  responses: "responses (/v1/responses)",
};

/**
 * The authorise stage: whether this caller may make this call. The admin may do anything. An access key (the
 * gate established it: lib/http/portaria.ts) must open this door, and, as far as can be told before any
 * provider is read, the provider it pinned and the model it asked for; the pick stage (lib/gateway/escolher.ts)
 * then keeps only the candidates in its scope. Synchronous on purpose: the hot path pays no await here.
 */
export function autorizar(pedido: PedidoModelo): void {
  const chamador = pedido.chamador;
  if (chamador.tipo === "admin") return;
  const chave = chamador.chave;
  if (!portaNoEscopo(chave, pedido.porta)) throw foraDoEscopoPorta(chave, PORTAS_LEGIVEIS[pedido.porta]);
  if (pedido.provedorId !== null) {
    if (!provedorNoEscopo(chave, pedido.provedorId)) {
      throw foraDoEscopoProvedor(chave, String(pedido.provedorId));
    }
    // The provider's default model is known only once it is tried: a key limited to some models names one.
    if (pedido.modelo === null && chave.modelos !== null) {
      throw new ErroApp(
        "fora_do_escopo",
        `A chave de acesso "${chave.nome}" só vale para alguns modelos: informe o campo "modelo" (${chave.modelos.slice(0, 10).join(", ")}).`,
      );
    }
    return;
  }
  if (pedido.modelo !== null && !pedidoPodeEstarNoEscopo(chave, pedido.modelo)) throw foraDoEscopoModelo(chave, pedido.modelo);
}
