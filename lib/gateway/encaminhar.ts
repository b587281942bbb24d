import type { RotaOpenAI } from "../adapters";
import { registrarRequisicao, type RegistroRequisicao } from "../estatisticas/registrar";
import { fimDoStreamOpenAI, jsonDoEventoOpenAI } from "../adapters/leitores";
import { comoErroApp, ErroApp } from "../errors";
import { acompanhar, recusaDoDisjuntor } from "../monitor/situacoes";
import { adaptadorDe } from "../provedores/alvo";
import { buscarLinhaRecente } from "../provedores/interno";
import { CorpoChatOpenAI, CorpoCompletionOpenAI, CorpoEmbeddingsOpenAI } from "../schemas/openai";
import { validar } from "../schemas/validar";
import type { ProvedorRoteavel } from "./catalogo";
import { repassarStream, type StreamRepassado, type Uso } from "./repasse";
import { candidatosPara, comecou, fimDoErro, respondeu, terminou } from "./rotear";

export type PedidoGateway = {
  rota: RotaOpenAI;
  corpo: unknown;
  /** The caller leaving cancels the upstream request. */
  signal: AbortSignal;
  /** performance.now() when the request arrived: the base of the overhead the app reports. */
  recebidoEm: number;
  /** Receives each statistics write, so a serverless caller can wait for them after answering. */
  gravacoes?: Promise<void>[];
};

/** Who answered, and how long the app took from receiving the request to sending it upstream. */
export type Atendimento = { provedor: ProvedorRoteavel; overheadMs: number };

export type ResultadoGateway = (Atendimento & { tipo: "json"; texto: string }) | (Atendimento & { tipo: "stream" } & StreamRepassado);

const SCHEMAS = {
  "/v1/chat/completions": CorpoChatOpenAI,
  "/v1/completions": CorpoCompletionOpenAI,
  "/v1/embeddings": CorpoEmbeddingsOpenAI,
} as const;

/** Failures that say nothing about the request itself: another provider may well answer. */
function outroPodeResponder(erro: ErroApp): boolean {
  if (erro.codigo === "provedor_erro") return erro.statusServidor === undefined || erro.statusServidor >= 500;
  // nao_encontrado: the provider was deleted after the catalog was read.
  return ["provedor_indisponivel", "provedor_timeout", "provedor_autenticacao", "modelo_nao_encontrado", "nao_encontrado"].includes(
    erro.codigo,
  );
}

/** A 4xx from the server (a bad parameter) is the caller's to fix: OpenAI's SDKs expect it as a 400. */
function paraChamador(erro: ErroApp): ErroApp {
  const s = erro.statusServidor;
  if (erro.codigo === "provedor_erro" && s !== undefined && s >= 400 && s < 500) return new ErroApp("validacao", erro.message);
  return erro;
}

const arredondar = (ms: number) => Math.round(ms * 10) / 10;

/**
 * One OpenAI call through the gateway: routed to the providers that have the model, in order; a provider
 * that fails before the first byte of its answer is followed by the next. Every attempt is counted in its
 * own provider's statistics, through the same writer as `requisicao`.
 */
