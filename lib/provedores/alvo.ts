import type { ProvedorLLMLinha } from "@/db/schema";
import {
  type AcoesModelos,
  adaptadorPara,
  type AdaptadorLLM,
  type OpcoesCarregar,
  type PedacoChat,
  type PedidoChat,
  type ProgressoDownload,
  type RespostaOpenAI,
  type RotaOpenAI,
} from "../adapters";
import type { ModeloLLM } from "../schemas/llm";
import { ErroApp } from "../errors";
import { decifrar } from "../seguranca/cifra";

/** The adapter for a stored provider, with its key decrypted in memory only (`timeout_segundos` may be shortened). */
export function adaptadorDe(linha: ProvedorLLMLinha, timeout_segundos = linha.timeout_segundos): AdaptadorLLM {
  const api_key = linha.api_key ? decifrar(linha.api_key) : null;
  const adaptador = adaptadorPara({ tipo: linha.tipo, base_url: linha.base_url, timeout_segundos, api_key });
  return api_key ? new AdaptadorSemChave(adaptador, api_key) : adaptador;
}

/**
 * Servers quote the key they refused ("Incorrect API key provided: sk-…"), in an error status or in an
 * error event halfway through a stream. Everything an adapter returns or throws passes here before anyone
 * passes it on, stores or logs it — answers, stream events, chat text, model lists, download progress and
 * errors — so the key never leaves. On the hot path (stream events, deltas) a string search per event.
 */
class AdaptadorSemChave implements AdaptadorLLM {
  private readonly sem: SemChave;

  constructor(
    private readonly adaptador: AdaptadorLLM,
    chave: string,
  ) {
    this.sem = new SemChave(chave);
  }

  private readonly limpar = (e: unknown): never => {
    throw this.sem.erro(e);
  };

  async testar(signal?: AbortSignal) {
    return this.sem.valor(await this.adaptador.testar(signal).catch(this.limpar));
  }

  async verificar(signal?: AbortSignal) {
    return this.sem.valor(await this.adaptador.verificar(signal).catch(this.limpar));
  }

  async abrirOpenAI(rota: RotaOpenAI, corpo: Record<string, unknown>, signal?: AbortSignal): Promise<RespostaOpenAI> {
    const r = await this.adaptador.abrirOpenAI(rota, corpo, signal).catch(this.limpar);
    if (r.tipo === "stream") return { ...r, eventos: this.eventosSemChave(r.eventos) };
    // `dados` is only read for the statistics (usage); `texto` is what the caller gets.
    return this.sem.contem(r.texto) ? { ...r, texto: this.sem.texto(r.texto) } : r;
  }

  /** The relay passes events on as the server wrote them: each is cleaned before it leaves the adapter. */
  private async *eventosSemChave(eventos: AsyncIterable<string[]>): AsyncGenerator<string[]> {
    try {
      for await (const lote of eventos) {
        for (let i = 0; i < lote.length; i++) if (this.sem.contem(lote[i]!)) lote[i] = this.sem.texto(lote[i]!);
        yield lote;
      }
    } catch (e) {
      this.limpar(e);
    }
  }

  async listarModelos(signal?: AbortSignal) {
    return this.sem.valor(await this.adaptador.listarModelos(signal).catch(this.limpar));
  }

  async chat(pedido: PedidoChat, signal?: AbortSignal) {
    const r = await this.adaptador.chat(pedido, signal).catch(this.limpar);
    return this.sem.contem(r.conteudo) ? { ...r, conteudo: this.sem.texto(r.conteudo) } : r;
  }

  acoesModelos(modelos: ModeloLLM[]): AcoesModelos {
    return this.adaptador.acoesModelos(modelos);
  }

  carregarModelo(modelo: string, opcoes: OpcoesCarregar, signal?: AbortSignal) {
    return this.adaptador.carregarModelo(modelo, opcoes, signal).catch(this.limpar);
  }

  descarregarModelo(modelo: string, signal?: AbortSignal) {
    return this.adaptador.descarregarModelo(modelo, signal).catch(this.limpar);
  }

  excluirModelo(modelo: string, signal?: AbortSignal) {
    return this.adaptador.excluirModelo(modelo, signal).catch(this.limpar);
  }

  async *baixarModelo(modelo: string, signal: AbortSignal): AsyncGenerator<ProgressoDownload> {
    try {
      for await (const progresso of this.adaptador.baixarModelo(modelo, signal)) yield this.sem.valor(progresso);
    } catch (e) {
      this.limpar(e);
    }
  }

  async *chatStream(pedido: PedidoChat, signal?: AbortSignal): AsyncGenerator<PedacoChat> {
    try {
      for await (const pedaco of this.adaptador.chatStream(pedido, signal)) {
        if (pedaco.tipo === "fim") yield this.sem.valor(pedaco);
        else yield this.sem.contem(pedaco.conteudo) ? { tipo: "delta", conteudo: this.sem.texto(pedaco.conteudo) } : pedaco;
      }
    } catch (e) {
      this.limpar(e);
    }
  }
}

/** A key's written forms (as is, URL-encoded, inside a JSON string), and how to take them out of a text. */
class SemChave {
  private readonly formas: string[];

  constructor(chave: string) {
    this.formas = [...new Set([chave, encodeURIComponent(chave), JSON.stringify(chave).slice(1, -1)])];
  }

  contem(texto: string): boolean {
    return this.formas.some((f) => texto.includes(f));
  }

  texto(texto: string): string {
    return this.formas.reduce((t, f) => t.split(f).join("***"), texto);
  }

  /** A small value read from the server (a model list, a download's progress), cleaned as its JSON. */
  valor<T>(v: T): T {
    const json = JSON.stringify(v);
    return json !== undefined && this.contem(json) ? (JSON.parse(this.texto(json)) as T) : v;
  }

  erro(erro: unknown): unknown {
    if (erro instanceof ErroApp) {
      if (!this.contem(erro.message)) return erro;
      const limpo = new ErroApp(erro.codigo, this.texto(erro.message), erro.detalhes);
      limpo.statusServidor = erro.statusServidor;
      return limpo;
    }
    // Anything else is logged by comoErroApp: take the key out of what it would print.
    if (erro instanceof Error) {
      const limpo = new Error(this.texto(erro.message));
      limpo.stack = erro.stack ? this.texto(erro.stack) : undefined;
      return limpo;
    }
    return typeof erro === "string" ? this.texto(erro) : erro;
  }
}
