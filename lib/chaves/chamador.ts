import "server-only";
import type { NomePorta } from "../schemas/llm";

/**
 * An access key as the model doors use it: what the gate read of its row (cached per instance for a few
 * seconds, so a revocation reaches every instance in time), never its secret or hash.
 */
export type ChaveEmUso = {
  id: number;
  nome: string;
  prefixo: string;
  /** Scope: null = all. */
  provedores: readonly number[] | null;
  modelos: readonly string[] | null;
  portas: readonly NomePorta[] | null;
  /** Limits: null = none. */
  limite_rpm: number | null;
  limite_tpm: number | null;
  limite_concorrencia: number | null;
  orcamento_tokens_dia: number | null;
  orcamento_tokens_mes: number | null;
  /** -10..10: among requests queued at a provider for the same model, a higher one goes first. */
  prioridade: number;
};

/**
 * Who is calling, as the gate established it: the admin (AUTH_TOKEN, a UI session, or an app with no token set
 * and no key yet, open on loopback as it always was) may do everything; an access key only calls the model doors,
 * within its scope and limits.
 */
export type Chamador = { tipo: "admin" } | { tipo: "chave"; chave: ChaveEmUso };

export const CHAMADOR_ADMIN: Chamador = Object.freeze({ tipo: "admin" });
