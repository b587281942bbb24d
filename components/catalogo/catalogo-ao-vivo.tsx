"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ouvirMonitor } from "../monitor-ao-vivo";

/**
 * The monitor saw a server change its models (loaded, unloaded, listed) or its status: the catalogue is read
 * again from the cache, once for a burst of events.
 */
export function CatalogoAoVivo() {
  const router = useRouter();
  useEffect(() => {
    let agendado: ReturnType<typeof setTimeout> | null = null;
    const reler = () => {
      agendado ??= setTimeout(() => {
        agendado = null;
        router.refresh();
      }, 300);
    };
    const parar = ouvirMonitor({ modelos: reler, status: reler });
    return () => {
      parar();
      if (agendado) clearTimeout(agendado);
    };
  }, [router]);
  return null;
}
