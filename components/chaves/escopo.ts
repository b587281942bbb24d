import type { ChaveAcesso } from "@/lib/schemas/chave";
import { casaComGlob } from "@/lib/schemas/glob-de-modelo";
import { inteiro } from "../formatos";
import { ROTULO_PORTA } from "../rotulos";

/** A registered provider as the scope picker offers it: its id, its name and the models its cache lists. */
export type OpcaoProvedor = { id: number; nome: string; modelos: string[] };

export type EstadoChave = "ativa" | "inativa" | "revogada" | "expirada";

/** What a key is now: revoked is for good; past its expiry it is expired, whatever `ativa` says. */
export function estadoDaChave(c: Pick<ChaveAcesso, "ativa" | "revogada_em" | "expira_em">, agora = Date.now()): EstadoChave {
  if (c.revogada_em) return "revogada";
  if (c.expira_em && c.expira_em.getTime() <= agora) return "expirada";
  return c.ativa ? "ativa" : "inativa";
}

/** `pllm_abcd1234…`: enough of the secret to recognise it, never more. */
export const prefixoVisivel = (prefixo: string): string => `pllm_${prefixo}…`;

/** "todos", or the providers' names (an id no longer registered shows as "#id (excluído)"). */
export function resumoProvedores(ids: number[] | null, provedores: { id: number; nome: string }[]): string {
  if (ids === null) return "todos";
  const nomes = new Map(provedores.map((p) => [p.id, p.nome]));
  return ids.map((id) => nomes.get(id) ?? `#${id} (excluído)`).join(", ");
}

export const resumoModelos = (modelos: string[] | null): string => (modelos === null ? "todos" : modelos.join(", "));

export const resumoPortas = (portas: ChaveAcesso["portas"]): string =>
  portas === null ? "todas" : portas.map((p) => ROTULO_PORTA[p]).join(", ");

/** The limits a key has, one phrase each, or "Sem limites". */
export function resumoLimites(c: ChaveAcesso): string {
  const partes = [
    c.limite_rpm !== null ? `${inteiro(c.limite_rpm)} req/min` : null,
    c.limite_tpm !== null ? `${inteiro(c.limite_tpm)} tokens/min` : null,
    c.limite_concorrencia !== null ? `${inteiro(c.limite_concorrencia)} ao mesmo tempo` : null,
    c.orcamento_tokens_dia !== null ? `${inteiro(c.orcamento_tokens_dia)} tokens/dia` : null,
    c.orcamento_tokens_mes !== null ? `${inteiro(c.orcamento_tokens_mes)} tokens/mês` : null,
  ].filter(Boolean);
  return partes.length ? partes.join(" · ") : "Sem limites";
}

/** A model the snippets can name: the first exact id of the key's scope, else the first one registered. */
export function modeloDeExemplo(modelos: string[] | null, provedores: OpcaoProvedor[]): string {
  return (
    modelos?.find((m) => !m.includes("*")) ??
    provedores.flatMap((p) => p.modelos).find((m) => modelos === null || modelos.some((g) => casaComGlob(g, m))) ??
    "nome-do-modelo"
  );
}
