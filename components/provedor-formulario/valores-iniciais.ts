import { URL_PADRAO } from "@/lib/schemas/base-url";
import type { ProvedorLLM, ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";

/** A number field left empty is "not set", not zero. */
export const numeroOuVazio = (v: unknown) => (v === "" || v === null || v === undefined ? undefined : Number(v));

/** What the form opens with: the defaults of a new LM Studio, or the provider being edited (its key never comes back). */
export function valoresIniciais(provedor: ProvedorLLM | null): ProvedorLLMCriarEntrada {
  if (!provedor) {
    return {
      nome: "",
      tipo: "lm_studio",
      base_url: URL_PADRAO.lm_studio ?? "",
      descricao: "",
      api_key: "",
      ativo: true,
      timeout_segundos: 60,
      intervalo_verificacao_segundos: 30,
      configuracao: {},
      modelo_padrao: "",
    };
  }
  return {
    nome: provedor.nome,
    tipo: provedor.tipo,
    base_url: provedor.base_url,
    descricao: provedor.descricao ?? "",
    api_key: "",
    ativo: provedor.ativo,
    timeout_segundos: provedor.timeout_segundos,
    intervalo_verificacao_segundos: provedor.intervalo_verificacao_segundos,
    configuracao: provedor.configuracao,
    modelo_padrao: provedor.modelo_padrao ?? "",
  };
}
