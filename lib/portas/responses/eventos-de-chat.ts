import type { ErroApp } from "../../errors";
import type { Enquadrador, EventoModelo } from "../../gateway/pedido";
import { bytesSSE } from "../../protocolo/sse";
import type { CorpoResponses } from "../../schemas/corpos-responses";
import { textoDoErro, textoDoEvento } from "./eventos";
import {
  type Identidade,
  type ItemChamada,
  type ItemDeSaida,
  type ItemMensagem,
  type ItemRaciocinio,
  novaIdentidade,
  objetoResponse,
  parteDeRaciocinio,
  parteDeTexto,
  raciocinioDe,
  type UsoResponses,
  usoDeChat,
} from "./objeto-response";

type DeltaDeChamada = { index?: number; id?: string; function?: { name?: string; arguments?: string } };
type ChunkDeChat = {
  choices?: {
    delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: DeltaDeChamada[] | null } | null;
    finish_reason?: unknown;
  }[];
  usage?: unknown;
};

/** An item whose text is still arriving: the answer's (output_text) or the model's reasoning (reasoning_text). */
type ItemDeTexto = ItemMensagem | ItemRaciocinio;

/** Per kind of text item: how its item starts, its part, and the names of its text events. */
const TEXTO = {
  message: {
    item: (id: string): ItemMensagem => ({ type: "message", id: `msg_${id}`, status: "in_progress", role: "assistant", content: [] }),
    parte: parteDeTexto,
    eventos: "response.output_text",
  },
  reasoning: {
    item: (id: string): ItemRaciocinio => ({ type: "reasoning", id: `rs_${id}`, status: "in_progress", summary: [], content: [] }),
    parte: parteDeRaciocinio,
    eventos: "response.reasoning_text",
  },
} as const;

/**
 * Chat's stream as OpenAI's Responses events, in OpenAI's order: `response.created` and `.in_progress` at the
 * first chunk; a thinking model's reasoning as a `reasoning` item (`reasoning_text` deltas), the text as a message
 * item (`output_item.added`, `content_part.added`, `output_text.delta`…, then `.done` of each); each tool call as
 * a `function_call` item with its argument deltas; then `response.completed` (or `.incomplete` when the output
 * limit cut it) with the whole response and its usage. Every event carries its `sequence_number`; an error after
 * the first byte is OpenAI's `error` event.
 */
export class EventosDeChat {
  private seq = 0;
  private iniciado = false;
  private readonly itens: ItemDeSaida[] = [];
  private aberto: ItemDeTexto | null = null;
  private texto = "";
  private readonly chamadas = new Map<number, ItemChamada>();
  private corte = false;
  private uso: UsoResponses | null = null;
  private saida = "";

  constructor(private readonly ident: Identidade) {}

  enquadrar(eventos: readonly EventoModelo[]): Uint8Array {
    for (const e of eventos) {
      // As the relay's reader parsed it (no second parse per chunk).
      if (e.tipo === "chunk") this.chunk((e.json ?? JSON.parse(e.dados)) as ChunkDeChat);
      else if (e.tipo === "delta") this.textoNovo("message", e.conteudo);
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
    const raciocinio = raciocinioDe(escolha.delta);
    if (raciocinio) this.textoNovo("reasoning", raciocinio);
    const conteudo = escolha.delta?.content;
    if (typeof conteudo === "string" && conteudo) this.textoNovo("message", conteudo);
    for (const d of escolha.delta?.tool_calls ?? []) this.chamada(d);
    if (escolha.finish_reason === "length") this.corte = true;
  }

  /** More text of one kind: the open item goes on, or (another kind open, or none) a new one starts. */
  private textoNovo(tipo: ItemDeTexto["type"], delta: string): void {
    this.iniciar();
    if (this.aberto?.type !== tipo) this.fecharTexto();
    const k = TEXTO[tipo];
    let item = this.aberto;
    if (!item) {
      item = k.item(`${this.ident.id.slice(5)}_${this.itens.length}`);
      this.aberto = item;
      this.itens.push(item);
      const output_index = this.itens.length - 1;
      this.emitir("response.output_item.added", { output_index, item: { ...item, content: [] } });
      this.emitir("response.content_part.added", { item_id: item.id, output_index, content_index: 0, part: k.parte("") });
    }
    this.texto += delta;
    const posicao = { item_id: item.id, output_index: this.itens.indexOf(item), content_index: 0 };
    this.emitir(`${k.eventos}.delta`, tipo === "message" ? { ...posicao, delta, logprobs: [] } : { ...posicao, delta });
  }

  /** The open text item ends (its text whole) before another item opens, and at the end. */
  private fecharTexto(): void {
    const item = this.aberto;
    if (!item) return;
    this.aberto = null;
    const k = TEXTO[item.type];
    const posicao = { item_id: item.id, output_index: this.itens.indexOf(item), content_index: 0 };
    if (item.type === "message") item.content = [parteDeTexto(this.texto)];
    else item.content = [parteDeRaciocinio(this.texto)];
    item.status = "completed";
    const feito = item.type === "message" ? { ...posicao, text: this.texto, logprobs: [] } : { ...posicao, text: this.texto };
    this.emitir(`${k.eventos}.done`, feito);
    this.emitir("response.content_part.done", { ...posicao, part: item.content[0] });
    this.emitir("response.output_item.done", { output_index: posicao.output_index, item });
    this.texto = "";
  }

  private chamada(d: DeltaDeChamada): void {
    const chave = d.index ?? 0;
    let c = this.chamadas.get(chave);
    if (!c) {
      this.fecharTexto();
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
    this.fecharTexto();
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
