import "server-only";
import { z } from "zod";
import { ErroApp } from "../errors";
import type { ModeloLLM } from "../schemas/llm";
import type { AcoesModelos } from "../schemas/llm";
import { acaoNaoSuportada, esperar, nenhumaAcao, type OpcoesCarregar } from "./acoes-modelos";
import { AdaptadorOpenAI, formato, modeloSimples } from "./openai-compativel";
import type { Capacidade, InfoServidor, Verificacao } from "./tipos";
import { esquecerRecusaDeOpcoes } from "./uso-no-stream";

const SEM_ROTEADOR =
  "llama-server sem modo roteador: o modelo é fixado na inicialização (-m). Inicie com --models-dir para trocar de modelo pela página.";
const NAO_APAGA = "o llama-server não apaga arquivos de modelo; remova o .gguf da pasta de modelos.";
/** How often a background load (router mode) is checked until the server says `loaded`. */
const INTERVALO_ESTADO_MS = 250;

const ModelosRoteador = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      // Current builds add `failed: true` and the child's `exit_code` to an `unloaded` model whose process exited non-zero.
      status: z.looseObject({ value: z.string(), exit_code: z.number().nullish() }).nullish(),
    }),
  ),
});

const Meta = z
  .looseObject({
    n_ctx: z.number().nullish(),
    n_ctx_train: z.number().nullish(),
    n_params: z.number().nullish(),
    size: z.number().nullish(),
    ftype: z.string().nullish(),
  })
  .nullish();

const Props = z.looseObject({
  role: z.string().nullish(),
  /** Parallel slots (`-np`); the router's own /props has none, each loaded model's has its own. */
  total_slots: z.number().int().nonnegative().nullish(),
  /** Router mode's `--models-max` (0: unlimited). */
  max_instances: z.number().int().nonnegative().nullish(),
  build_info: z.string().nullish(),
  model_alias: z.string().nullish(),
  default_generation_settings: z.looseObject({ n_ctx: z.number().nullish() }).nullish(),
});

const Timings = z.looseObject({ predicted_per_second: z.number().nullish() });

/** "4178240" → "4.2M", "8030261248" → "8.0B": how people name model sizes. */
export function parametrosLegiveis(n: number | null | undefined): string | null {
  if (!n || n <= 0) return null;
  for (const [limite, sufixo] of [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ] as const) {
    if (n >= limite) return `${(n / limite).toFixed(1)}${sufixo}`;
  }
  return String(n);
}

/** llama.cpp's llama-server: OpenAI API plus /health (503 while loading), /props and `timings`. */
export class AdaptadorLlamaCpp extends AdaptadorOpenAI {
  override async testar(signal?: AbortSignal): Promise<InfoServidor> {
    esquecerRecusaDeOpcoes(this.alvo.base_url);
    // /health is public even with --api-key and says "loading" with a 503.
    await this.http.json("/health", { signal });
    const modelos = await this.listarModelos(signal);
    let versao: string | undefined;
    try {
      const { dados } = await this.http.json("/props", { signal });
      versao = formato(Props, dados, "/props").build_info ?? undefined;
    } catch (e) {
      // Older builds or proxies may not expose /props; the server still works.
      if (e instanceof ErroApp && (e.codigo === "provedor_timeout" || e.codigo === "cancelado")) throw e;
    }
    return { versao, modelos };
  }

  /** /health only: 200 ready, 503 "Loading model" while the model loads (public even with --api-key). */
  override async verificar(signal?: AbortSignal): Promise<Verificacao> {
    try {
      await this.http.json("/health", { signal });
      return { carregando: false, carregados: null };
    } catch (e) {
      if (e instanceof ErroApp && e.statusServidor === 503) return { carregando: true, carregados: null };
      throw e;
    }
  }

  /**
   * /props: `total_slots` of a single-model server; in router mode `max_instances`, and the slots of a loaded
   * model from `/props?model=ID` (`autoload=false`: asking must never load one). Nothing loaded: the slots are
   * not known this time.
   */
  async capacidade(modelos: ModeloLLM[], signal?: AbortSignal): Promise<Capacidade | null> {
    const { dados } = await this.http.json("/props", { signal });
    const props = formato(Props, dados, "/props");
    if (props.role !== "router") return { concorrencia: props.total_slots ?? undefined, modelosSimultaneos: null };
    const modelosSimultaneos = props.max_instances ?? null;
    const carregado = modelos.find((m) => m.carregado)?.modelo;
    if (carregado === undefined) return { concorrencia: undefined, modelosSimultaneos };
    const consulta = new URLSearchParams({ model: carregado, autoload: "false" });
    try {
      const doModelo = await this.http.json(`/props?${consulta}`, { signal });
      return { concorrencia: formato(Props, doModelo.dados, "/props").total_slots ?? undefined, modelosSimultaneos };
    } catch {
      // Unloaded since it was listed (or an older router): the models' limit is still known.
      return { concorrencia: undefined, modelosSimultaneos };
    }
  }

