import { z } from "zod";
import { ErroApp } from "../errors";
import type { ModeloLLM } from "../schemas/llm";
import { AdaptadorOpenAI, formato, modeloSimples } from "./openai-compativel";

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
}
