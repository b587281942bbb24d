import { StatusProvedor, TipoProvedor } from "./provedor";
import { z } from "./zod-pt";

/** What a model can do, where its server says (Ollama's capabilities, LM Studio's type); chat or embeddings otherwise. */
export const CAPACIDADES = ["chat", "embeddings", "visao", "ferramentas"] as const;
export const Capacidade = z.enum(CAPACIDADES, { error: "capacidade deve ser chat, embeddings, visao ou ferramentas." });
export type Capacidade = z.infer<typeof Capacidade>;

/** Query of GET /api/modelos (and of the /modelos page's form). */
export const FiltrosCatalogo = z.object({
  carregado: z
    .enum(["true", "false"], { error: "O filtro carregado deve ser true ou false." })
    .transform((v) => v === "true")
    .optional()
    .describe("true: só os modelos carregados em algum servidor; false: os que não estão carregados em nenhum"),
  tipo: TipoProvedor.optional().describe("Só os modelos que algum servidor desse tipo tem"),
  capacidade: Capacidade.optional(),
  q: z
    .string()
    .trim()
    .max(200, "A busca (q) pode ter até 200 caracteres.")
    .optional()
    .describe("Texto no id, nome, família ou quantização"),
});
export type FiltrosCatalogo = z.infer<typeof FiltrosCatalogo>;

/** Requests, tokens (prompt + answer) and errors in the last 24 hours. */
export const UsoNoCatalogo = z.object({ requisicoes: z.number(), tokens: z.number(), erros: z.number() });
export type UsoNoCatalogo = z.infer<typeof UsoNoCatalogo>;

/** What the server lets the app do with its models (the same as GET /api/provedores-llm/{id}/modelos `acoes`). */
export const AcoesNoServidor = z.object({ carregar: z.boolean(), descarregar: z.boolean(), motivo: z.string().nullable() });

/** One server that has the model. */
export const ServidorDoModelo = z.object({
  provedor_id: z.number(),
  nome: z.string(),
  slug: z.string(),
  tipo: TipoProvedor,
  status: StatusProvedor,
  /** The id this server knows the model by. */
  modelo: z.string(),
  /** null: the server does not say. */
  carregado: z.boolean().nullable(),
  digest: z.string().nullable(),
  /** `<slug>/<modelo>`: the /v1 id that goes to this server only. */
  id_fixo: z.string(),
  acoes: AcoesNoServidor,
  uso_24h: UsoNoCatalogo,
});
export type ServidorDoModelo = z.infer<typeof ServidorDoModelo>;

/** One model of the catalogue: the same model on several servers is one entry. */
export const ModeloDoCatalogo = z.object({
  modelo: z.string(),
  /** The bare /v1 ids (one unless servers list the same digest under different names). */
  ids: z.array(z.string()),
  familia: z.string().nullable(),
  parametros: z.string().nullable(),
  quantizacao: z.string().nullable(),
  tamanho_bytes: z.number().nullable(),
  contexto_max: z.number().nullable(),
  capacidades: z.array(Capacidade),
  /** Whether some server stated them (otherwise chat or embeddings is inferred). */
  capacidades_informadas: z.boolean(),
  carregado: z.boolean(),
  servidores: z.array(ServidorDoModelo),
  uso_24h: UsoNoCatalogo,
});
export type ModeloDoCatalogo = z.infer<typeof ModeloDoCatalogo>;

/** Body of GET /api/modelos. */
export const CatalogoDeModelos = z.object({
  modelos: z.array(ModeloDoCatalogo),
  /** Active servers (0: none registered or all inactive) and how many models they hold before the filters. */
  servidores_ativos: z.number(),
  total_modelos: z.number(),
});
export type CatalogoDeModelos = z.infer<typeof CatalogoDeModelos>;
