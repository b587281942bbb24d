import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { ouvir } from "../saude/eventos";
import { ErroApp } from "../errors";
import { doProcesso } from "../unico-por-processo";
import { type LinhaDaFila, limiteEfetivo, limitePorModelo } from "./config";
import { type ConfigDaFila, FilaDoProvedor } from "./fila-do-provedor";

/** What the pages, the metrics and the live stream read of one provider's queue in this process. */
export type EstadoDaFila = {
  provedor_id: number;
  /** In force (per model when `por_modelo`); null: no limit. */
  limite: number | null;
  por_modelo: boolean;
  /** This instance's requests sent to the server and not ended. */
  em_voo: number;
  /** Waiting in this instance's queue. */
  na_fila: number;
  fila_max: number;
  /** Since the process started: refused because every place in the queue was taken. */
  recusadas_cheia: number;
  /** Since the process started: left the queue after `fila_espera_segundos`. */
  recusadas_espera: number;
  /** The models the queue believes loaded (the swap-aware order), least recently used first. */
  carregados: string[];
};

/** A whole number of an environment variable, or its default when unset or not a whole number ≥ 0. */
export function inteiroDoAmbiente(nome: string, padrao: number, env: NodeJS.ProcessEnv = process.env): number {
  const v = env[nome];
  if (v === undefined || v.trim() === "") return padrao;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : padrao;
}

/** The swap-aware order's grace and fairness bound (README: "Fila e concorrência"). */
const AJUSTES = doProcesso("ajustesDaFila", () => ({
  gracaMs: inteiroDoAmbiente("FILA_GRACA_MS", 150),
  rodadaMax: Math.max(1, inteiroDoAmbiente("FILA_RODADA_MAX", 8)),
  rodadaMs: inteiroDoAmbiente("FILA_RODADA_SEGUNDOS", 30) * 1000,
}));

type Registro = {
  fila: FilaDoProvedor;
  /** The row the settings were last read from: the catalogue hands the same object for a while. */
  linha: LinhaDaFila & { nome: string };
  /** Ollama and LM Studio do not say how many models they keep loaded: the most seen at once (at least 1). */
  maisVistosJuntos: number;
  /** A change to announce (coalesced: at most one per provider every 100 ms). */
  aviso: ReturnType<typeof setTimeout> | null;
};

const registros = doProcesso("filasDosProvedores", () => new Map<number, Registro>());
const ouvintes = doProcesso("ouvintesDasFilas", () => new Set<(e: EstadoDaFila) => void>());

/**
 * How many models the server keeps loaded at once, for the swap-aware order: llama-server's router says
 * (`max_instances`, 0 = unlimited); Ollama and LM Studio swap models on demand and do not say, so the most the
 * monitor saw loaded at once (1 until it saw more); a single-model llama-server and an OpenAI-compatible server
 * do not swap.
 */
function capacidadeDeModelos(linha: LinhaDaFila, vistos: number): number | null {
  if (linha.tipo === "llama_cpp") {
    const n = linha.modelos_simultaneos_informados;
    return n === null || n === 0 ? null : n;
  }
  if (linha.tipo === "ollama" || linha.tipo === "lm_studio") return Math.max(1, vistos);
  return null;
}

function configDe(linha: LinhaDaFila & { nome: string }, vistos: number): ConfigDaFila {
  return {
    nome: linha.nome,
    limite: limiteEfetivo(linha),
    porModelo: limitePorModelo(linha),
    filaMax: linha.fila_max,
    esperaMs: linha.fila_espera_segundos * 1000,
    capacidadeModelos: capacidadeDeModelos(linha, vistos),
    ...AJUSTES,
  };
}

const mesmaConfig = (a: LinhaDaFila & { nome: string }, b: LinhaDaFila & { nome: string }) =>
  a.nome === b.nome &&
  a.tipo === b.tipo &&
  a.max_concorrencia === b.max_concorrencia &&
  a.concorrencia_informada === b.concorrencia_informada &&
  a.modelos_simultaneos_informados === b.modelos_simultaneos_informados &&
  a.fila_max === b.fila_max &&
  a.fila_espera_segundos === b.fila_espera_segundos;

/** The provider's queue in this process, with the settings of `linha` (a changed row reconfigures it). */
export function filaDo(linha: ProvedorLLMLinha): FilaDoProvedor {
  seguirModelosCarregados();
  const r = registros.get(linha.id);
  if (r) {
    if (r.linha !== linha && !mesmaConfig(r.linha, linha)) {
      r.linha = linha;
      r.fila.configurar(configDe(linha, r.maisVistosJuntos));
    } else r.linha = linha;
    return r.fila;
  }
  const fila = new FilaDoProvedor(linha.id, configDe(linha, 1), avisar);
  registros.set(linha.id, { fila, linha, maisVistosJuntos: 1, aviso: null });
  return fila;
}

/** The queue of a provider a request reached in this process, if any (the router's order reads it). */
export function filaExistente(provedorId: number): FilaDoProvedor | undefined {
  return registros.get(provedorId)?.fila;
}

/** The monitor's reading of the loaded models reaches the queues (once per process). */
const seguirModelosCarregados = (() => {
  let seguindo = false;
  return () => {
    if (seguindo) return;
    seguindo = doProcesso("filasSeguemModelos", () => {
      ouvir((e) => {
        if (e.tipo !== "modelos") return;
        const r = registros.get(e.provedor_id);
        if (!r) return;
        if (e.carregados.length > r.maisVistosJuntos) {
          r.maisVistosJuntos = e.carregados.length;
          r.fila.configurar(configDe(r.linha, r.maisVistosJuntos));
        }
        r.fila.definirCarregados(e.carregados);
      });
      return true;
    });
  };
})();

function estadoDe(r: Registro): EstadoDaFila {
  const f = r.fila;
  return {
    provedor_id: f.provedorId,
    limite: f.limite,
    por_modelo: f.porModelo,
    em_voo: f.emVooAgora,
    na_fila: f.naFila,
    fila_max: f.filaMax,
    recusadas_cheia: f.recusadasCheia,
    recusadas_espera: f.recusadasEspera,
    carregados: [...f.modelosCarregados],
  };
}

function avisar(fila: FilaDoProvedor): void {
  const r = registros.get(fila.provedorId);
  if (!r || ouvintes.size === 0 || r.aviso) return;
  r.aviso = setTimeout(() => {
    r.aviso = null;
    const estado = estadoDe(r);
    for (const ouvinte of ouvintes) {
      try {
        ouvinte(estado);
      } catch {
        // A listener's failure (a closed page's stream) is its own.
      }
    }
  }, 100);
  r.aviso.unref?.();
}

/** Every provider a request reached since the process started. */
export function estadoDasFilas(): EstadoDaFila[] {
  return [...registros.values()].map(estadoDe);
}

export function estadoDaFila(provedorId: number): EstadoDaFila | null {
  const r = registros.get(provedorId);
  return r ? estadoDe(r) : null;
}

/** Each change of a queue (coalesced: at most one per provider every 100 ms); returns how to stop listening. */
export function ouvirFilas(fn: (e: EstadoDaFila) => void): () => void {
  ouvintes.add(fn);
  return () => ouvintes.delete(fn);
}

/** A deleted provider's queue is forgotten; what still waited there is told at once, never sent to its old server. */
export function esquecerFila(provedorId: number): void {
  const r = registros.get(provedorId);
  registros.delete(provedorId);
  r?.fila.descartarEsperando(
    new ErroApp("nao_encontrado", `O provedor ${provedorId} foi excluído enquanto a requisição esperava na fila.`),
  );
}
