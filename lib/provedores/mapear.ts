import type { ProvedorLLMLinha } from "@/db/schema";
import type { ProvedorLLM } from "../schemas/provedor";

/** A row as the API shows it: the encrypted key stays behind, only whether one is set goes out. */
export function paraProvedorLLM(linha: ProvedorLLMLinha): ProvedorLLM {
  const { api_key, ...resto } = linha;
  return { ...resto, api_key_configurada: api_key !== null && api_key !== "" };
}
