import { URL_PADRAO } from "@/lib/schemas/base-url";
import type { ProvedorLLM, ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";

/** A number field left empty is "not set", not zero. */
export const numeroOuVazio = (v: unknown) => (v === "" || v === null || v === undefined ? undefined : Number(v));

/** The concurrency field left empty is "automatic" (null), also when editing: an empty field clears a set limit. */
export const numeroOuNulo = (v: unknown) => (v === "" || v === null || v === undefined ? null : Number(v));

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
      max_concorrencia: null,
      fila_max: 64,
      fila_espera_segundos: 60,
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
    max_concorrencia: provedor.max_concorrencia,
    fila_max: provedor.fila_max,
    fila_espera_segundos: provedor.fila_espera_segundos,
  };
}
