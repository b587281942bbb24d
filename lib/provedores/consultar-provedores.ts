import "server-only";
import { and, asc, eq, or, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { FiltrosProvedores, type ProvedorLLM } from "../schemas/provedor";
import { validar } from "../schemas/validar";
import { buscarLinha, lerId } from "./linha-do-provedor";
import { paraProvedorLLM } from "./provedor-para-json";
import { chaveDoNome } from "./nome";

export async function obterProvedor(idBruto: string | number): Promise<ProvedorLLM> {
  return paraProvedorLLM(await buscarLinha(lerId(idBruto)));
}

/**
 * Lists providers by name as names are compared (nome_chave: "ébano" before "Éclair", which ASCII-only
 * lower() put the other way); `busca` matches the name folded the same way ("ação" finds "AÇÃO"), or the
 * description or URL ignoring ASCII case.
 */
export async function listarProvedores(filtrosBrutos: unknown = {}): Promise<ProvedorLLM[]> {
  const filtros = validar(FiltrosProvedores, filtrosBrutos);
  const condicoes: SQL[] = [];
  if (filtros.tipo) condicoes.push(eq(provedoresLlm.tipo, filtros.tipo));
  if (filtros.ativo !== undefined) condicoes.push(eq(provedoresLlm.ativo, filtros.ativo));
  if (filtros.busca) {
    const padrao = (texto: string) => `%${texto.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const termo = (coluna: AnySQLiteColumn, texto: string) => sql`${coluna} like ${padrao(texto)} escape '\\'`;
    const filtroBusca = or(
      termo(provedoresLlm.nome_chave, chaveDoNome(filtros.busca)),
      termo(provedoresLlm.descricao, filtros.busca),
      termo(provedoresLlm.base_url, filtros.busca),
    );
    if (filtroBusca) condicoes.push(filtroBusca);
  }
  const linhas = await db()
    .select()
    .from(provedoresLlm)
    .where(condicoes.length ? and(...condicoes) : undefined)
    .orderBy(asc(provedoresLlm.nome_chave), asc(provedoresLlm.id));
  return linhas.map(paraProvedorLLM);
}

export async function listarProvedoresAtivos(): Promise<ProvedorLLM[]> {
  return listarProvedores({ ativo: "true" });
}
