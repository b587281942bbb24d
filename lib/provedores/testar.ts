import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { provedoresLlm } from "@/db/schema";
import { comoErroApp } from "../errors";
import type { ResultadoTeste } from "../schemas/llm";
import { adaptadorDe } from "./alvo";
import { buscarLinha, catalogoMudou, lerId } from "./interno";
import { substituirCache } from "./modelos";
import { statusDoTeste } from "./status";

/**
 * Asks the server who it is and what it holds. A failed test is still a result (sucesso: false) with a
 * precise reason. Status, latency and the model cache change together, in one batch.
 */
export async function testarConexao(idBruto: string | number, signal?: AbortSignal): Promise<ResultadoTeste> {
  const linha = await buscarLinha(lerId(idBruto));
  const inicio = performance.now();
  try {
    const info = await adaptadorDe(linha).testar(signal);
    const latencia = Math.max(1, Math.round(performance.now() - inicio));
    const testado_em = new Date();
    await db().batch([
      db()
        .update(provedoresLlm)
        .set({ status: "online", ultimo_teste_em: testado_em, ultima_latencia_ms: latencia })
        .where(eq(provedoresLlm.id, linha.id)),
      ...substituirCache(linha.id, info.modelos, testado_em),
    ]);
    catalogoMudou();
    const n = info.modelos.length;
    const versao = info.versao ? ` (versão ${info.versao})` : "";
    return {
      sucesso: true,
      latencia_ms: latencia,
      modelos: info.modelos,
      ...(info.versao ? { versao: info.versao } : {}),
      mensagem: `Conectado em ${latencia} ms${versao}: ${n === 0 ? "nenhum modelo encontrado" : n === 1 ? "1 modelo encontrado" : `${n} modelos encontrados`}.`,
      testado_em,
    };
  } catch (e) {
    const erro = comoErroApp(e);
    const testado_em = new Date();
    if (erro.codigo !== "cancelado") {
      await db()
        .update(provedoresLlm)
        .set({ status: statusDoTeste(false, erro.codigo), ultimo_teste_em: testado_em, ultima_latencia_ms: null })
        .where(eq(provedoresLlm.id, linha.id));
      catalogoMudou();
    }
    return {
      sucesso: false,
      latencia_ms: null,
      modelos: [],
      mensagem: erro.message,
      erro: { codigo: erro.codigo, mensagem: erro.message },
      testado_em,
    };
  }
}
