import "server-only";
import { z } from "zod";
import { ErroApp } from "../errors";
import type { ModeloLLM, Tokens } from "../schemas/llm";
import { abrirRotaDoServidor, type RespostaDoServidor, type RotaDoServidor } from "./abrir-rota-do-servidor";
import { ClienteHttp, erroDeStatus, lerCorpoSolto } from "./http";
import { objetosNdjson } from "./ler-eventos-do-stream";
import { detalhesShow } from "./ollama-show";
import { formato } from "./openai-compativel";
import type { AcoesModelos } from "../schemas/llm";
import { DURACAO_MAXIMA_DOWNLOAD_MS, type OpcoesCarregar, type ProgressoDownload } from "./acoes-modelos";
import type { AdaptadorLLM, AlvoProvedor, InfoServidor, PedacoChat, PedidoChat, RespostaChat, Verificacao } from "./tipos";
import { esquecerRecusaDeOpcoes } from "./uso-no-stream";

const Detalhes = z
  .looseObject({
    format: z.string().nullish(),
    family: z.string().nullish(),
    families: z.array(z.string()).nullish(),
    parameter_size: z.string().nullish(),
    quantization_level: z.string().nullish(),
  })
  .nullish();

const Tags = z.looseObject({
  models: z
    .array(
      z.looseObject({
        name: z.string(),
        model: z.string().nullish(),
        size: z.number().nullish(),
        digest: z.string().nullish(),
        modified_at: z.string().nullish(),
        details: Detalhes,
      }),
    )
    .nullable(),
});

const Ps = z.looseObject({
  models: z
    .array(
      z.looseObject({
        name: z.string(),
        model: z.string().nullish(),
        size_vram: z.number().nullish(),
        expires_at: z.string().nullish(),
        context_length: z.number().nullish(),
      }),
    )
    .nullable(),
});

const Versao = z.looseObject({ version: z.string() });

const PassoPull = z.looseObject({
  status: z.string().nullish(),
  digest: z.string().nullish(),
  total: z.number().nullish(),
  completed: z.number().nullish(),
  error: z.string().nullish(),
});

function jsonDaLinha(linha: string): unknown {
  try {
    return JSON.parse(linha);
  } catch {
    throw new ErroApp("provedor_erro", "O Ollama enviou uma linha de stream que não é JSON.");
  }
}

const Metricas = {
  model: z.string().nullish(),
  done_reason: z.string().nullish(),
  prompt_eval_count: z.number().nullish(),
  eval_count: z.number().nullish(),
  eval_duration: z.number().nullish(),
};

const RespostaChatOllama = z.looseObject({
  ...Metricas,
  message: z.looseObject({ content: z.string().nullish() }),
  done: z.boolean().nullish(),
});

const PedacoOllama = z.looseObject({
  ...Metricas,
  message: z.looseObject({ content: z.string().nullish() }).nullish(),
  done: z.boolean(),
});

type Metricas = { prompt_eval_count?: number | null; eval_count?: number | null; eval_duration?: number | null };

function tokensOllama(m: Metricas): Tokens {
  const prompt = m.prompt_eval_count ?? null;
  const resposta = m.eval_count ?? null;
  return { prompt, resposta, total: prompt !== null || resposta !== null ? (prompt ?? 0) + (resposta ?? 0) : null };
}

/** Durations are in nanoseconds: tokens/s = eval_count / eval_duration × 1e9. */
function velocidadeOllama(m: Metricas): number | null {
  return m.eval_count && m.eval_duration ? (m.eval_count / m.eval_duration) * 1e9 : null;
}

/** Ollama on its own API: /api/version, /api/tags, /api/ps, /api/show, /api/chat (NDJSON when streaming). */
export class AdaptadorOllama implements AdaptadorLLM {
  private readonly http: ClienteHttp;

  constructor(private readonly alvo: AlvoProvedor) {
    this.http = new ClienteHttp(alvo);
  }

  abrirRota(
    rota: RotaDoServidor,
    corpo: Record<string, unknown>,
    signal?: AbortSignal,
    limparEvento?: (dados: string) => string,
  ): Promise<RespostaDoServidor> {
    return abrirRotaDoServidor(this.http, this.alvo, rota, corpo, signal, limparEvento);
  }

  acoesModelos(): AcoesModelos {
    return { baixar: true, cancelar_download: true, carregar: true, descarregar: true, excluir: true, motivo: null };
  }

