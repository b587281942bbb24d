import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { limiteEfetivo, limitePorModelo } from "../fila/config";
import { TIPOS_PROVEDOR, type TipoProvedor } from "../schemas/tipo-e-status";

/** Where the limit in force comes from: set on the provider, reported by the server, or the type's default. */
export type OrigemDoLimite = "provedor" | "servidor" | "padrao";

/** The concurrency limit in force (null: none), where it comes from, and whether it counts per loaded model. */
export type LimiteEmVigor = { limite: number | null; origem: OrigemDoLimite; porModelo: boolean };

type LinhaDoLimite = Pick<ProvedorLLMLinha, "tipo" | "max_concorrencia" | "concorrencia_informada" | "modelos_simultaneos_informados">;

export function limiteEmVigor(linha: LinhaDoLimite): LimiteEmVigor {
  const origem: OrigemDoLimite =
    linha.max_concorrencia !== null ? "provedor" : linha.concorrencia_informada !== null ? "servidor" : "padrao";
  return { limite: limiteEfetivo(linha), origem, porModelo: limitePorModelo(linha) };
}

/**
 * What "automatic" (no limit set) means for each type, for the form: the provider's own type keeps what its
 * server reported; any other type has its default (what another server said does not describe it).
 */
export function limitesAutomaticos(linha: LinhaDoLimite | null): Record<TipoProvedor, LimiteEmVigor> {
  const por = {} as Record<TipoProvedor, LimiteEmVigor>;
  for (const tipo of TIPOS_PROVEDOR) {
    const mesmo = linha?.tipo === tipo;
    por[tipo] = limiteEmVigor({
      tipo,
      max_concorrencia: null,
      concorrencia_informada: mesmo ? linha.concorrencia_informada : null,
      modelos_simultaneos_informados: mesmo ? linha.modelos_simultaneos_informados : null,
    });
  }
  return por;
}
