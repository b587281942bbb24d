import "server-only";
import { randomUUID } from "node:crypto";
import type { ProvedorLLMLinha } from "@/db/schema";
import { adiarSaida, aoEncerrar } from "../encerramento";
import { comoErroApp, ErroApp } from "../errors";
import type { Benchmark, CelulaBenchmark, PerfilBenchmark, ServidorDoBenchmark } from "../schemas/benchmark";
import type { ModeloLLM } from "../schemas/llm";
import { benchmarkDaLinha, gravarFim, gravarProgresso } from "./armazenamento";
import { esquecerExecucao, type Execucao, publicar } from "./execucoes";
import { MOTIVO_INTERROMPIDO } from "./interrompidos";
import { type MedidaDaRequisicao, type Rodada, resumirCelula } from "./medidas";
import { medirUmaRequisicao } from "./medir-requisicao";
import { estimada, type Medida, medidaCalibrada, medirComTokenizador, montarPrompt, palavrasPara } from "./prompts";
import { retratoDoServidor, versaoDoServidor } from "./servidor";

/** The running instance renews the row this often (another instance's page polls it; 10 s of silence = gone). */
const BATIMENTO_MS = 1000;
/** The warm-up's prompt: long enough for a prompt count to calibrate words → tokens. */
const PALAVRAS_DO_AQUECIMENTO = 120;

/** A run stopped by its cancel or the shutdown: not a failure of the server. */
class Parada extends Error {}

type Contexto = { ex: Execucao; linha: ProvedorLLMLinha; modelo: ModeloLLM; perfil: PerfilBenchmark };

/**
 * Runs a benchmark in the background, to its end: the server's version, the prompts' sizing, one warm-up
 * request (it loads the model; not counted), then every prompt length at every concurrency, `repeticoes` rounds
 * of `concorrencia` requests sent together. Progress is published after each request and stored at each
 * heartbeat; the end is stored once. A cancel (here, or asked by another instance through the row) or the
 * shutdown aborts every upstream request at once.
 */