  /**
   * No dedicated route: /api/generate without a prompt loads the model and answers when it is in memory;
   * keep_alive -1 keeps it there, 0 unloads it (shared/provider-apis.md).
   */
  async carregarModelo(modelo: string, opcoes: OpcoesCarregar, signal?: AbortSignal): Promise<void> {
    const corpo = { model: modelo, keep_alive: -1, stream: false, ...(opcoes.contexto ? { options: { num_ctx: opcoes.contexto } } : {}) };
    await this.http.json("/api/generate", { corpo, signal });
  }

  async descarregarModelo(modelo: string, signal?: AbortSignal): Promise<void> {
    await this.http.json("/api/generate", { corpo: { model: modelo, keep_alive: 0, stream: false }, signal });
  }

  async excluirModelo(modelo: string, signal?: AbortSignal): Promise<void> {
    await this.http.json("/api/delete", { metodo: "DELETE", corpo: { model: modelo }, signal });
  }

  /** Ollama's reading of a model name: without a tag (after the last `/`, past any registry port), `:latest`. */
  nomeCanonico(modelo: string): string {
    return modelo.slice(modelo.lastIndexOf("/") + 1).includes(":") ? modelo : `${modelo}:latest`;
  }

  /**
   * /api/pull streams NDJSON: one `pulling <digest>` line per layer as it grows, then `success`; a failure is
   * an `{"error"}` line with status 200. Closing the connection cancels the pull on the server.
   */
  async *baixarModelo(modelo: string, signal: AbortSignal): AsyncGenerator<ProgressoDownload> {
    const r = await this.http.abrir("/api/pull", {
      corpo: { model: modelo, stream: true },
      signal,
      stream: true,
      duracaoMaximaMs: DURACAO_MAXIMA_DOWNLOAD_MS,
    });
    const camadas = new Map<string, { id: string; total_bytes: number; baixados_bytes: number }>();
    let terminou = false;
    try {
      if (r.status >= 400) throw erroDeStatus(r.status, await lerCorpoSolto(r), this.alvo);
      for await (const linha of objetosNdjson(r)) {
        const passo = formato(PassoPull, jsonDaLinha(linha), "o stream de /api/pull");
        if (passo.error) throw new ErroApp("provedor_erro", `O Ollama não conseguiu baixar "${modelo}": ${passo.error}`);
        if (passo.status === "success") {
          terminou = true;
          return;
        }
        if (passo.digest && passo.total) {
          camadas.set(passo.digest, { id: passo.digest, total_bytes: passo.total, baixados_bytes: passo.completed ?? 0 });
        }
        const lista = [...camadas.values()];
        yield {
          status: passo.status ?? "",
          total_bytes: lista.length ? lista.reduce((n, c) => n + c.total_bytes, 0) : null,
          baixados_bytes: lista.length ? lista.reduce((n, c) => n + c.baixados_bytes, 0) : null,
          camadas: lista,
        };
      }
      throw new ErroApp("provedor_erro", `O Ollama encerrou o download de "${modelo}" sem confirmar o fim.`);
    } finally {
      r.fechar(terminou);
    }
  }

  async testar(signal?: AbortSignal): Promise<InfoServidor> {
    esquecerRecusaDeOpcoes(this.alvo.base_url);
    let versao: string;
    try {
      const { dados } = await this.http.json("/api/version", { signal });
      versao = formato(Versao, dados, "/api/version").version;
    } catch (e) {
      if (e instanceof ErroApp && e.codigo === "provedor_erro") {
        throw new ErroApp(
          "provedor_erro",
          `O servidor em ${this.alvo.base_url} respondeu, mas não como um Ollama (${e.message}). Confira o tipo do provedor e a porta.`,
        );
      }
      throw e;
    }
    return { versao, modelos: await this.listarModelos(signal) };
  }

  /** /api/version proves it is an Ollama that answers; /api/ps (0.1.38+) names the loaded models. */
  async verificar(signal?: AbortSignal): Promise<Verificacao> {
    const { dados } = await this.http.json("/api/version", { signal });
    formato(Versao, dados, "/api/version");
    const ps = await this.http
      .json("/api/ps", { signal })
      .then((r) => formato(Ps, r.dados, "/api/ps"))
      .catch((e: unknown) => {
        if (e instanceof ErroApp && e.codigo === "provedor_erro") return null;
        throw e;
      });
    return { carregando: false, carregados: ps ? (ps.models ?? []).map((m) => m.model ?? m.name) : null };
  }

