import "server-only";
import type { TipoProvedor } from "@/db/schema";
import type { ConfiguracaoProvedor } from "../schemas/provedor";
import type { AcoesModelos, Mensagem, ModeloLLM, Tokens } from "../schemas/llm";
import type { OpcoesCarregar, ProgressoDownload } from "./acoes-modelos";
import type { RespostaDoServidor, RotaDoServidor } from "./abrir-rota-do-servidor";

/** What an adapter needs to reach one server. The key arrives decrypted, only in memory. */
export type AlvoProvedor = {
  tipo: TipoProvedor;
  base_url: string;
  timeout_segundos: number;
  api_key: string | null;
};

export type PedidoChat = {
  modelo: string;
  mensagens: Mensagem[];
  configuracao: ConfiguracaoProvedor;
};

/** A chat answer as the adapter read it; the service adds ids and timings. */
export type RespostaChat = {
  conteudo: string;
  modelo: string;
  finish_reason: string | null;
  tokens: Tokens;
  /** The server's own figure when it gives one (llama.cpp timings, Ollama eval counts). */
  tokens_por_segundo: number | null;
};

export type PedacoChat = { tipo: "delta"; conteudo: string } | ({ tipo: "fim" } & Omit<RespostaChat, "conteudo">);

export type InfoServidor = { versao?: string; modelos: ModeloLLM[] };

/**
 * What one background check learned, from the server's free native routes only (never a generation):
 * whether it is loading a model, and which models are loaded (null: the server does not tell).
 */
export type Verificacao = { carregando: boolean; carregados: string[] | null };

/**
 * How much the server says it runs at once, learned with the model list. `concorrencia`: parallel slots
 * (llama-server's `total_slots`; in router mode those of a loaded model), undefined when it could not tell this
 * time (nothing loaded: what was learned before stays); `modelosSimultaneos`: how many models it keeps loaded
 * (router mode's `max_instances`, 0 = unlimited), null when it runs one model.
 */
export type Capacidade = { concorrencia: number | undefined; modelosSimultaneos: number | null };

/** One per server type; only the service picks which. Every failure is thrown as an ErroApp. */
export interface AdaptadorLLM {
  /**
   * One of the server's own routes, for the gateway's doors: an OpenAI one, or a dialect it speaks natively;
   * the door's body goes as given. `limparEvento` rewrites each stream event's data as it is parsed (the key masking).
   */
  abrirRota(
    rota: RotaDoServidor,
    corpo: Record<string, unknown>,
    signal?: AbortSignal,
    limparEvento?: (dados: string) => string,
  ): Promise<RespostaDoServidor>;
  testar(signal?: AbortSignal): Promise<InfoServidor>;
  /** The monitor's check: cheap enough to run every few seconds. */
  verificar(signal?: AbortSignal): Promise<Verificacao>;
  listarModelos(signal?: AbortSignal): Promise<ModeloLLM[]>;
  /**
   * What the server says of its concurrency, given the models it just listed; absent (or null) when the type
   * does not say. Its failure never fails the model list: the caller ignores it.
   */
  capacidade?(modelos: ModeloLLM[], signal?: AbortSignal): Promise<Capacidade | null>;
  chat(pedido: PedidoChat, signal?: AbortSignal): Promise<RespostaChat>;
  chatStream(pedido: PedidoChat, signal?: AbortSignal): AsyncGenerator<PedacoChat>;
  /** What the page may offer, from the models the server listed (llama.cpp's router mode shows there). */
  acoesModelos(modelos: ModeloLLM[]): AcoesModelos;
  /** Resolves once the server says the model is loaded (a background load is followed until then). */
  carregarModelo(modelo: string, opcoes: OpcoesCarregar, signal?: AbortSignal): Promise<void>;
  descarregarModelo(modelo: string, signal?: AbortSignal): Promise<void>;
  excluirModelo(modelo: string, signal?: AbortSignal): Promise<void>;
  /** The model as this server names it, whatever spelling the caller used (two spellings of one model are one download). */
  nomeCanonico(modelo: string): string;
  /** Progress as the server reports it, ending when the model is on disk; aborting `signal` stops it. */
  baixarModelo(modelo: string, signal: AbortSignal): AsyncGenerator<ProgressoDownload>;
}
