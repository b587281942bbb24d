import "server-only";
import { db } from "@/db/client";
import { ehEncerramento } from "../encerramento";
import { comoErroApp } from "../errors";
import { acompanhar } from "../saude/estado";
import { observar } from "../saude/observar";
import { observacaoDoErro } from "../saude/transicao";
import type { ResultadoTeste } from "../schemas/llm";
import { adaptadorDe } from "./adaptador-do-provedor";
import { buscarLinha, catalogoMudou, esquecerLinha, lerId } from "./linha-do-provedor";
import { aprenderCapacidade, substituirCache } from "./cache-de-modelos";
import { esquecerRotasNativas } from "./rotas-nativas";

/**
 * Asks the server who it is and what it holds. A failed test is still a result (sucesso: false) with a
 * precise reason. The result counts as one of the monitor's checks (lib/monitor): the same status rules.
 */
export async function testarConexao(idBruto: string | number, signal?: AbortSignal): Promise<ResultadoTeste> {
  const linha = await buscarLinha(lerId(idBruto));
  const inicio = performance.now();
  try {
    esquecerRotasNativas(linha.id);
    const adaptador = adaptadorDe(linha);
    const info = await adaptador.testar(signal);
    const latencia = Math.max(1, Math.round(performance.now() - inicio));
    const aprendido = await aprenderCapacidade(linha, adaptador, info.modelos, signal);
    const testado_em = new Date();
    await db().batch(substituirCache(linha.id, info.modelos, testado_em, aprendido));
    if (Object.keys(aprendido).length) esquecerLinha(linha.id);
    catalogoMudou();
    acompanhar(linha);
    await observar(linha.id, { ok: true, carregando: false, latenciaMs: null }, { em: testado_em, latencia_ms: latencia });
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
    // A test the shutdown's grace cut was ended by the app itself: that failure says nothing of the server.
    if (erro.codigo !== "cancelado" && !ehEncerramento(erro)) {
      acompanhar(linha);
      // The user asked now: a failed test takes the provider down at once, without waiting for 3 failures.
      await observar(linha.id, observacaoDoErro(erro, true), { em: testado_em, latencia_ms: null });
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
