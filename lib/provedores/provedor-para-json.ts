import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { limiteEfetivo } from "../fila/config";
import { acompanhamentoDe } from "../saude/estado";
import type { ProvedorLLM } from "../schemas/provedor";

/**
 * A row as the API and the pages show it: the encrypted key stays behind, only whether one is set goes out; the
 * name's comparison key is the database's business. The status is the health store's when it follows the
 * provider (what the breaker acts on), newer than the row's while its write waits in line or for the database.
 */
export function paraProvedorLLM(linha: ProvedorLLMLinha): ProvedorLLM {
  const { api_key, nome_chave: _chave, ...resto } = linha;
  const saude = acompanhamentoDe(linha.id);
  if (saude) {
    resto.status = saude.status;
    resto.falhas_seguidas = saude.falhas_seguidas;
  }
  return { ...resto, api_key_configurada: api_key !== null && api_key !== "", max_concorrencia_efetiva: limiteEfetivo(linha) };
}
