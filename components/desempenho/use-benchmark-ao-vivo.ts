"use client";

import { useEffect, useState } from "react";
import type { Benchmark } from "@/lib/schemas/benchmark";

/**
 * A run as it goes: while it is running, its SSE stream (each event the whole run) replaces it; the stream is closed
 * once a final state arrives (the server closes it too, and an EventSource would otherwise reconnect).
 */
export function useBenchmarkAoVivo(inicial: Benchmark, aoTerminar?: (b: Benchmark) => void): Benchmark {
  const [b, setB] = useState(inicial);
  useEffect(() => setB(inicial), [inicial]);
  const executando = b.estado === "executando";
  useEffect(() => {
    if (!executando) return;
    const fonte = new EventSource(`/api/provedores-llm/${b.provedor_id}/benchmarks/${b.id}/eventos`);
    fonte.onmessage = (e: MessageEvent<string>) => {
      const atual = JSON.parse(e.data) as Benchmark;
      setB(atual);
      if (atual.estado !== "executando") {
        fonte.close();
        aoTerminar?.(atual);
      }
    };
    return () => fonte.close();
  }, [executando, b.provedor_id, b.id, aoTerminar]);
  return b;
}
