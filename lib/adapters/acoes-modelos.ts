import { ErroApp } from "../errors";

/** What a server lets the app do with its models; `motivo` says why something is missing. */
export type AcoesModelos = {
  baixar: boolean;
  carregar: boolean;
  descarregar: boolean;
  excluir: boolean;
  motivo: string | null;
};

export type AcaoModelo = "baixar" | "carregar" | "descarregar" | "excluir";

export type OpcoesCarregar = { contexto?: number };

export const nenhumaAcao = (motivo: string): AcoesModelos => ({
  baixar: false,
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
