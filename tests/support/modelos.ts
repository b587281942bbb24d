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

/** A download's SSE (GET …/eventos) read as it comes: `proximo()` is the next event, null once the stream ends. */
export async function seguirEventos(id: number, downloadId: string) {
  const r = await api(`/${id}/modelos/downloads/${downloadId}/eventos`);
  if (!r.ok || !r.body) throw new Error(`eventos: ${r.status}`);
  const leitor = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let resto = "";
  return {
    async proximo(): Promise<{ evento: string; dados: Download } | null> {
      for (;;) {
        const fim = resto.indexOf("\n\n");
        if (fim >= 0) {
          const bloco = resto.slice(0, fim);
          resto = resto.slice(fim + 2);
          const dados = /^data: (.+)$/m.exec(bloco)?.[1];
          // heartbeats are comments
          if (dados) return { evento: /^event: (.+)$/m.exec(bloco)?.[1] ?? "message", dados: JSON.parse(dados) as Download };
          continue;
        }
        const { value, done } = await leitor.read();
        if (done) return null;
        resto += value;
      }
    },
    fechar: () => leitor.cancel().catch(() => {}),
  };
}
