import { and, asc, eq, or, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { FiltrosProvedores, type ProvedorLLM } from "../schemas/provedor";
import { validar } from "../schemas/validar";
import { buscarLinha, lerId } from "./interno";
import { paraProvedorLLM } from "./mapear";

export async function obterProvedor(idBruto: string | number): Promise<ProvedorLLM> {
  return paraProvedorLLM(await buscarLinha(lerId(idBruto)));
}

/** Lists providers by name; `busca` matches name, description or URL, ignoring case. */
export async function listarProvedores(filtrosBrutos: unknown = {}): Promise<ProvedorLLM[]> {
  const filtros = validar(FiltrosProvedores, filtrosBrutos);
  const condicoes: SQL[] = [];
  if (filtros.tipo) condicoes.push(eq(provedoresLlm.tipo, filtros.tipo));
  if (filtros.ativo !== undefined) condicoes.push(eq(provedoresLlm.ativo, filtros.ativo));
  if (filtros.busca) {
    const padrao = `%${filtros.busca.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const termo = (coluna: AnySQLiteColumn) => sql`${coluna} like ${padrao} escape '\\'`;
    const filtroBusca = or(termo(provedoresLlm.nome), termo(provedoresLlm.descricao), termo(provedoresLlm.base_url));
    if (filtroBusca) condicoes.push(filtroBusca);
  }
  const linhas = await db()
    .select()
    .from(provedoresLlm)
    .where(condicoes.length ? and(...condicoes) : undefined)
    .orderBy(asc(sql`lower(${provedoresLlm.nome})`));
  return linhas.map(paraProvedorLLM);
}

export async function listarProvedoresAtivos(): Promise<ProvedorLLM[]> {
  return listarProvedores({ ativo: "true" });
}
