import {
  type Benchmark,
  type EstadoBenchmark,
  type FonteDasMedidas,
  PERFIS_PRESET,
  type PerfilBenchmark,
  type PresetBenchmark,
  type ServidorDoBenchmark,
} from "@/lib/schemas/benchmark";
import { dataHora } from "../rotulos";

export const ROTULO_ESTADO: Record<EstadoBenchmark, string> = {
  executando: "Executando",
  concluido: "Concluído",
  cancelado: "Cancelado",
  falhou: "Falhou",
  interrompido: "Interrompido",
};

export const ROTULO_PRESET: Record<PresetBenchmark, string> = { rapido: "Rápido", completo: "Completo" };

export const ROTULO_FONTE: Record<FonteDasMedidas, string> = { servidor: "servidor", cliente: "cliente" };

/** Why a cell's figures can be trusted as they are: who measured them. */
export const EXPLICACAO_FONTE: Record<FonteDasMedidas, string> = {
  servidor: "Tempos informados pelo próprio servidor (timings do llama.cpp, durações do Ollama, stats do LM Studio).",
  cliente: "O servidor não informou tempos: medidos pelo app, do envio ao primeiro token e entre o primeiro e o último token.",
};

export const ROTULO_TAMANHO_PROMPTS: Record<ServidorDoBenchmark["tamanho_dos_prompts"], string> = {
  tokenizador: "tokenizador do servidor",
  calibrado: "calibrado",
  estimado: "estimado",
};

export const EXPLICACAO_TAMANHO_PROMPTS: Record<ServidorDoBenchmark["tamanho_dos_prompts"], string> = {
  tokenizador: "Cada prompt foi medido com o tokenizador do próprio servidor: o tamanho pedido é o tamanho enviado.",
  calibrado: "A proporção palavras → tokens foi calibrada com a contagem de tokens de uma requisição de aquecimento.",
  estimado: "O servidor não tem tokenizador nem conta tokens: tamanhos estimados (4 caracteres por token), podem variar.",
};

const lista = (v: readonly number[]) => v.map((n) => n.toLocaleString("pt-BR")).join(", ");

/** The preset a profile equals, if any. */
export function presetDoPerfil(p: PerfilBenchmark): PresetBenchmark | null {
  for (const [nome, base] of Object.entries(PERFIS_PRESET) as [PresetBenchmark, PerfilBenchmark][]) {
    if (JSON.stringify(base) === JSON.stringify(p)) return nome;
  }
  return null;
}

/** "Rápido: prompts 128, 1.024 · resposta 64 · concorrência 1, 2, 4 · ×2". */
export function resumoDoPerfil(p: PerfilBenchmark): string {
  const preset = presetDoPerfil(p);
  const detalhes = `prompts ${lista(p.tokens_prompt)} · resposta ${p.tokens_resposta.toLocaleString("pt-BR")} · concorrência ${lista(p.concorrencias)} · ×${p.repeticoes}`;
  return `${preset ? ROTULO_PRESET[preset] : "Personalizado"}: ${detalhes}`;
}

/** The run's best generation speed per stream, over its cells. */
export function melhorGeracao(b: Benchmark): number | null {
  const v = b.celulas.map((c) => c.geracao_tokens_s).filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
}

/** How a run is named on a shared chart: "provedor · modelo · data". */
export function nomeDaExecucao(b: Benchmark & { provedor_nome: string }): string {
  return `${b.provedor_nome} · ${b.modelo} · ${dataHora(new Date(b.criado_em))}`;
}
