import type { ErroApp } from "../../errors";
import type { Enquadrador, EventoModelo } from "../../gateway/pedido";
import type { CorpoResponses } from "../../schemas/corpos-responses";
import { bytesSSE } from "../../protocolo/sse";
import { textoDoErro, textoDoEvento } from "./eventos";
import {
  type Identidade,
  type ItemChamada,
  type ItemDeSaida,
  type ItemMensagem,
  novaIdentidade,
  objetoResponse,
  parteDeTexto,
  type UsoResponses,
  usoDeChat,
} from "./objeto-response";

type DeltaDeChamada = { index?: number; id?: string; function?: { name?: string; arguments?: string } };
type ChunkDeChat = {
  choices?: { delta?: { content?: unknown; tool_calls?: DeltaDeChamada[] | null } | null; finish_reason?: unknown }[];
  usage?: unknown;
};

/**
 * Chat's stream as OpenAI's Responses events, in OpenAI's order: `response.created` and `.in_progress` at the
 * first chunk; the text as a message item (`output_item.added`, `content_part.added`, `output_text.delta`…,
 * then `.done` of each); each tool call as a `function_call` item with its argument deltas; then
 * `response.completed` (or `.incomplete` when the output limit cut it) with the whole response and its usage.
 * Every event carries its `sequence_number`; an error after the first byte is OpenAI's `error` event.
 */
export class EventosDeChat {
  private seq = 0;
  private iniciado = false;
  private readonly itens: ItemDeSaida[] = [];
  private mensagem: ItemMensagem | null = null;
  private texto = "";
  private readonly chamadas = new Map<number, ItemChamada>();
  private corte = false;
  private uso: UsoResponses | null = null;
  private saida = "";

  constructor(private readonly ident: Identidade) {}

  enquadrar(eventos: readonly EventoModelo[]): Uint8Array {
    for (const e of eventos) {
      if (e.tipo === "chunk") this.chunk(JSON.parse(e.dados) as ChunkDeChat);
      else if (e.tipo === "delta") this.textoNovo(e.conteudo);
      else if (e.tipo === "fim") this.fim();
      else this.erro(e.erro);
    }
    const bytes = bytesSSE(this.saida);
    this.saida = "";
    return bytes;
  }

  private emitir(tipo: string, campos: Record<string, unknown>): void {
    this.saida += textoDoEvento(tipo, this.seq++, campos);
  }

  private iniciar(): void {
    if (this.iniciado) return;
    this.iniciado = true;
    const r = objetoResponse(this.ident, "in_progress", [], null);
    this.emitir("response.created", { response: r });
    this.emitir("response.in_progress", { response: r });
  }

  private chunk(c: ChunkDeChat): void {
    this.iniciar();
    if (c.usage) this.uso = usoDeChat(c.usage);
    const escolha = c.choices?.[0];
    if (!escolha) return;
    const conteudo = escolha.delta?.content;
    if (typeof conteudo === "string" && conteudo) this.textoNovo(conteudo);
    for (const d of escolha.delta?.tool_calls ?? []) this.chamada(d);
    if (escolha.finish_reason === "length") this.corte = true;
  }

  private textoNovo(delta: string): void {
    this.iniciar();
    let m = this.mensagem;
    if (!m) {
      m = {
        type: "message",
        id: `msg_${this.ident.id.slice(5)}_${this.itens.length}`,
        status: "in_progress",
        role: "assistant",
        content: [],
      };
      this.mensagem = m;
      this.itens.push(m);
      this.emitir("response.output_item.added", { output_index: this.itens.length - 1, item: { ...m, content: [] } });
      this.emitir("response.content_part.added", {
        item_id: m.id,
        output_index: this.itens.length - 1,
        content_index: 0,
        part: parteDeTexto(""),
      });
    }
    this.texto += delta;
    this.emitir("response.output_text.delta", {
      item_id: m.id,
      output_index: this.itens.indexOf(m),
      content_index: 0,
      delta,
      logprobs: [],
    });
  }

  /** The open message item ends (its text whole) before a tool call's item opens, and at the end. */
  private fecharMensagem(): void {
    const m = this.mensagem;
    if (!m) return;
    this.mensagem = null;
    const indice = this.itens.indexOf(m);
    const parte = parteDeTexto(this.texto);
    m.content = [parte];
    m.status = "completed";
    this.emitir("response.output_text.done", { item_id: m.id, output_index: indice, content_index: 0, text: this.texto, logprobs: [] });
    this.emitir("response.content_part.done", { item_id: m.id, output_index: indice, content_index: 0, part: parte });
    this.emitir("response.output_item.done", { output_index: indice, item: m });
    this.texto = "";
  }

  private chamada(d: DeltaDeChamada): void {
    const chave = d.index ?? 0;
    let c = this.chamadas.get(chave);
    if (!c) {
      this.fecharMensagem();
      const n = this.itens.length;
      c = {
        type: "function_call",
        id: `fc_${this.ident.id.slice(5)}_${n}`,
        call_id: d.id || `call_${this.ident.id.slice(5)}_${n}`,
        name: d.function?.name ?? "",
        arguments: "",
        status: "in_progress",
      };
      this.chamadas.set(chave, c);
      this.itens.push(c);
      this.emitir("response.output_item.added", { output_index: n, item: { ...c } });
    } else if (d.function?.name && !c.name) {
      c.name = d.function.name;
    }
    const argumentos = d.function?.arguments;
    if (argumentos) {
      c.arguments += argumentos;
      this.emitir("response.function_call_arguments.delta", { item_id: c.id, output_index: this.itens.indexOf(c), delta: argumentos });
    }
  }

  private fim(): void {
    this.iniciar();
    this.fecharMensagem();
    for (const c of this.chamadas.values()) {
      const indice = this.itens.indexOf(c);
      c.status = "completed";
      this.emitir("response.function_call_arguments.done", { item_id: c.id, output_index: indice, name: c.name, arguments: c.arguments });
      this.emitir("response.output_item.done", { output_index: indice, item: c });
    }
    this.chamadas.clear();
    const status = this.corte ? "incomplete" : "completed";
    this.emitir(`response.${status}`, { response: objetoResponse(this.ident, status, this.itens, this.uso) });
  }

  private erro(erro: ErroApp): void {
    this.saida += textoDoErro(erro, this.seq++);
  }
}

/** The framer of one translated attempt (its state is this stream's). */
export function eventosDeChat(corpo: CorpoResponses): Enquadrador {
  const tradutor = new EventosDeChat(novaIdentidade(corpo));
  return (eventos) => tradutor.enquadrar(eventos);
}
