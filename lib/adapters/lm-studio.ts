import { z } from "zod";
import { ErroApp } from "../errors";
import type { ModeloLLM } from "../schemas/llm";
import { type AcoesModelos, acaoNaoSuportada, type OpcoesCarregar } from "./acoes-modelos";
import { AdaptadorOpenAI, formato, modeloSimples } from "./openai-compativel";

const NAO_EXCLUI = "o LM Studio não tem API para apagar modelos; apague pelo aplicativo (Meus modelos).";
const REQUER_04 = "as rotas de gerenciamento (/api/v1/models) existem a partir do LM Studio 0.4.";

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

  override acoesModelos(): AcoesModelos {
    return { baixar: true, carregar: true, descarregar: true, excluir: false, motivo: `Excluir: ${NAO_EXCLUI}` };
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

  /** Before 0.4 these routes answer 200 {"error": "Unexpected endpoint…"}: say which version is needed. */
  private async gerenciar<T>(acao: "carregar" | "descarregar", chamada: () => Promise<T>): Promise<T> {
    try {
      return await chamada();
    } catch (e) {
      if (e instanceof ErroApp && /unexpected endpoint/i.test(e.message)) throw acaoNaoSuportada(acao, REQUER_04);
      throw e;
    }
  }
}
