import "server-only";
import { z } from "zod";
import { ErroApp } from "../errors";
import type { AcoesModelos, ModeloLLM } from "../schemas/llm";
import { acaoNaoSuportada, esperar, type OpcoesCarregar, type ProgressoDownload } from "./acoes-modelos";
import { AdaptadorOpenAI, formato, modeloSimples } from "./openai-compativel";
import type { Verificacao } from "./tipos";

const NAO_EXCLUI = "o LM Studio não tem API para apagar modelos; apague pelo aplicativo (Meus modelos).";
const SEM_CANCELAR = "o LM Studio não tem API para isso; cancele pelo aplicativo (Downloads).";
/** How often a download job's status is asked for. */
const INTERVALO_DOWNLOAD_MS = 1000;
const REQUER_04 = "as rotas de gerenciamento (/api/v1/models) existem a partir do LM Studio 0.4.";

const TrabalhoDownload = z.looseObject({
  job_id: z.string().nullish(),
  status: z.string(),
  total_size_bytes: z.number().nullish(),
  downloaded_bytes: z.number().nullish(),
  bytes_per_second: z.number().nullish(),
});

const ModelosV1 = z.looseObject({
  models: z.array(z.looseObject({ key: z.string(), loaded_instances: z.array(z.looseObject({ id: z.string() })).nullish() })),
});

const ModelosV0 = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      type: z.string().nullish(),
      publisher: z.string().nullish(),
      arch: z.string().nullish(),
      compatibility_type: z.string().nullish(),
      quantization: z.string().nullish(),
      state: z.string().nullish(),
      max_context_length: z.number().nullish(),
      loaded_context_length: z.number().nullish(),
    }),
  ),
});

/** LM Studio: OpenAI API for chat; its REST API (/api/v0/models) for loaded state, quantization, context. */
export class AdaptadorLmStudio extends AdaptadorOpenAI {
  override async listarModelos(signal?: AbortSignal): Promise<ModeloLLM[]> {
    try {
      const { dados } = await this.http.json("/api/v0/models", { signal });
      return formato(ModelosV0, dados, "/api/v0/models").data.map((m) => ({
        ...modeloSimples(m.id, {
          tipo: m.type ?? null,
          publisher: m.publisher ?? null,
          formato: m.compatibility_type ?? null,
          contexto_carregado: m.loaded_context_length ?? null,
        }),
        familia: m.arch ?? null,
        quantizacao: m.quantization ?? null,
        contexto_max: m.max_context_length ?? null,
        carregado: m.state ? m.state === "loaded" : null,
      }));
    } catch (e) {
      // Before 0.3.6 there is no /api/v0 (LM Studio answers 200 {"error": "Unexpected endpoint…"}):
      // fall back to the OpenAI list. Down, slow, cancelled or rejected key: the fallback would say the same.
      if (e instanceof ErroApp && e.codigo === "provedor_erro") return super.listarModelos(signal);
      throw e;
    }
  }

  /** /api/v0/models says which models are loaded; before 0.3.6, the OpenAI list only proves it serves. */
  override async verificar(signal?: AbortSignal): Promise<Verificacao> {
    try {
      const { dados } = await this.http.json("/api/v0/models", { signal });
      const lista = formato(ModelosV0, dados, "/api/v0/models").data;
      return { carregando: false, carregados: lista.filter((m) => m.state === "loaded").map((m) => m.id) };
    } catch (e) {
      if (e instanceof ErroApp && e.codigo === "provedor_erro") return super.verificar(signal);
      throw e;
    }
  }

  override acoesModelos(): AcoesModelos {
    return {
      baixar: true,
      cancelar_download: false,
      carregar: true,
      descarregar: true,
      excluir: false,
      motivo: `Excluir: ${NAO_EXCLUI} Cancelar um download: ${SEM_CANCELAR}`,
    };
  }

  /** LM Studio 0.4+: answers once the model is loaded. */
  override async carregarModelo(modelo: string, opcoes: OpcoesCarregar, signal?: AbortSignal): Promise<void> {
    const corpo = { model: modelo, ...(opcoes.contexto ? { context_length: opcoes.contexto } : {}) };
    await this.gerenciar("carregar", () => this.http.json("/api/v1/models/load", { corpo, signal }));
  }

  /** Unloads every loaded instance of the model (unload takes instance ids, not model keys). */
  override async descarregarModelo(modelo: string, signal?: AbortSignal): Promise<void> {
    const { dados } = await this.gerenciar("descarregar", () => this.http.json("/api/v1/models", { signal }));
    const encontrado = formato(ModelosV1, dados, "/api/v1/models").models.find((m) => m.key === modelo);
    if (!encontrado) throw new ErroApp("modelo_nao_encontrado", `O servidor não tem o modelo "${modelo}". Atualize a lista de modelos.`);
    for (const instancia of encontrado.loaded_instances ?? []) {
      await this.http.json("/api/v1/models/unload", { corpo: { instance_id: instancia.id }, signal });
    }
  }

  override async excluirModelo(): Promise<void> {
    throw acaoNaoSuportada("excluir", NAO_EXCLUI);
  }

  /** A download job on the server, followed by polling its status (LM Studio 0.4+). */
  override async *baixarModelo(modelo: string, signal: AbortSignal): AsyncGenerator<ProgressoDownload> {
    const { dados } = await this.gerenciar("baixar", () => this.http.json("/api/v1/models/download", { corpo: { model: modelo }, signal }));
    let trabalho = formato(TrabalhoDownload, dados, "/api/v1/models/download");
    const jobId = trabalho.job_id;
    for (;;) {
      if (trabalho.status === "completed" || trabalho.status === "already_downloaded") return;
      if (trabalho.status === "failed") throw new ErroApp("provedor_erro", `O LM Studio não conseguiu baixar "${modelo}".`);
      yield {
        status: trabalho.status,
        total_bytes: trabalho.total_size_bytes ?? null,
        baixados_bytes: trabalho.downloaded_bytes ?? null,
        velocidade_bps: trabalho.bytes_per_second ?? null,
      };
      if (!jobId) throw new ErroApp("provedor_erro", "O LM Studio não informou o id do download para acompanhá-lo.");
      await esperar(INTERVALO_DOWNLOAD_MS, signal);
      const atual = await this.http.json(`/api/v1/models/download/status/${encodeURIComponent(jobId)}`, { signal });
      trabalho = { total_size_bytes: trabalho.total_size_bytes, ...formato(TrabalhoDownload, atual.dados, "o status do download") };
    }
  }

  /** Before 0.4 these routes answer 200 {"error": "Unexpected endpoint…"}: say which version is needed. */
  private async gerenciar<T>(acao: "baixar" | "carregar" | "descarregar", chamada: () => Promise<T>): Promise<T> {
    try {
      return await chamada();
    } catch (e) {
      if (e instanceof ErroApp && /unexpected endpoint/i.test(e.message)) throw acaoNaoSuportada(acao, REQUER_04);
      throw e;
    }
  }
}