  async listarModelos(signal?: AbortSignal): Promise<ModeloLLM[]> {
    const [tags, ps] = await Promise.all([
      this.http.json("/api/tags", { signal }).then((r) => formato(Tags, r.dados, "/api/tags")),
      // /api/ps came in Ollama 0.1.38: without it, whether a model is loaded is simply unknown.
      this.http
        .json("/api/ps", { signal })
        .then((r) => formato(Ps, r.dados, "/api/ps"))
        .catch((e: unknown) => {
          if (e instanceof ErroApp && e.codigo === "provedor_erro") return null;
          throw e;
        }),
    ]);
    const carregados = new Map((ps?.models ?? []).map((m) => [m.model ?? m.name, m]));
    const listados = tags.models ?? [];
    const show = await detalhesShow(
      this.http,
      this.alvo.base_url,
      listados.map((m) => ({ modelo: m.model ?? m.name, digest: m.digest ?? null })),
      signal,
    );
    return listados.map((m) => {
      const id = m.model ?? m.name;
      const emUso = carregados.get(id);
      const descrito = show.get(id);
      const capacidades = descrito?.capacidades ?? null;
      return {
        modelo: id,
        nome: m.name,
        tamanho_bytes: m.size ?? null,
        familia: m.details?.family || null,
        parametros: m.details?.parameter_size || null,
        quantizacao: m.details?.quantization_level || null,
        // The window the model was trained for; the one it was loaded with goes in the details.
        contexto_max: descrito?.contexto_max ?? emUso?.context_length ?? null,
        carregado: ps ? Boolean(emUso) : null,
        detalhes: {
          digest: m.digest ?? null,
          modificado_em: m.modified_at ?? null,
          formato: m.details?.format ?? null,
          familias: m.details?.families ?? null,
          vram_bytes: emUso?.size_vram ?? null,
          contexto_carregado: emUso?.context_length ?? null,
          capacidades,
          // Same marker as LM Studio's: the default model skips what cannot chat.
          tipo: capacidades ? (capacidades.includes("embedding") && !capacidades.includes("completion") ? "embedding" : "llm") : null,
          expira_em: emUso?.expires_at ?? null,
        },
      };
    });
  }

  private corpoChat(pedido: PedidoChat, stream: boolean) {
    const c = pedido.configuracao;
    const options: Record<string, unknown> = {};
    if (c.temperatura !== undefined) options.temperature = c.temperatura;
    if (c.max_tokens !== undefined) options.num_predict = c.max_tokens;
    if (c.top_p !== undefined) options.top_p = c.top_p;
    if (c.stop?.length) options.stop = c.stop;
    if (c.seed !== undefined) options.seed = c.seed;
    // stream defaults to true in Ollama: always say which one we want.
    return { model: pedido.modelo, messages: pedido.mensagens, stream, ...(Object.keys(options).length ? { options } : {}) };
  }

  async chat(pedido: PedidoChat, signal?: AbortSignal): Promise<RespostaChat> {
    const { dados } = await this.http.json("/api/chat", { corpo: this.corpoChat(pedido, false), signal });
    const r = formato(RespostaChatOllama, dados, "/api/chat");
    return {
      conteudo: r.message.content ?? "",
      modelo: r.model ?? pedido.modelo,
      finish_reason: r.done_reason ?? null,
      tokens: tokensOllama(r),
      tokens_por_segundo: velocidadeOllama(r),
    };
  }

  async *chatStream(pedido: PedidoChat, signal?: AbortSignal): AsyncGenerator<PedacoChat> {
    const r = await this.http.abrir("/api/chat", { corpo: this.corpoChat(pedido, true), signal, stream: true });
    let terminou = false;
    try {
      if (r.status >= 400) throw erroDeStatus(r.status, await lerCorpoSolto(r), this.alvo);
      for await (const linha of objetosNdjson(r)) {
        const json = jsonDaLinha(linha);
        // An error after output started is a final {"error": "…"} line with status 200.
        if (json && typeof json === "object" && "error" in json) {
          throw new ErroApp("provedor_erro", `O Ollama interrompeu a resposta: ${String((json as { error: unknown }).error)}`);
        }
        const pedaco = formato(PedacoOllama, json, "o stream de /api/chat");
        if (pedaco.message?.content) yield { tipo: "delta", conteudo: pedaco.message.content };
        if (pedaco.done) {
          terminou = true;
          yield {
            tipo: "fim",
            modelo: pedaco.model ?? pedido.modelo,
            finish_reason: pedaco.done_reason ?? null,
            tokens: tokensOllama(pedaco),
            tokens_por_segundo: velocidadeOllama(pedaco),
          };
          return;
        }
      }
      throw new ErroApp("provedor_erro", "O Ollama encerrou o stream antes do fim da resposta.");
    } finally {
      r.fechar(terminou);
    }
  }
}