  protected override modeloDeV1(m: { id: string } & Record<string, unknown>): ModeloLLM {
    const meta = Meta.safeParse(m.meta).data;
    const status = (m.status as { value?: unknown } | undefined)?.value;
    const roteador = typeof status === "string";
    return {
      ...modeloSimples(m.id, {
        owned_by: m.owned_by ?? null,
        aliases: m.aliases ?? null,
        meta: m.meta ?? null,
        // Router mode (--models-dir): each model has a status and can be loaded and unloaded.
        ...(roteador ? { roteador: true, estado: status } : {}),
      }),
      tamanho_bytes: meta?.size ?? null,
      parametros: parametrosLegiveis(meta?.n_params),
      quantizacao: meta?.ftype ?? null,
      contexto_max: meta?.n_ctx ?? null,
      // Without router mode a llama-server serves exactly the model it lists.
      carregado: roteador ? status === "loaded" : true,
    };
  }

  override acoesModelos(modelos: ModeloLLM[]): AcoesModelos {
    // Router mode shows in the model list: without one, the page cannot tell yet.
    if (!modelos.length) return nenhumaAcao("Atualize a lista de modelos para saber se o llama-server está em modo roteador.");
    if (!modelos.some((m) => m.detalhes?.roteador === true)) return nenhumaAcao(SEM_ROTEADOR);
    return {
      baixar: false,
      cancelar_download: false,
      carregar: true,
      descarregar: true,
      excluir: false,
      motivo: `Baixar e excluir: ${NAO_APAGA}`,
    };
  }

  /** Router mode only; the load runs in the background: followed until `loaded` (or the provider's timeout). */
  override async carregarModelo(modelo: string, _opcoes: OpcoesCarregar, signal?: AbortSignal): Promise<void> {
    await this.exigirRoteador("carregar", signal);
    await this.pedirCarga(modelo, signal);
    await this.esperarEstado(modelo, "loaded", signal);
  }

  /** POST /models/load; a model already loading or loaded (400 "model is already running") is what the caller wants. */
  private async pedirCarga(modelo: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.http.json("/models/load", { corpo: { model: modelo }, signal });
    } catch (e) {
      if (!(e instanceof ErroApp && e.statusServidor === 400 && /already running/i.test(e.message)))
        throw this.modeloDesconhecido(e, modelo);
    }
  }

  override async descarregarModelo(modelo: string, signal?: AbortSignal): Promise<void> {
    await this.exigirRoteador("descarregar", signal);
    try {
      await this.http.json("/models/unload", { corpo: { model: modelo }, signal });
    } catch (e) {
      // Not loaded: the server says 400 "model is not running", which is what the caller wants.
      if (!(e instanceof ErroApp && e.statusServidor === 400 && /not running/i.test(e.message))) throw this.modeloDesconhecido(e, modelo);
    }
    await this.esperarEstado(modelo, "unloaded", signal);
  }

  override async excluirModelo(): Promise<void> {
    throw acaoNaoSuportada("excluir", NAO_APAGA);
  }

  protected override semDownload(): string {
    return "o llama-server não baixa modelos pela API; coloque o .gguf na pasta de modelos (--models-dir).";
  }

  private async exigirRoteador(acao: "carregar" | "descarregar", signal?: AbortSignal): Promise<void> {
    const { dados } = await this.http.json("/props", { signal });
    if (formato(Props, dados, "/props").role !== "router") throw acaoNaoSuportada(acao, SEM_ROTEADOR);
  }

  /** The router answers an unknown id with a bare 404 "File Not Found". */
  private modeloDesconhecido(e: unknown, modelo: string): unknown {
    if (e instanceof ErroApp && e.statusServidor === 404) {
      return new ErroApp("modelo_nao_encontrado", `O servidor não tem o modelo "${modelo}". Atualize a lista de modelos.`);
    }
    return e;
  }

  private async esperarEstado(modelo: string, alvo: "loaded" | "unloaded", signal?: AbortSignal): Promise<void> {
    const limite = Date.now() + this.alvo.timeout_segundos * 1000;
    let visto: string | undefined;
    let pedidoDeNovo = false;
    while (Date.now() < limite) {
      const { dados } = await this.http.json("/models", { signal });
      const status = formato(ModelosRoteador, dados, "/models").data.find((m) => m.id === modelo)?.status;
      visto = status?.value;
      if (visto === alvo) return;
      if (alvo === "loaded" && visto === "unloaded") {
        // Back to `unloaded` after the load was accepted: it failed (a bad file, no memory), or it was stopped:
        // another client's load of the same model racing on the router (server-models.cpp's unload_lru() counts
        // a model still loading, and evicts it at capacity). The two look alike (a child killed while loading
        // exits non-zero too): the load is asked for once more, and only a second fall is a failure.
        if (pedidoDeNovo) {
          const saida = status?.exit_code ? ` (o processo do modelo saiu com código ${status.exit_code})` : "";
          throw new ErroApp("provedor_erro", `O servidor não conseguiu carregar "${modelo}"${saida}: veja o log do llama-server.`);
        }
        pedidoDeNovo = true;
        await this.pedirCarga(modelo, signal);
        continue;
      }
      await esperar(INTERVALO_ESTADO_MS, signal);
    }
    throw new ErroApp(
      "provedor_timeout",
      `O servidor não terminou de ${alvo === "loaded" ? "carregar" : "descarregar"} "${modelo}" em ${this.alvo.timeout_segundos} s (estado: ${visto ?? "desconhecido"}).`,
    );
  }

  protected override velocidadeDoServidor(dados: Record<string, unknown>): number | null {
    return Timings.safeParse(dados.timings).data?.predicted_per_second ?? null;
  }
}
