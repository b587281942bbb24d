import type { ProvedorLLMLinha } from "@/db/schema";
import { adaptadorPara, type AdaptadorLLM } from "../adapters";
import { decifrar } from "../seguranca/cifra";

/** The adapter for a stored provider, with its key decrypted in memory only. */
export function adaptadorDe(linha: ProvedorLLMLinha): AdaptadorLLM {
  return adaptadorPara({
    tipo: linha.tipo,
    base_url: linha.base_url,
    timeout_segundos: linha.timeout_segundos,
    api_key: linha.api_key ? decifrar(linha.api_key) : null,
  });
}
