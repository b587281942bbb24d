import "server-only";
import { asc, eq } from "drizzle-orm";
import { db, ehBancoIndisponivel } from "@/db/client";
import { modelosProvedores, provedoresLlm, type StatusProvedor, type TipoProvedor } from "@/db/schema";
import { umaSoVez } from "../espera";
import { sabidamenteOffline } from "../saude/estado";
import { doProcesso } from "../unico-por-processo";
import { listarModelosProvedor } from "../provedores/cache-de-modelos";
import { versaoDoCatalogo } from "../provedores/linha-do-provedor";

/** An active provider as the gateway routes to it. */
export type ProvedorRoteavel = {
  id: number;
  nome: string;
  tipo: TipoProvedor;
  slug: string;
  status: StatusProvedor;
  /** With the status and the interval: what the health store follows the provider from (lib/saude/estado.ts). */
  falhas_seguidas: number;
  intervalo_verificacao_segundos: number;
  latencia: number | null;
};

/** One model on one provider, from that provider's model cache. */
export type ModeloNoProvedor = {
  provedor: ProvedorRoteavel;
  modelo: string;
  carregado: boolean | null;
  embedding: boolean;
  criadoEm: number;
};

export type Catalogo = {
  provedores: ProvedorRoteavel[];
  porSlug: Map<string, ProvedorRoteavel>;
  porModelo: Map<string, ModeloNoProvedor[]>;
};

// Read per request on the hot path: kept for a moment. A change through this process's service (a new
// provider, a refreshed model list) rebuilds it at once; another instance's within TTL_MS.
const TTL_MS = 2000;
// A refresh asks every active provider: the same unknown id waits 10 s before asking again, any id 1 s.
const MESMO_ID_A_CADA_MS = 10_000;
const QUALQUER_ID_A_CADA_MS = 1000;

const estado = doProcesso("catalogoGateway", () => ({
  catalogo: null as { valor: Promise<Catalogo>; ate: number; versao: number } | null,
  /** The last catalogue built: what routes while the database is away. */
  ultimoBom: null as Catalogo | null,
  /** Builds started so far, and which of them `ultimoBom` is (a build that started later is newer). */
  construcoes: 0,
  construcaoDoUltimoBom: 0,
  ultimaAtualizacao: 0,
  porId: new Map<string, number>(),
}));

function ehEmbedding(detalhes: Record<string, unknown> | null): boolean {
  return /^embedding/.test(String(detalhes?.tipo ?? ""));
}

async function montar(): Promise<Catalogo> {
  const linhas = await db()
    .select({
      id: provedoresLlm.id,
      nome: provedoresLlm.nome,
      slug: provedoresLlm.slug,
      tipo: provedoresLlm.tipo,
      status: provedoresLlm.status,
      falhas_seguidas: provedoresLlm.falhas_seguidas,
      intervalo_verificacao_segundos: provedoresLlm.intervalo_verificacao_segundos,
      latencia: provedoresLlm.ultima_latencia_ms,
      modelo: modelosProvedores.modelo,
      carregado: modelosProvedores.carregado,
      detalhes: modelosProvedores.detalhes,
      criadoEm: modelosProvedores.atualizado_em,
    })
    .from(provedoresLlm)
    .leftJoin(modelosProvedores, eq(modelosProvedores.provedor_id, provedoresLlm.id))
    .where(eq(provedoresLlm.ativo, true))
    .orderBy(asc(provedoresLlm.id), asc(modelosProvedores.modelo));
  const provedores = new Map<number, ProvedorRoteavel>();
  const porSlug = new Map<string, ProvedorRoteavel>();
  const porModelo = new Map<string, ModeloNoProvedor[]>();
  for (const l of linhas) {
    let p = provedores.get(l.id);
    if (!p) {
      // The stored slug: unique, and kept when the provider is renamed (lib/provedores/criar.ts).
      p = {
        id: l.id,
        nome: l.nome,
        tipo: l.tipo,
        slug: l.slug,
        status: l.status,
        falhas_seguidas: l.falhas_seguidas,
        intervalo_verificacao_segundos: l.intervalo_verificacao_segundos,
        latencia: l.latencia,
      };
      provedores.set(l.id, p);
      porSlug.set(l.slug, p);
    }
    if (l.modelo === null) continue;
    const lista = porModelo.get(l.modelo) ?? [];
    lista.push({
      provedor: p,
      modelo: l.modelo,
      carregado: l.carregado,
      embedding: ehEmbedding(l.detalhes),
      criadoEm: l.criadoEm?.getTime() ?? 0,
    });
    porModelo.set(l.modelo, lista);
  }
  return { provedores: [...provedores.values()], porSlug, porModelo };
}

export function lerCatalogo(): Promise<Catalogo> {
  const agora = Date.now();
  const versao = versaoDoCatalogo();
  const c = estado.catalogo;
  if (c && c.ate > agora && c.versao === versao) return c.valor;
  const construcao = ++estado.construcoes;
  const tentativa: NonNullable<typeof estado.catalogo> = {
    ate: agora + TTL_MS,
    versao,
    valor: montar().then(
      (novo) => {
        // A build that started earlier and ended later must not replace a newer one.
        if (construcao > estado.construcaoDoUltimoBom) {
          estado.ultimoBom = novo;
          estado.construcaoDoUltimoBom = construcao;
        }
        return novo;
      },
      (e: unknown) => {
        // Only this attempt is dropped: a newer one may already be cached.
        if (estado.catalogo === tentativa) estado.catalogo = null;
        // The database is away: route with what this process last knew rather than refuse every request.
        if (estado.ultimoBom && ehBancoIndisponivel(e)) return estado.ultimoBom;
        throw e;
      },
    ),
  };
  estado.catalogo = tentativa;
  return tentativa.valor;
}

// The refresh running, shared by every caller (one key: it asks every provider, whatever id was asked for).
const atualizacoes = doProcesso("atualizacaoCatalogo", () => new Map<string, Promise<void>>());
const TODOS = "todos";

/**
 * Asks every active provider for its models again (a model pulled a minute ago is routable without a
 * click on "Testar"), for a model id no cache knows. Callers at the same time share one refresh; each may
 * stop waiting when its own `signal` aborts, but the refresh goes on for the others.
 */
export function atualizarCatalogo(idProcurado: string, signal?: AbortSignal): Promise<void> {
  if (!signal?.aborted && !atualizacoes.has(TODOS) && !liberada(idProcurado)) return Promise.resolve();
  return umaSoVez(atualizacoes, TODOS, atualizarTodos, signal);
}

/** Whether a new refresh may start for this id (none ran a moment ago); if so, it is counted as started. */
function liberada(idProcurado: string): boolean {
  const agora = Date.now();
  if (agora - estado.ultimaAtualizacao < QUALQUER_ID_A_CADA_MS || agora - (estado.porId.get(idProcurado) ?? 0) < MESMO_ID_A_CADA_MS)
    return false;
  estado.ultimaAtualizacao = agora;
  if (estado.porId.size > 1000) estado.porId.clear();
  estado.porId.set(idProcurado, agora);
  return true;
}

/** The refresh itself. It carries no caller's signal: it runs to its end, bounded by each provider's own timeout. */
async function atualizarTodos(): Promise<void> {
  const { provedores } = await lerCatalogo();
  // One the monitor knows offline would only make the callers wait for its timeout.
  const noAr = provedores.filter((p) => !sabidamenteOffline(p.id));
  await Promise.allSettled(noAr.map((p) => listarModelosProvedor(p.id, true)));
}
