import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import type { ProvedorLLM } from "../schemas/provedor";

/**
 * A row as the API shows it: the encrypted key stays behind, only whether one is set goes out; the name's
 * comparison key is the database's business.
 */
export function paraProvedorLLM(linha: ProvedorLLMLinha): ProvedorLLM {
  const { api_key, nome_chave: _chave, ...resto } = linha;
  return { ...resto, api_key_configurada: api_key !== null && api_key !== "" };
}
