"use client";

import { useEffect, useState } from "react";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { obterPelaApi } from "./api-benchmarks";

export const EXECUCAO_NAO_EXISTE = "A execução não existe mais.";
export const CONEXAO_PERDIDA = "Perdemos a conexão com o app; recarregue a página.";

/**
 * The run as last heard, why the page stopped hearing it before its end (null while it hears it), and whether
 * the app said it no longer exists.
 */
export type BenchmarkAoVivo = { b: Benchmark; semAcompanhamento: string | null; apagada: boolean };

/**
 * A run as it goes: while it is running, its SSE stream (each event the whole run) replaces it; the stream is closed
 * once a final state arrives (the server closes it too, and an EventSource would otherwise reconnect). When the
 * stream breaks before that (the run or its provider deleted, the app restarting), the run is read once through
 * GET: its final state ends it; otherwise the page says why it no longer follows it.
 */
export function useBenchmarkAoVivo(inicial: Benchmark, aoTerminar?: (b: Benchmark) => void): BenchmarkAoVivo {
  const [b, setB] = useState(inicial);
  const [semAcompanhamento, setSemAcompanhamento] = useState<string | null>(null);
  useEffect(() => {
    setB(inicial);
    setSemAcompanhamento(null);
  }, [inicial]);
  const executando = b.estado === "executando";
  const { provedor_id: provedorId, id: bid } = b;
  useEffect(() => {
    if (!executando) return;
    let ativo = true;
    let conferindo = false;
    // Errors since the stream last worked: the first drop of an open stream the browser retries by itself.
    let falhasSeguidas = 0;
    const fonte = new EventSource(`/api/provedores-llm/${provedorId}/benchmarks/${bid}/eventos`);
    const terminar = (final: Benchmark) => {
      fonte.close();
      setB(final);
      aoTerminar?.(final);
    };
    const desistir = (motivo: string) => {
      fonte.close();
      setSemAcompanhamento(motivo);
    };
    const conferir = async (fechada: boolean) => {
      const r = await obterPelaApi(provedorId, bid).catch(() => null);
      if (!ativo) return;
      if (r === null) return desistir(CONEXAO_PERDIDA);
      if (!r.ok) return desistir(r.codigo === "nao_encontrado" ? EXECUCAO_NAO_EXISTE : r.mensagem);
      if (!r.dados) return desistir(CONEXAO_PERDIDA);
      if (r.dados.estado !== "executando") return terminar(r.dados);
      setB(r.dados);
      // Still running and the app answers: a reconnecting stream is left to come back; a closed one will not.
      if (fechada) desistir(CONEXAO_PERDIDA);
    };
    fonte.onopen = () => {
      falhasSeguidas = 0;
    };
    fonte.onmessage = (e: MessageEvent<string>) => {
      falhasSeguidas = 0;
      const atual = JSON.parse(e.data) as Benchmark;
      setB(atual);
      if (atual.estado !== "executando") terminar(atual);
    };
    fonte.onerror = () => {
      falhasSeguidas += 1;
      // CLOSED: the browser gave up (a 404 once the run is gone, a 401); CONNECTING twice: a reconnect failed.
      const fechada = fonte.readyState === EventSource.CLOSED;
      if ((!fechada && falhasSeguidas < 2) || conferindo) return;
      conferindo = true;
      void conferir(fechada).finally(() => {
        conferindo = false;
      });
    };
    return () => {
      ativo = false;
      fonte.close();
    };
  }, [executando, provedorId, bid, aoTerminar]);
  return { b, semAcompanhamento, apagada: semAcompanhamento === EXECUCAO_NAO_EXISTE };
}
