import type { Resposta } from "./troca";

const TIPO_JSON = "application/json";

/** A JSON answer, with the same body and type Response.json gives. */
export function respostaJson(status: number, corpo: unknown, cabecalhos?: Readonly<Record<string, string>>): Resposta {
  return {
    status,
    cabecalhos: cabecalhos ? { ...cabecalhos, "content-type": TIPO_JSON } : { "content-type": TIPO_JSON },
    corpo: JSON.stringify(corpo),
  };
}
