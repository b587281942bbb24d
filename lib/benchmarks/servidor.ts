import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { adaptadorDe } from "../provedores/adaptador-do-provedor";
import type { ServidorDoBenchmark } from "../schemas/benchmark";
import type { ModeloLLM } from "../schemas/llm";

/** How long the version question may take: it only labels the run. */
const PRAZO_VERSAO_S = 10;

/** The server's version as its test reads it (llama.cpp's build_info, Ollama's /api/version); null when it does not say. */
export async function versaoDoServidor(linha: ProvedorLLMLinha, sinal: AbortSignal): Promise<string | null> {
  try {
    const info = await adaptadorDe(linha, Math.min(linha.timeout_segundos, PRAZO_VERSAO_S)).testar(sinal);
    return info.versao ?? null;
  } catch {
    return null;
  }
}

/** The server and model as they were when the run started, from the provider's row and its model cache. */
export function retratoDoServidor(
  linha: ProvedorLLMLinha,
  modelo: ModeloLLM,
  versao: string | null,
  tamanho: ServidorDoBenchmark["tamanho_dos_prompts"],
): ServidorDoBenchmark {
  return {
    nome: linha.nome,
    tipo: linha.tipo,
    versao,
    modelo: {
      id: modelo.modelo,
      tamanho_bytes: modelo.tamanho_bytes,
      quantizacao: modelo.quantizacao,
      parametros: modelo.parametros,
      familia: modelo.familia,
      contexto: modelo.contexto_max,
      carregado: modelo.carregado,
    },
    tamanho_dos_prompts: tamanho,
  };
}
