import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import {
  type AcoesModelos,
  adaptadorPara,
  type AdaptadorLLM,
  type Capacidade,
  type OpcoesCarregar,
  type PedacoChat,
  type PedidoChat,
  type ProgressoDownload,
  type RespostaDoServidor,
  type RotaDoServidor,
} from "../adapters";
import type { ModeloLLM } from "../schemas/llm";
import { decifrar } from "../seguranca/cifra";
import { SemChave } from "./sem-chave";

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
 * errors — so the key never leaves. On the hot path (stream events, deltas) a string search per event,
 * done as the SSE reader parses each event.
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

  async abrirRota(
    rota: RotaDoServidor,
    corpo: Record<string, unknown>,
    signal?: AbortSignal,
    limparEvento?: (dados: string) => string,
  ): Promise<RespostaDoServidor> {
    // Each stream event is cleaned as the reader parses it (no extra step per batch); with a short key only an
    // error event is, since the relay builds its error message from that event's text.
    const limpar = limparEvento ? (dados: string) => limparEvento(this.sem.evento(dados)) : this.sem.evento;
    const r = await this.adaptador.abrirRota(rota, corpo, signal, limpar).catch(this.limpar);
    if (r.tipo !== "json") return r;
    // Both forms are cleaned: a door that translates the answer builds it from `dados`. The parsed value is
    // masked only when the text held the key (nothing is walked otherwise).
    const texto = this.sem.resposta(r.texto);
    return texto === r.texto ? r : { ...r, texto, dados: this.sem.valor(r.dados) };
  }

  async listarModelos(signal?: AbortSignal) {
    return this.sem.valor(await this.adaptador.listarModelos(signal).catch(this.limpar));
  }

  async capacidade(modelos: ModeloLLM[], signal?: AbortSignal): Promise<Capacidade | null> {
    if (!this.adaptador.capacidade) return null;
    return await this.adaptador.capacidade(modelos, signal).catch(this.limpar);
  }

  async chat(pedido: PedidoChat, signal?: AbortSignal) {
    return this.sem.valor(await this.adaptador.chat(pedido, signal).catch(this.limpar));
  }

  acoesModelos(modelos: ModeloLLM[]): AcoesModelos {
    return this.adaptador.acoesModelos(modelos);
  }

  nomeCanonico(modelo: string): string {
    return this.adaptador.nomeCanonico(modelo);
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

  /** Deltas cleaned across their boundaries: a tail that may be the start of a key waits for the next delta. */
  async *chatStream(pedido: PedidoChat, signal?: AbortSignal): AsyncGenerator<PedacoChat> {
    let retido = "";
    try {
      for await (const pedaco of this.adaptador.chatStream(pedido, signal)) {
        if (!this.sem.nasRespostas) yield pedaco;
        else if (pedaco.tipo === "delta") {
          const limpo = this.sem.pedaco(retido, pedaco.conteudo);
          retido = limpo.retido;
          if (limpo.pronto) yield limpo.pronto === pedaco.conteudo ? pedaco : { tipo: "delta", conteudo: limpo.pronto };
        } else {
          if (retido) yield { tipo: "delta", conteudo: retido };
          retido = "";
          yield this.sem.valor(pedaco);
        }
      }
    } catch (e) {
      this.limpar(e);
    }
  }
}
