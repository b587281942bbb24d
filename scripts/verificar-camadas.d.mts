export type Camada = { camada: string; unidades: string[] };
export type Excecao = { de: string; para: string; motivo: string };
export type Regra =
  | "ordem"
  | "ciclo"
  | "next"
  | "interfaceDb"
  | "serverOnly"
  | "foraDoMapa"
  | "naoResolvido"
  | "semMarca"
  | "excecaoObsoleta";
export type Violacao = { arquivo: string; importacao: string; regra: Regra; detalhe?: string; explicacao: string };
export declare const CAMADAS: Camada[];
export declare const EXCECOES: Excecao[];
export declare const CAMADAS_DE_SERVIDOR: string[];
export declare const SEM_MARCA: { arquivo: string; motivo: string }[];
export declare const REGRAS: Record<Regra, string>;
export declare const PASTAS_LIDAS: string[];
export declare const ARQUIVOS_LIDOS: string[];
export declare function lerModulo(texto: string): {
  importacoes: { especificador: string; tipos: boolean }[];
  cliente: boolean;
  acoesServidor: boolean;
  serverOnly: boolean;
};
export declare function verificarCamadas(opcoes: {
  raiz: string;
  camadas?: Camada[];
  excecoes?: Excecao[];
  semMarca?: { arquivo: string; motivo: string }[];
}): {
  violacoes: Violacao[];
  arquivos: number;
};
export declare function formatarViolacao(v: Violacao): string;
