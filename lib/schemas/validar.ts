import type { z } from "zod";
import { ErroApp, type ErrosDeCampo } from "../errors";

/** Field path → messages, with nested paths joined by dots ("configuracao.temperatura"). */
export function errosDeCampo(erro: z.ZodError): ErrosDeCampo {
  const campos: ErrosDeCampo = {};
  for (const issue of erro.issues) {
    const chave = issue.path.map(String).join(".") || "_";
    campos[chave] ??= [];
    campos[chave].push(issue.message);
  }
  return campos;
}

/** Parses with a contract schema or throws `validacao` listing each field's problem. */
export function validar<S extends z.ZodType>(schema: S, dados: unknown): z.output<S> {
  const r = schema.safeParse(dados);
  if (r.success) return r.data;
  const campos = errosDeCampo(r.error);
  const primeira = r.error.issues[0];
  const onde = primeira?.path.length ? `${primeira.path.join(".")}: ` : "";
  throw new ErroApp("validacao", `Dados inválidos. ${onde}${primeira?.message ?? ""}`.trim(), { campos });
}