export async function encaminharOpenAI(p: PedidoGateway): Promise<ResultadoGateway> {
  const corpo = validar(SCHEMAS[p.rota], p.corpo);
  const stream = "stream" in corpo && corpo.stream === true;
  const candidatos = await candidatosPara(corpo.model, p.signal);
  const gravar = (r: RegistroRequisicao) => {
    const gravacao = registrarRequisicao(r);
    p.gravacoes?.push(gravacao);
    return gravacao;
  };
  const motivos: string[] = [];
  let ultimo: ErroApp | null = null;

  for (const candidato of candidatos) {
    const provedor = candidato.provedor;
    // The adapter asks for usage where the server takes it (the statistics read it); the usage chunk is
    // passed on only if the caller asked.
    const opcoesStream = ("stream_options" in corpo ? corpo.stream_options : null) as { include_usage?: boolean } | null | undefined;
    const pediuUso = stream && opcoesStream?.include_usage === true;
    const corpoServidor: Record<string, unknown> = { ...corpo, model: candidato.modelo };

    const inicioEpoch = Date.now();
    const envio = performance.now();
    const registro = (
      extra: Partial<RegistroRequisicao> & Pick<RegistroRequisicao, "sucesso" | "tempo_resposta_ms">,
    ): RegistroRequisicao => ({
      provedor_id: provedor.id,
      criado_em: inicioEpoch,
      modelo: candidato.modelo,
      stream,
      codigo_erro: null,
      tempo_primeiro_token_ms: null,
      tokens_prompt: null,
      tokens_resposta: null,
      ...extra,
    });
    // Known offline: skipped at once (not an attempt), unless the breaker lets this one probe it.
    const recusa = recusaDoDisjuntor(provedor.id);
    if (recusa) {
      motivos.push(`${provedor.nome}: ${recusa.message}`);
      ultimo = recusa;
      continue;
    }
    comecou(provedor.id);
    /** Set while the first event is read: an error then is the server's error event, about this request. */
    let noEvento = false;
    try {
      const linha = await buscarLinhaRecente(provedor.id);
      acompanhar(linha);
      const r = await adaptadorDe(linha).abrirOpenAI(p.rota, corpoServidor, p.signal);
      const overheadMs = arredondar(envio - p.recebidoEm);
      if (r.tipo === "json") {
        const tempo = performance.now() - envio;
        // A body of `null` is valid JSON; the attempt is settled last, once nothing here can throw.
        const uso = (r.dados as { usage?: Uso } | null)?.usage;
        respondeu(provedor.id, tempo);
        terminou(provedor.id, "ok");
        void gravar(
          registro({
            sucesso: true,
            tempo_resposta_ms: arredondar(tempo),
            tokens_prompt: uso?.prompt_tokens ?? null,
            tokens_resposta: uso?.completion_tokens ?? null,
          }),
        );
        return { tipo: "json", provedor, overheadMs, texto: r.texto };
      }
      const lotes = r.eventos[Symbol.asyncIterator]();
      // The first event is still "before the first byte": a failure there (or no event at all) moves on to
      // the next provider, and this server's answer is cut.
      const primeiro = await lotes.next().catch((e: unknown) => {
        r.fechar();
        throw e;
      });
      if (primeiro.done) {
        r.fechar();
        throw new ErroApp("provedor_erro", "O servidor encerrou o stream sem enviar nenhum evento.");
      }
      // A 200 whose first event is the server's error (a proxy whose upstream refused) is still a failure
      // before the first byte: the next provider may answer. Only that first event is read twice.
      const abertura = primeiro.value[0]!;
      if (!fimDoStreamOpenAI(abertura)) {
        try {
          noEvento = true;
          jsonDoEventoOpenAI(abertura);
          noEvento = false;
        } catch (e) {
          r.fechar();
          throw e;
        }
      }
      // Latency to the first byte; the request stays in flight until the stream ends.
      respondeu(provedor.id, performance.now() - envio);
      return {
        tipo: "stream",
        provedor,
        overheadMs,
        ...repassarStream(primeiro, lotes, {
          envio,
          pediuUso,
          fechar: r.fechar,
          registrar: (x) => gravar(registro(x)),
          terminou: (fim) => terminou(provedor.id, fim),
        }),
      };
    } catch (e) {
      const erro = comoErroApp(e);
      const fim = noEvento ? "erro" : fimDoErro(erro);
      terminou(provedor.id, fim);
      // The app's own database away (reading the provider's row) is no attempt of this provider's.
      if (erro.codigo === "banco_indisponivel") throw erro;
      const tempo = arredondar(performance.now() - envio);
      void gravar(registro({ sucesso: false, codigo_erro: erro.codigo, tempo_resposta_ms: tempo }));
      // Cancelled, or cut by the shutdown: no other provider is tried (nobody would read it, or it would be cut too).
      if (fim === "cancelado" || !outroPodeResponder(erro)) throw paraChamador(erro);
      motivos.push(`${provedor.nome}: ${erro.message}`);
      ultimo = erro;
    }
  }
  const erro = ultimo ?? new ErroApp("provedor_indisponivel", "Nenhum provedor respondeu.");
  throw new ErroApp(
    erro.codigo,
    candidatos.length > 1
      ? `Nenhum dos ${candidatos.length} provedores com "${corpo.model}" respondeu. ${motivos.join(" | ")}`
      : erro.message,
  );
}
