import { type ErroApp, erroNoFormatoAnthropic } from "../../errors";
import { tipoDoEventoAnthropic } from "../../gateway/dialetos/anthropic";
import type { Enquadrador, EventoModelo } from "../../gateway/pedido";
import { bytesSSE, textoSSE } from "../../protocolo/sse";
import { idDaFerramenta, idDaMensagem, motivoDeParada } from "./traduzir-resposta";

/** Anthropic's named SSE event (`event: <type>` then `data: {…}`), as its SDKs read them. */
const evento = (tipo: string, dados: unknown): string => textoSSE(JSON.stringify(dados), tipo);

/** A failure after the first byte: Anthropic's `error` event, which the SDKs raise. */
export const eventoDeErro = (erro: ErroApp): string => evento("error", erroNoFormatoAnthropic(erro).corpo);

/**
 * The framing of a native server's Anthropic stream: each event as the server sent it, named by its type,
 * except `message_start`, whose `message.model` becomes the id the caller asked for. A stream the server closed
 * after its `message_delta` (whole, see the dialect's reader) still ends with `message_stop`.
 */
export function quadrosAnthropicNativos(modelo: string): Enquadrador {
  let parou = false;
  return (eventos: readonly EventoModelo[]) => {
    let texto = "";
    for (const e of eventos) {
      if (e.tipo === "chunk") {
        const tipo = tipoDoEventoAnthropic(e.dados) ?? "message";
        if (tipo === "message_stop") parou = true;
        if (tipo === "message_start") {
          const inicio = JSON.parse(e.dados) as { message?: { model?: string } };
          if (inicio.message) inicio.message.model = modelo;
          texto += evento(tipo, inicio);
        } else texto += textoSSE(e.dados, tipo);
      } else if (e.tipo === "fim") {
        if (!parou) texto += evento("message_stop", { type: "message_stop" });
        parou = true;
      } else if (e.tipo === "erro") texto += eventoDeErro(e.erro);
    }
    return bytesSSE(texto);
  };
}

type DeltaOpenAI = {
  content?: string | null;
  /** A thinking model's reasoning: llama-server's and LM Studio's `reasoning_content`, Ollama's `reasoning`. */
  reasoning_content?: unknown;
  reasoning?: unknown;
  tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[] | null;
};
type ChunkOpenAI = {
  id?: string;
  choices?: { delta?: DeltaOpenAI | null; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
};

/**
 * OpenAI chat chunks as Anthropic's stream, in Anthropic's order: `message_start`, then per content block
 * `content_block_start`, its deltas (`text_delta`, or `input_json_delta` with a tool call's arguments as they
 * come), `content_block_stop`; a `ping` after the first block opens; at the end `message_delta` (the stop reason,
 * the usage of the server's usage chunk) and `message_stop`. One per attempt: it keeps the open block.
 * The server's reasoning becomes `thinking` blocks (`thinking_delta`, no signature: no local model signs its
 * reasoning) when the request asked to think (`pensar`); otherwise it is dropped.
 */
export class TradutorDoStream {
  private iniciado = false;
  private pingou = false;
  /** The index of the open content block, -1 when none is open. */
  private aberto = -1;
  private proximo = 0;
  /** The OpenAI tool call (its index) the open tool_use block carries; null for a text block. */
  private ferramentaAberta: number | null = null;
  /** The open block is a thinking block. */
  private pensando = false;
  private comFerramenta = false;
  private finish: string | null = null;
  private uso = { input_tokens: 0, output_tokens: 0 };
  private terminado = false;

  constructor(
    private readonly modelo: string,
    private readonly pensar = false,
  ) {}

  readonly enquadrar: Enquadrador = (eventos) => {
    let texto = "";
    for (const e of eventos) {
      if (e.tipo === "chunk") texto += this.chunk((e.json ?? JSON.parse(e.dados)) as ChunkOpenAI);
      else if (e.tipo === "fim") texto += this.fim();
      else if (e.tipo === "erro") texto += eventoDeErro(e.erro);
    }
    return bytesSSE(texto);
  };

  private inicio(id: string | undefined): string {
    if (this.iniciado) return "";
    this.iniciado = true;
    return evento("message_start", {
      type: "message_start",
      message: {
        id: idDaMensagem(id),
        type: "message",
        role: "assistant",
        model: this.modelo,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  private fechar(): string {
    if (this.aberto < 0) return "";
    const texto = evento("content_block_stop", { type: "content_block_stop", index: this.aberto });
    this.aberto = -1;
    this.ferramentaAberta = null;
    this.pensando = false;
    return texto;
  }

  private abrir(bloco: Record<string, unknown>): string {
    let texto = this.fechar();
    this.aberto = this.proximo++;
    texto += evento("content_block_start", { type: "content_block_start", index: this.aberto, content_block: bloco });
    if (!this.pingou) {
      this.pingou = true;
      texto += evento("ping", { type: "ping" });
    }
    return texto;
  }

  /** One chat chunk, as the relay's reader parsed it. */
  private chunk(c: ChunkOpenAI): string {
    let texto = this.inicio(c.id);
    if (c.usage) this.uso = { input_tokens: c.usage.prompt_tokens ?? 0, output_tokens: c.usage.completion_tokens ?? 0 };
    const escolha = c.choices?.[0];
    if (!escolha) return texto;
    const delta = escolha.delta;
    const raciocinio = this.pensar ? (delta?.reasoning_content ?? delta?.reasoning) : undefined;
    if (typeof raciocinio === "string" && raciocinio) {
      if (!this.pensando) {
        texto += this.abrir({ type: "thinking", thinking: "", signature: "" });
        this.pensando = true;
      }
      texto += evento("content_block_delta", {
        type: "content_block_delta",
        index: this.aberto,
        delta: { type: "thinking_delta", thinking: raciocinio },
      });
    }
    if (typeof delta?.content === "string" && delta.content) {
      if (this.aberto < 0 || this.ferramentaAberta !== null || this.pensando) texto += this.abrir({ type: "text", text: "" });
      texto += evento("content_block_delta", {
        type: "content_block_delta",
        index: this.aberto,
        delta: { type: "text_delta", text: delta.content },
      });
    }
    for (const chamada of delta?.tool_calls ?? []) {
      const indice = chamada.index ?? 0;
      if (this.ferramentaAberta !== indice) {
        this.comFerramenta = true;
        texto += this.abrir({ type: "tool_use", id: idDaFerramenta(chamada.id, indice), name: chamada.function?.name ?? "", input: {} });
        this.ferramentaAberta = indice;
      }
      const argumentos = chamada.function?.arguments;
      if (argumentos) {
        texto += evento("content_block_delta", {
          type: "content_block_delta",
          index: this.aberto,
          delta: { type: "input_json_delta", partial_json: argumentos },
        });
      }
    }
    if (escolha.finish_reason) this.finish = escolha.finish_reason;
    return texto;
  }

  private fim(): string {
    if (this.terminado) return "";
    this.terminado = true;
    let texto = this.inicio(undefined);
    // An answer with no content at all still has its one (empty) text block, as Anthropic's have.
    if (this.proximo === 0) texto += this.abrir({ type: "text", text: "" });
    texto += this.fechar();
    texto += evento("message_delta", {
      type: "message_delta",
      delta: { stop_reason: motivoDeParada(this.finish, this.comFerramenta), stop_sequence: null },
      usage: this.uso,
    });
    return texto + evento("message_stop", { type: "message_stop" });
  }
}