export async function executarBenchmark(c: Contexto): Promise<Benchmark> {
  const { ex } = c;
  const sinal = ex.controle.signal;
  const celulas: CelulaBenchmark[] = [];
  let servidor: ServidorDoBenchmark | null = null;
  let feitas = 0;
  let inicio: number | null = null;
  const agora = (): Benchmark => {
    const restante = ex.dados.progresso.total - feitas;
    const eta = inicio !== null && feitas > 0 ? Math.ceil((((performance.now() - inicio) / feitas) * restante) / 1000) : null;
    return { ...ex.dados, celulas: [...celulas], servidor, progresso: { ...ex.dados.progresso, feitas, eta_segundos: eta } };
  };
  let batendo = false;
  const batimento = setInterval(() => {
    if (batendo) return;
    batendo = true;
    const b = agora();
    gravarProgresso(ex.id, { feitas, celulas: b.celulas, servidor, eta_segundos: b.progresso.eta_segundos })
      .then((r) => {
        // Cancelled from another instance, or the row is gone (the provider deleted): every request stops.
        if (!r || r.cancelar) parar(ex, "cancelado");
      })
      .catch(() => {})
      .finally(() => (batendo = false));
  }, BATIMENTO_MS);
  // The shutdown: the run stops at once and stores that it was interrupted before the process exits.
  const naoEncerrar = aoEncerrar(() => {
    parar(ex, "interrompido");
    adiarSaida(ex.terminada);
  });
  let estado: Benchmark["estado"] = "concluido";
  let erro: string | null = null;
  try {
    const versao = await versaoDoServidor(c.linha, sinal);
    const medida = await medirPrompts(c, sinal);
    servidor = retratoDoServidor(c.linha, c.modelo, versao, medida.como);
    publicar(ex, agora());
    inicio = performance.now();
    for (const tokensPrompt of c.perfil.tokens_prompt) {
      for (const concorrencia of c.perfil.concorrencias) {
        const rodadas: Rodada[] = [];
        for (let rep = 0; rep < c.perfil.repeticoes; rep++) {
          const t = performance.now();
          const medidas = await Promise.all(
            Array.from({ length: concorrencia }, async () => {
              const palavras = palavrasPara(tokensPrompt, medida);
              const m = await medirUmaRequisicao({
                linha: c.linha,
                modelo: c.modelo.modelo,
                prompt: montarPrompt(randomUUID(), palavras, Math.floor(Math.random() * 2 ** 31)),
                tokensPrompt,
                tokensResposta: c.perfil.tokens_resposta,
                sinal,
              });
              if (sinal.aborted) return m;
              feitas += 1;
              publicar(ex, agora());
              return m;
            }),
          );
          if (sinal.aborted) throw new Parada();
          rodadas.push({ medidas, duracaoMs: performance.now() - t });
        }
        const celula = resumirCelula(tokensPrompt, concorrencia, rodadas);
        if (celulas.length === 0 && celula.erros === celula.requisicoes) {
          const motivo = rodadas.flatMap((r) => r.medidas).find((m): m is Extract<MedidaDaRequisicao, { ok: false }> => !m.ok);
          throw new ErroApp(
            "provedor_erro",
            `Todas as requisições da primeira medição falharam: ${motivo?.erro ?? "sem resposta do servidor"}`,
          );
        }
        celulas.push(celula);
        publicar(ex, agora());
      }
    }
  } catch (e) {
    if (sinal.aborted || e instanceof Parada) {
      estado = ex.parada ?? "cancelado";
      erro = estado === "interrompido" ? MOTIVO_INTERROMPIDO : null;
    } else {
      estado = "falhou";
      erro = comoErroApp(e).message;
    }
  } finally {
    clearInterval(batimento);
    naoEncerrar();
  }
  // A heartbeat still in flight is left to land first: the end is the last write.
  while (batendo) await new Promise((r) => setTimeout(r, 10));
  let final: Benchmark;
  try {
    const linha = await gravarFim(ex.id, { estado, feitas, celulas, servidor, erro });
    final = linha ? benchmarkDaLinha(linha) : { ...agora(), estado, erro, progresso: { ...agora().progresso, eta_segundos: null } };
  } catch (e) {
    comoErroApp(e);
    final = { ...agora(), estado, erro, progresso: { ...agora().progresso, eta_segundos: null }, concluido_em: new Date().toISOString() };
  }
  esquecerExecucao(ex.id);
  publicar(ex, final);
  ex.ouvintes.clear();
  return final;
}

/** Stops the run: every upstream request is aborted at once. */
export function parar(ex: Execucao, motivo: "cancelado" | "interrompido"): void {
  if (ex.controle.signal.aborted) return;
  ex.parada = motivo;
  ex.controle.abort();
}

/**
 * How many words make a token on this server, and the warm-up request (it loads the model): llama.cpp's
 * tokenizer where it has one; else the warm-up's prompt count (Ollama's prompt_eval_count, a usage chunk);
 * else 4 characters per token.
 */
async function medirPrompts(c: Contexto, sinal: AbortSignal): Promise<Medida> {
  const tokenizador = c.linha.tipo === "llama_cpp" ? await medirComTokenizador(c.linha, sinal) : null;
  const aquecimento = await medirUmaRequisicao({
    linha: c.linha,
    modelo: c.modelo.modelo,
    prompt: montarPrompt(randomUUID(), PALAVRAS_DO_AQUECIMENTO, 3),
    tokensPrompt: PALAVRAS_DO_AQUECIMENTO,
    tokensResposta: Math.min(4, c.perfil.tokens_resposta),
    sinal,
  });
  if (sinal.aborted) throw new Parada();
  if (tokenizador) return tokenizador;
  if (aquecimento.ok && aquecimento.tokensPrompt) return medidaCalibrada(aquecimento.tokensPrompt, PALAVRAS_DO_AQUECIMENTO + 1);
  return estimada();
}
