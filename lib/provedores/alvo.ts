import type { ProvedorLLMLinha } from "@/db/schema";
import {
  type AcoesModelos,
  adaptadorPara,
  type AdaptadorLLM,
  type OpcoesCarregar,
  type PedacoChat,
  type PedidoChat,
  type ProgressoDownload,
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
 * Servers quote the key they refused ("Incorrect API key provided: sk-…"). Every error an adapter throws
 * passes here before anyone returns, stores or logs it, so the key never leaves in one.
 */
class AdaptadorSemChave implements AdaptadorLLM {
  constructor(
    private readonly adaptador: AdaptadorLLM,
    private readonly chave: string,
  ) {}

  private readonly limpar = (e: unknown): never => {
    throw semChave(e, this.chave);
  };

  testar(signal?: AbortSignal) {
    return this.adaptador.testar(signal).catch(this.limpar);
  }

  verificar(signal?: AbortSignal) {
    return this.adaptador.verificar(signal).catch(this.limpar);
  }

  abrirOpenAI(rota: RotaOpenAI, corpo: Record<string, unknown>, signal?: AbortSignal) {
    return this.adaptador.abrirOpenAI(rota, corpo, signal).catch(this.limpar);
  }

  listarModelos(signal?: AbortSignal) {
    return this.adaptador.listarModelos(signal).catch(this.limpar);
  }

  chat(pedido: PedidoChat, signal?: AbortSignal) {
    return this.adaptador.chat(pedido, signal).catch(this.limpar);
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
      yield* this.adaptador.baixarModelo(modelo, signal);
    } catch (e) {
      this.limpar(e);
    }
  }

  async *chatStream(pedido: PedidoChat, signal?: AbortSignal): AsyncGenerator<PedacoChat> {
    try {
      yield* this.adaptador.chatStream(pedido, signal);
    } catch (e) {
      this.limpar(e);
    }
  }
}

export function semChave(erro: unknown, chave: string): unknown {
  const formas = [chave, encodeURIComponent(chave), JSON.stringify(chave).slice(1, -1)];
  const limpar = (texto: string) => formas.reduce((t, f) => t.split(f).join("***"), texto);
  if (erro instanceof ErroApp) {
    if (!formas.some((f) => erro.message.includes(f))) return erro;
    const limpo = new ErroApp(erro.codigo, limpar(erro.message), erro.detalhes);
    limpo.statusServidor = erro.statusServidor;
    return limpo;
  }
  // Anything else is logged by comoErroApp: take the key out of what it would print.
  if (erro instanceof Error) {
    const limpo = new Error(limpar(erro.message));
    limpo.stack = erro.stack ? limpar(erro.stack) : undefined;
    return limpo;
  }
  return typeof erro === "string" ? limpar(erro) : erro;
}
