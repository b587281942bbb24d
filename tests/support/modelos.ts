import type { DownloadModelo } from "@/lib/schemas/llm";
import { api } from "./contexto";
import type { ComoJson } from "./llm";

export type Download = ComoJson<DownloadModelo>;

/** POST …/modelos/{carregar|descarregar|excluir}: the status and the JSON body. */
export async function acao(id: number, verbo: "carregar" | "descarregar" | "excluir", corpo: unknown) {
  const r = await api(`/${id}/modelos/${verbo}`, { method: "POST", json: corpo });
  return { status: r.status, corpo: (await r.json()) as Record<string, unknown> & { erro?: { codigo: string; mensagem: string } } };
}

/** POST …/modelos/downloads: starts (or joins) a download. */
export async function baixar(id: number, modelo: string) {
  const r = await api(`/${id}/modelos/downloads`, { method: "POST", json: { modelo } });
  return { status: r.status, location: r.headers.get("location"), corpo: (await r.json()) as Download & { erro?: unknown } };
}

/** The download once it is no longer `baixando` (or as it is after 15 s). */
export async function esperarFim(id: number, downloadId: string): Promise<Download> {
  const fim = Date.now() + 15_000;
  for (;;) {
    const d = (await (await api(`/${id}/modelos/downloads/${downloadId}`)).json()) as Download;
    if (d.estado !== "baixando" || Date.now() > fim) return d;
    await new Promise((r) => setTimeout(r, 50));
  }
}
