import type { StatusProvedor } from "@/db/schema";

/** Down or slow means offline; anything else the server did wrong means erro. */
export function statusDoTeste(sucesso: boolean, codigoErro?: string): StatusProvedor {
  if (sucesso) return "online";
  return codigoErro === "provedor_indisponivel" || codigoErro === "provedor_timeout" ? "offline" : "erro";
}
