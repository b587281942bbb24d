import "server-only";
import type { ProvedorLLMLinha } from "@/db/schema";
import { adiarSaida, aoEncerrar } from "../encerramento";
import { comoErroApp, ErroApp } from "../errors";
import type { Benchmark, CelulaBenchmark, PerfilBenchmark, ServidorDoBenchmark } from "../schemas/benchmark";
import type { ModeloLLM } from "../schemas/llm";
import { benchmarkDaLinha, gravarFim, gravarProgresso, lerLinhaPorId } from "./armazenamento";
import { esquecerExecucao, type Execucao, publicar } from "./execucoes";
import { MOTIVO_INTERROMPIDO } from "./interrompidos";
import { type MedidaDaRequisicao, type Rodada, resumirCelula } from "./medidas";
import { medirUmaRequisicao } from "./medir-requisicao";
import {
  contarComTokenizador,
  estimada,
  geradorDeNonces,
  type Medida,
  montarPrompt,
  PALAVRAS_DAS_AMOSTRAS,
  palavrasPara,
  retaDeDuasAmostras,
} from "./prompts";
import { retratoDoServidor, versaoDoServidor } from "./servidor";

/** The running instance renews the row this often (another instance's page polls it; 10 s of silence = gone). */
const BATIMENTO_MS = 1000;

/** A run stopped by its cancel or the shutdown: not a failure of the server. */
class Parada extends Error {}

type Contexto = { ex: Execucao; linha: ProvedorLLMLinha; modelo: ModeloLLM; perfil: PerfilBenchmark };

/**
 * Runs a benchmark in the background, to its end: the server's version, the prompts' sizing with its warm-up
 * requests (they load the model; not counted), then every prompt length at every concurrency, `repeticoes` rounds
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
      .then(async (r) => {
        // Cancelled from another instance: every request stops.
        if (r?.cancelar) return parar(ex, "cancelado");
        if (r) return;
        // The row is gone (the provider deleted: cancelado) or another path ended it (another instance judged it
        // interrupted): the run stops and ends as the row says (see the end below), so the SSE's last event is GET's.
        const linha = await lerLinhaPorId(ex.id);
        if (linha?.estado !== "executando") parar(ex, linha?.estado === "interrompido" ? "interrompido" : "cancelado");
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
    const nonce = geradorDeNonces();
    const medida = await medirPrompts(c, sinal, nonce);
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
                prompt: montarPrompt(nonce(), palavras, Math.floor(Math.random() * 2 ** 31)),
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
  // Without a row to end (the provider deleted) or a database to write to, the listeners still hear how it ended.
  const semLinha = (): Benchmark => {
    const b = agora();
    return { ...b, estado, erro, progresso: { ...b.progresso, eta_segundos: null }, concluido_em: new Date().toISOString() };
  };
  let final: Benchmark;
  try {
    // A row another path already ended is read back: the run ends as stored.
    const linha = (await gravarFim(ex.id, { estado, feitas, celulas, servidor, erro })) ?? (await lerLinhaPorId(ex.id));
    final = linha ? benchmarkDaLinha(linha) : semLinha();
  } catch (e) {
    comoErroApp(e);
    final = semLinha();
  }
  esquecerExecucao(ex.id);
  publicar(ex, final);
  ex.ouvintes.clear();
  return final;
}

/**
 * The end of a run whose own course threw (a defect, not the server): stored as `falhou` with the cells it had,
 * and told to its listeners, so nothing waits on it forever. Never throws.
 */
export async function terminarComFalha(ex: Execucao, e: unknown): Promise<Benchmark> {
  const erro = `A execução falhou por um erro interno do app: ${comoErroApp(e).message}`;
  const b = ex.dados;
  let final: Benchmark = {
    ...b,
    estado: "falhou",
    erro,
    progresso: { ...b.progresso, eta_segundos: null },
    concluido_em: new Date().toISOString(),
  };
  try {
    const linha =
      (await gravarFim(ex.id, { estado: "falhou", feitas: b.progresso.feitas, celulas: b.celulas, servidor: b.servidor, erro })) ??
      (await lerLinhaPorId(ex.id));
    if (linha) final = benchmarkDaLinha(linha);
  } catch (falha) {
    comoErroApp(falha);
  }
  esquecerExecucao(ex.id);
  try {
    publicar(ex, final);
  } catch {
    // A listener that throws is the SSE's to answer; the run is over all the same.
  }
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
 * How a prompt's tokens grow with its words on this server, from two prompts built like the real ones (a nonce,
 * then words): llama.cpp's tokenizer counts them, and its warm-up's prompt count adds the chat template's tokens;
 * else two warm-up requests' prompt counts (Ollama's prompt_eval_count, a usage chunk) give the line, template
 * included; else 4 characters per token. The warm-ups load the model and are not counted.
 */
async function medirPrompts(c: Contexto, sinal: AbortSignal, nonce: () => string): Promise<Medida> {
  const [curta, longa] = PALAVRAS_DAS_AMOSTRAS;
  const amostras = [montarPrompt(nonce(), curta, 3), montarPrompt(nonce(), longa, 4)] as const;
  const aquecer = async (i: 0 | 1) => {
    const m = await medirUmaRequisicao({
      linha: c.linha,
      modelo: c.modelo.modelo,
      prompt: amostras[i],
      tokensPrompt: PALAVRAS_DAS_AMOSTRAS[i],
      tokensResposta: Math.min(4, c.perfil.tokens_resposta),
      sinal,
    });
    if (sinal.aborted) throw new Parada();
    return m.ok ? m.tokensPrompt : null;
  };
  if (c.linha.tipo === "llama_cpp") {
    const t1 = await contarComTokenizador(c.linha, amostras[0], sinal);
    const t2 = t1 === null ? null : await contarComTokenizador(c.linha, amostras[1], sinal);
    const reta = t1 !== null && t2 !== null ? retaDeDuasAmostras([curta, t1], [longa, t2], "tokenizador") : null;
    if (reta && t2 !== null) {
      // The chat template (and BOS): what the server counted of the same prompt beyond its bare text.
      const contados = await aquecer(1);
      return { ...reta, tokensFixos: reta.tokensFixos + (contados ? Math.max(0, contados - t2) : 0) };
    }
  }
  const t1 = await aquecer(0);
  const t2 = await aquecer(1);
  const reta = t1 && t2 ? retaDeDuasAmostras([curta, t1], [longa, t2], "calibrado") : null;
  return reta ?? estimada();
}
