import "server-only";
import { clienteLibsql } from "@/db/client";
import { type NomePorta, PaginaRequisicoes, type RequisicaoRecente, type RequisicoesRecentes } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { buscarLinha, lerId } from "../provedores/linha-do-provedor";
import { gravarPendentes } from "./registrar";

const valorOuNulo = <T>(v: unknown, converter: (v: unknown) => T): T | null => (v === null || v === undefined ? null : converter(v));

/** "Últimas requisições": the per-request log, newest first, one page at a time (no prompt, no answer). */
export async function listarRequisicoesRecentes(idBruto: string | number, consulta: unknown = {}): Promise<RequisicoesRecentes> {
  const id = lerId(idBruto);
  const { pagina, por_pagina } = validar(PaginaRequisicoes, consulta);
  await Promise.all([buscarLinha(id), gravarPendentes()]);
  const [contagem, linhas] = await clienteLibsql().batch(
    [
      { sql: "select count(*) n from requisicoes_provedores where provedor_id = ?", args: [id] },
      {
        sql: `select id, criado_em, modelo, porta, stream, sucesso, codigo_erro, tempo_resposta_ms, tempo_primeiro_token_ms,
                     tempo_fila_ms, tokens_prompt, tokens_resposta, tokens_por_segundo
              from requisicoes_provedores where provedor_id = ? order by id desc limit ? offset ?`,
        args: [id, por_pagina, (pagina - 1) * por_pagina],
      },
    ],
    "read",
  );
  const total = Number(contagem!.rows[0]?.n ?? 0);
  return {
    requisicoes: linhas!.rows.map(
      (r): RequisicaoRecente => ({
        id: Number(r.id),
        criado_em: new Date(Number(r.criado_em)),
        modelo: valorOuNulo(r.modelo, String),
        porta: valorOuNulo(r.porta, (v) => String(v) as NomePorta),
        stream: Boolean(r.stream),
        sucesso: Boolean(r.sucesso),
        codigo_erro: valorOuNulo(r.codigo_erro, String),
        tempo_resposta_ms: Math.round(Number(r.tempo_resposta_ms) * 10) / 10,
        tempo_primeiro_token_ms: valorOuNulo(r.tempo_primeiro_token_ms, (v) => Math.round(Number(v) * 10) / 10),
        tempo_fila_ms: valorOuNulo(r.tempo_fila_ms, (v) => Math.round(Number(v) * 10) / 10),
        tokens_prompt: valorOuNulo(r.tokens_prompt, Number),
        tokens_resposta: valorOuNulo(r.tokens_resposta, Number),
        tokens_por_segundo: valorOuNulo(r.tokens_por_segundo, (v) => Math.round(Number(v) * 10) / 10),
      }),
    ),
    pagina,
    por_pagina,
    total,
    paginas: Math.max(1, Math.ceil(total / por_pagina)),
  };
}
