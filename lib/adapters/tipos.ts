import type { TipoProvedor } from "@/db/schema";
import type { ConfiguracaoProvedor } from "../schemas/provedor";
import type { Mensagem, ModeloLLM, Tokens } from "../schemas/llm";

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

/** One per server type; only the service picks which. Every failure is thrown as an ErroApp. */
export interface AdaptadorLLM {
  testar(signal?: AbortSignal): Promise<InfoServidor>;
  listarModelos(signal?: AbortSignal): Promise<ModeloLLM[]>;
  chat(pedido: PedidoChat, signal?: AbortSignal): Promise<RespostaChat>;
  chatStream(pedido: PedidoChat, signal?: AbortSignal): AsyncGenerator<PedacoChat>;
}
