import { z } from "zod";
import { ErroApp } from "../errors";
import type { ModeloLLM } from "../schemas/llm";
import { AdaptadorOpenAI, formato, modeloSimples } from "./openai-compativel";
import type { InfoServidor } from "./tipos";

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

  protected override modeloDeV1(m: { id: string } & Record<string, unknown>): ModeloLLM {
    const meta = Meta.safeParse(m.meta).data;
    const status = (m.status as { value?: unknown } | undefined)?.value;
    return {
      ...modeloSimples(m.id, { owned_by: m.owned_by ?? null, aliases: m.aliases ?? null, meta: m.meta ?? null }),
      tamanho_bytes: meta?.size ?? null,
      parametros: parametrosLegiveis(meta?.n_params),
      quantizacao: meta?.ftype ?? null,
      contexto_max: meta?.n_ctx ?? null,
      // Without router mode a llama-server serves exactly the model it lists.
      carregado: typeof status === "string" ? status === "loaded" : true,
    };
  }

  protected override velocidadeDoServidor(dados: Record<string, unknown>): number | null {
    return Timings.safeParse(dados.timings).data?.predicted_per_second ?? null;
  }
}
