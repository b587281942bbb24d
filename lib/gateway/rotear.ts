import { bancoDisponivel } from "@/db/client";
import { ehEncerramento } from "../encerramento";
import { ErroApp } from "../errors";
import { statusAtual } from "../monitor/situacoes";
import { doProcesso } from "../processo";
import { atualizarCatalogo, lerCatalogo, type Catalogo, type ModeloNoProvedor, type ProvedorRoteavel } from "./catalogo";
import { parecidos } from "./sugestoes";

// What this process knows of each provider's recent behaviour, beyond the database.
const FALHA_RECENTE_MS = 30_000;
const estado = doProcesso("roteamentoGateway", () => ({
  emVoo: new Map<number, number>(),
  latencia: new Map<number, number>(),
  falhouEm: new Map<number, number>(),
}));

/** An attempt started: in flight until its last byte, its failure or its cancellation (`terminou`). */
export function comecou(provedorId: number): void {
  estado.emVoo.set(provedorId, (estado.emVoo.get(provedorId) ?? 0) + 1);
}

/** The answer's first byte arrived: its latency feeds a moving average, and the provider answers again. */
export function respondeu(provedorId: number, latenciaMs: number): void {
  const anterior = estado.latencia.get(provedorId);
  estado.latencia.set(provedorId, anterior === undefined ? latenciaMs : anterior * 0.8 + latenciaMs * 0.2);
  estado.falhouEm.delete(provedorId);
}

/**
 * How an attempt ended: `falhou` says the server is unwell (unreachable, timed out, cut its answer) and marks
 * it for a while; `erro` is an error about this request only (the server's own error event), which does not.
 */
export type FimDaTentativa = "ok" | "falhou" | "erro" | "cancelado";

/**
 * How an attempt that threw ended: `falhou` only for the server's own failure (unreachable, timed out, a 5xx,
 * a cut answer); the caller leaving or the app shutting down is `cancelado`; anything else (a 4xx, a model it
 * lacks, the app's database away) is about this request. An error event the server sent is `erro` as well:
 * the caller, which knows it read one, says so.
 */
export function fimDoErro(erro: ErroApp): FimDaTentativa {
  if (erro.codigo === "cancelado" || ehEncerramento(erro)) return "cancelado";
  if (erro.codigo === "provedor_indisponivel" || erro.codigo === "provedor_timeout") return "falhou";
  if (erro.codigo === "provedor_erro" && (erro.statusServidor === undefined || erro.statusServidor >= 500)) return "falhou";
  return "erro";
}

/** One attempt ended, however (a stream only at its end): no longer in flight; a failure marks the provider. */
export function terminou(provedorId: number, fim: FimDaTentativa): void {
  estado.emVoo.set(provedorId, Math.max(0, (estado.emVoo.get(provedorId) ?? 1) - 1));
  if (fim === "falhou") estado.falhouEm.set(provedorId, Date.now());
}

/** 0: answering; 1: answering, but loading a model or unstable; 2: down, or failed here a moment ago. */
function saude(p: ProvedorRoteavel, agora: number): number {
  const falha = estado.falhouEm.get(p.id);
  // The monitor's status is newer than the catalog's copy of the row.
  const status = statusAtual(p.id) ?? p.status;
  if (status === "offline" || status === "erro" || (falha !== undefined && agora - falha < FALHA_RECENTE_MS)) return 2;
  return status === "carregando" || status === "instavel" ? 1 : 0;
}

/**
 * The order to try: providers not known to be down (and, among those, the ones not loading or unstable); among them, the ones with the model loaded right now
 * (a cold load costs seconds to minutes); then the fewest requests in flight from this app; then the lowest
 * recent latency.
 */
export function ordenar(candidatos: ModeloNoProvedor[]): ModeloNoProvedor[] {
  const agora = Date.now();
  const chave = (c: ModeloNoProvedor) => [
    saude(c.provedor, agora),
    c.carregado === true ? 0 : 1,
    estado.emVoo.get(c.provedor.id) ?? 0,
    estado.latencia.get(c.provedor.id) ?? c.provedor.latencia ?? Number.MAX_SAFE_INTEGER,
    c.provedor.id,
  ];
  return candidatos
    .map((c) => ({ c, k: chave(c) }))
    .sort((a, b) => {
      for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return a.k[i]! - b.k[i]!;
      return 0;
    })
    .map((x) => x.c);
}

/** `<slug>/<model>` pins one provider; a bare id (which may itself hold a `/`) goes to any that has it. */
function procurar(catalogo: Catalogo, id: string): ModeloNoProvedor[] {
  const barra = id.indexOf("/");
  if (barra > 0) {
    const provedor = catalogo.porSlug.get(id.slice(0, barra));
    const resto = id.slice(barra + 1);
    const fixo = provedor && catalogo.porModelo.get(resto)?.filter((m) => m.provedor.id === provedor.id);
    if (fixo?.length) return fixo;
  }
  return catalogo.porModelo.get(id) ?? [];
}

/** Every provider that can answer `id`, in the order to try them. A model no cache knows refreshes the caches once. */
export async function candidatosPara(id: string, signal?: AbortSignal): Promise<ModeloNoProvedor[]> {
  let catalogo = await lerCatalogo();
  let achados = procurar(catalogo, id);
  if (!achados.length) {
    // The database away: a refresh would only fail (a call per provider, holding places in the database's
    // line), and the id may well exist; it is not counted as tried, so the first request after recovery refreshes.
    if (!bancoDisponivel()) {
      throw new ErroApp(
        "banco_indisponivel",
        `O banco de dados está indisponível e o modelo "${id}" não está entre os que este servidor conhecia. Tente de novo em instantes.`,
      );
    }
    await atualizarCatalogo(id, signal);
    catalogo = await lerCatalogo();
    achados = procurar(catalogo, id);
  }
  if (!achados.length) {
    const sugestoes = parecidos(catalogo.porModelo.keys(), id).ids;
    throw new ErroApp(
      "modelo_nao_encontrado",
      `Nenhum provedor ativo tem o modelo "${id}".${sugestoes.length ? ` Parecidos: ${sugestoes.join(", ")}.` : ""} Veja a lista em GET /v1/models.`,
    );
  }
  return ordenar(achados);
}
