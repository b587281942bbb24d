import "server-only";
import { z } from "zod";
import { doProcesso } from "../unico-por-processo";
import type { ClienteHttp } from "./http";

/** What /api/show adds to a listed model: the context window it was trained for, and what it can do. */
export type DetalhesShow = { contexto_max: number | null; capacidades: string[] | null };

const Show = z.looseObject({
  model_info: z.record(z.string(), z.unknown()).nullish(),
  capabilities: z.array(z.string()).nullish(),
});

const SIMULTANEAS = 4;
const MAX_CACHE = 2_000;

// A digest names the model's exact bytes, so what /api/show says of it never changes: ask once per process.
const cache = doProcesso("ollamaShow", () => new Map<string, DetalhesShow>());

function lerShow(dados: unknown): DetalhesShow | null {
  const r = Show.safeParse(dados);
  if (!r.success) return null;
  const info = r.data.model_info ?? {};
  const arquitetura = info["general.architecture"];
  const contexto = typeof arquitetura === "string" ? info[`${arquitetura}.context_length`] : undefined;
  return { contexto_max: typeof contexto === "number" ? contexto : null, capacidades: r.data.capabilities ?? null };
}

/**
 * /api/show for each model, at most four at a time. A model it cannot describe just lacks the extra fields:
 * the list itself never fails for it. After one failure the rest are skipped, so a server that hangs on
 * /api/show costs one timeout, not one per model; failures are not cached, so the next refresh asks again.
 */
export async function detalhesShow(
  http: ClienteHttp,
  baseUrl: string,
  modelos: { modelo: string; digest: string | null }[],
  signal?: AbortSignal,
): Promise<Map<string, DetalhesShow>> {
  const resultado = new Map<string, DetalhesShow>();
  const faltam: { modelo: string; chave: string | null }[] = [];
  for (const { modelo, digest } of modelos) {
    const chave = digest ? `${baseUrl}\n${modelo}\n${digest}` : null;
    const salvo = chave ? cache.get(chave) : undefined;
    if (salvo) resultado.set(modelo, salvo);
    else faltam.push({ modelo, chave });
  }
  let proximo = 0;
  let desistir = false;
  const trabalhador = async () => {
    while (proximo < faltam.length && !desistir && !signal?.aborted) {
      const { modelo, chave } = faltam[proximo++]!;
      const detalhes = await http
        .json("/api/show", { corpo: { model: modelo }, signal })
        .then((r) => lerShow(r.dados))
        .catch(() => null);
      if (!detalhes) {
        desistir = true;
        continue;
      }
      resultado.set(modelo, detalhes);
      if (chave) {
        if (cache.size >= MAX_CACHE) cache.clear();
        cache.set(chave, detalhes);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SIMULTANEAS, faltam.length) }, trabalhador));
  return resultado;
}
