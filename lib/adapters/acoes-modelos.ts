import "server-only";
import { ErroApp } from "../errors";
import type { AcoesModelos } from "../schemas/llm";

export type AcaoModelo = "baixar" | "carregar" | "descarregar" | "excluir";

export type OpcoesCarregar = { contexto?: number };

/** One step of a download as the server reports it; the service adds speed and time left where it can. */
export type ProgressoDownload = {
  /** The server's own words ("pulling sha256:…", "verifying sha256 digest", "downloading"). */
  status: string;
  total_bytes: number | null;
  baixados_bytes: number | null;
  /** When the server measures it itself (LM Studio). */
  velocidade_bps?: number | null;
  /** Per layer, where the server reports layers (Ollama). */
  camadas?: { id: string; total_bytes: number; baixados_bytes: number }[];
};

/** A model download can rightly take hours. */
export const DURACAO_MAXIMA_DOWNLOAD_MS = 24 * 3600_000;

export const nenhumaAcao = (motivo: string): AcoesModelos => ({
  baixar: false,
  cancelar_download: false,
  carregar: false,
  descarregar: false,
  excluir: false,
  motivo,
});

const VERBOS: Record<AcaoModelo, string> = {
  baixar: "baixar modelos",
  carregar: "carregar modelos",
  descarregar: "descarregar modelos",
  excluir: "excluir modelos",
};

/** 409: this server (type, mode or version) cannot do that. */
export function acaoNaoSuportada(acao: AcaoModelo, motivo: string): ErroApp {
  return new ErroApp("acao_nao_suportada", `Este servidor não permite ${VERBOS[acao]}: ${motivo}`);
}

/** Waits between two polls of the server, or stops at once (as "cancelado") when the signal aborts. */
export function esperar(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelado = () => {
      clearTimeout(t);
      reject(new ErroApp("cancelado", "A requisição foi cancelada por quem a fez."));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", cancelado);
      resolve();
    }, ms);
    if (signal?.aborted) return cancelado();
    signal?.addEventListener("abort", cancelado, { once: true });
  });
}
