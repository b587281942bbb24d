import type { LimiteEmVigor } from "@/lib/provedores/limite-em-vigor";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import { ROTULO_TIPO } from "./rotulos";

/** "informado pelo servidor", "padrão do Ollama", "definido no provedor". */
export function origemDoLimite(l: LimiteEmVigor, tipo: TipoProvedor): string {
  if (l.origem === "servidor") return "informado pelo servidor";
  if (l.origem === "padrao") return `padrão do ${ROTULO_TIPO[tipo]}`;
  return "definido no provedor";
}

/** "4 (informado pelo servidor)", "1 por modelo (padrão do Ollama)", "Sem limite (padrão do OpenAI-compatível)". */
export function textoDoLimite(l: LimiteEmVigor, tipo: TipoProvedor, { porModelo = true } = {}): string {
  const valor = l.limite === null ? "Sem limite" : porModelo && l.porModelo ? `${l.limite} por modelo` : String(l.limite);
  return `${valor} (${origemDoLimite(l, tipo)})`;
}
