import "server-only";
import { clienteLibsql } from "@/db/client";
import { lerIdChave } from "../chaves/linha-da-chave";
import { intervalos } from "./baldes-de-tempo";
import { numero, porIntervalos } from "./consultar-estatisticas";
import { gravarPendentes } from "./registrar";

const MINUTO_MS = 60_000;
const DIA_MS = 86_400_000;

/**
 * A key's tokens (prompt and answer) since 0:00 UTC, the day its daily budget counts, as its statistics recorded
 * them: what the keys page shows against `orcamento_tokens_dia`.
 */
export async function tokensDeHojeDaChave(idBruto: number | string, agora = Date.now()): Promise<number> {
  const id = lerIdChave(idBruto);
  await gravarPendentes();
  const desde = Math.floor(agora / DIA_MS) * DIA_MS;
  const ate = Math.floor(agora / MINUTO_MS) * MINUTO_MS + MINUTO_MS;
  const partes = porIntervalos(id, intervalos(desde, ate), "tokens_prompt, tokens_resposta", "estatisticas_chaves", "chave_id");
  const r = await clienteLibsql().execute({
    sql: `select coalesce(sum(tokens_prompt), 0) + coalesce(sum(tokens_resposta), 0) t from (${partes.sql})`,
    args: partes.args,
  });
  return numero(r.rows[0]?.t);
}
