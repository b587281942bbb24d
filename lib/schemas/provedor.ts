import { normalizarBaseUrl } from "./base-url";
import { SequenciaDeParada } from "./parada";
import { STATUS_PROVEDOR, TIPOS_PROVEDOR } from "./tipo-e-status";
import { z } from "./zod-pt";

export const TipoProvedor = z.enum(TIPOS_PROVEDOR, {
  error: "Tipo inválido: use lm_studio, llama_cpp, ollama ou openai_compativel.",
});
export type TipoProvedor = z.infer<typeof TipoProvedor>;

export const StatusProvedor = z.enum(STATUS_PROVEDOR);

export const ConfiguracaoProvedor = z.object({
  temperatura: z
    .number({ error: "A temperatura deve ser um número." })
    .min(0, "A temperatura mínima é 0.")
    .max(2, "A temperatura máxima é 2.")
    .optional(),
  max_tokens: z
    .number({ error: "max_tokens deve ser um número inteiro." })
    .int("max_tokens deve ser um número inteiro.")
    .min(1, "max_tokens deve ser pelo menos 1.")
    .max(1_000_000, "max_tokens pode ser no máximo 1.000.000.")
    .optional(),
  top_p: z.number({ error: "top_p deve ser um número." }).min(0, "top_p mínimo é 0.").max(1, "top_p máximo é 1.").optional(),
  stop: z
    .array(SequenciaDeParada.max(100, "Cada sequência de parada pode ter até 100 caracteres."))
    .max(8, "No máximo 8 sequências de parada.")
    .optional(),
  seed: z.number({ error: "seed deve ser um número inteiro." }).int("seed deve ser um número inteiro.").optional(),
});
export type ConfiguracaoProvedor = z.infer<typeof ConfiguracaoProvedor>;

/**
 * Controls (NUL among them: the database would cut the name there) and invisible format characters (U+200B,
 * bidi marks), but for the zero-width non-joiner and joiner that Persian words and emoji sequences need.
 */
const INVISIVEL_OU_CONTROLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

// NFC, so one name is stored one way whatever keyboard or system typed it; compared by lib/provedores/nome.ts.
const nome = z
  .string({ error: "Informe o nome do provedor." })
  .normalize("NFC")
  .trim()
  .min(1, "Informe o nome do provedor.")
  .max(100, "O nome pode ter até 100 caracteres.")
  .superRefine((valor, ctx) => {
    const achado = INVISIVEL_OU_CONTROLE.exec(valor)?.[0];
    if (achado === undefined) return;
    const codigo = `U+${achado.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    ctx.addIssue({
      code: "custom",
      message: `O nome tem um caractere de controle ou invisível (${codigo}): apague-o e digite o nome de novo.`,
    });
  });

const baseUrl = z
  .string({ error: "A URL deve ser um texto, como http://localhost:1234." })
  .max(2048, "A URL pode ter até 2048 caracteres.")
  .transform((valor, ctx) => {
    if (!valor.trim()) return undefined; // empty means "the type's default" on create
    const r = normalizarBaseUrl(valor);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.mensagem });
      return z.NEVER;
    }
    return r.url;
  });

/** Optional text where "" and null both mean "nothing". */
const textoOpcional = (max: number, rotulo: string) =>
  z
    .string({ error: `${rotulo} deve ser um texto.` })
    .trim()
    .max(max, `${rotulo} pode ter até ${max} caracteres.`)
    .nullish()
    .transform((v) => (v ? v : v === undefined ? undefined : null));

const timeoutSegundos = z
  .number({ error: "O timeout deve ser um número inteiro de segundos." })
  .int("O timeout deve ser um número inteiro de segundos.")
  .min(1, "O timeout mínimo é 1 segundo.")
  .max(600, "O timeout máximo é 600 segundos (10 minutos).");

const intervaloVerificacao = z
  .number({ error: "O intervalo de verificação deve ser um número inteiro de segundos." })
  .int("O intervalo de verificação deve ser um número inteiro de segundos.")
  .min(5, "O intervalo de verificação mínimo é 5 segundos.")
  .max(3600, "O intervalo de verificação máximo é 3600 segundos (1 hora).");

const apiKey = z
  .string({ error: "A API key deve ser um texto." })
  .trim()
  .max(4096, "A API key pode ter até 4096 caracteres.")
  .nullish()
  // "" and null both clear the key; undefined keeps it.
  .transform((v) => (v ? v : v === undefined ? undefined : null));

const maxConcorrencia = z
  .number({ error: "A concorrência máxima deve ser um número inteiro de 0 a 1024, ou vazio (null) para automático." })
  .int("A concorrência máxima deve ser um número inteiro.")
  .min(0, "A concorrência máxima mínima é 0 (sem limite).")
  .max(1024, "A concorrência máxima pode ser no máximo 1024.")
  .nullable()
  .meta({
    description:
      "Quantas requisições o servidor atende ao mesmo tempo; as demais esperam na fila. null: automático (o que o servidor informa, senão o padrão do tipo); 0: sem limite.",
  });

const filaMax = z
  .number({ error: "O tamanho máximo da fila deve ser um número inteiro de 0 a 10000." })
  .int("O tamanho máximo da fila deve ser um número inteiro.")
  .min(0, "O tamanho máximo da fila mínimo é 0 (sem espera: ocupado responde na hora).")
  .max(10_000, "O tamanho máximo da fila pode ser no máximo 10000.")
  .meta({
    description:
      "Quantas requisições podem esperar na fila deste provedor (padrão 64); 0: nenhuma espera, o servidor cheio responde ocupado na hora.",
  });

const filaEsperaSegundos = z
  .number({ error: "A espera máxima na fila deve ser um número inteiro de segundos, de 1 a 3600." })
  .int("A espera máxima na fila deve ser um número inteiro de segundos.")
  .min(1, "A espera máxima na fila mínima é 1 segundo.")
  .max(3600, "A espera máxima na fila pode ser no máximo 3600 segundos (1 hora).")
  .meta({ description: "Quanto tempo, em segundos, uma requisição pode esperar na fila (padrão 60); não conta no timeout." });

const camposProvedor = {
  nome,
  tipo: TipoProvedor,
  base_url: baseUrl.optional(),
  descricao: textoOpcional(1000, "A descrição"),
  api_key: apiKey,
  ativo: z.boolean({ error: "ativo deve ser true ou false." }),
  timeout_segundos: timeoutSegundos,
  intervalo_verificacao_segundos: intervaloVerificacao,
  configuracao: ConfiguracaoProvedor,
  modelo_padrao: textoOpcional(200, "O modelo padrão"),
  max_concorrencia: maxConcorrencia,
  fila_max: filaMax,
  fila_espera_segundos: filaEsperaSegundos,
};

/** Body of POST /api/provedores-llm and of the "novo" form. */
export const ProvedorLLMCriar = z
  .object({
    ...camposProvedor,
    ativo: camposProvedor.ativo.default(true),
    timeout_segundos: timeoutSegundos.default(60),
    intervalo_verificacao_segundos: intervaloVerificacao.default(30),
    configuracao: ConfiguracaoProvedor.default({}),
    max_concorrencia: maxConcorrencia.default(null),
    fila_max: filaMax.default(64),
    fila_espera_segundos: filaEsperaSegundos.default(60),
  })
  .superRefine((dados, ctx) => {
    if (dados.tipo === "openai_compativel" && !dados.base_url) {
      ctx.addIssue({
        code: "custom",
        path: ["base_url"],
        message: "Informe a URL: um servidor OpenAI-compatível não tem endereço padrão.",
      });
    }
  });
export type ProvedorLLMCriar = z.infer<typeof ProvedorLLMCriar>;
export type ProvedorLLMCriarEntrada = z.input<typeof ProvedorLLMCriar>;

/** Body of PUT /api/provedores-llm/{id}: every field optional; api_key omitted keeps it. */
export const ProvedorLLMAtualizar = z
  .object({
    ...camposProvedor,
    nome: nome.optional(),
    tipo: TipoProvedor.optional(),
    ativo: camposProvedor.ativo.optional(),
    timeout_segundos: timeoutSegundos.optional(),
    intervalo_verificacao_segundos: intervaloVerificacao.optional(),
    configuracao: ConfiguracaoProvedor.optional(),
    max_concorrencia: maxConcorrencia.optional(),
    fila_max: filaMax.optional(),
    fila_espera_segundos: filaEsperaSegundos.optional(),
  })
  .refine((dados) => Object.values(dados).some((v) => v !== undefined), {
    message: "Envie ao menos um campo para atualizar.",
  });
export type ProvedorLLMAtualizar = z.infer<typeof ProvedorLLMAtualizar>;
export type ProvedorLLMAtualizarEntrada = z.input<typeof ProvedorLLMAtualizar>;

/** A provider as the API returns it: every column but api_key, plus api_key_configurada. */
export const ProvedorLLM = z.object({
  id: z.number().int(),
  nome: z.string(),
  /** Prefix of this provider's pinned /v1 ids (`<slug>/<model>`): chosen at creation, kept on rename. */
  slug: z.string(),
  tipo: TipoProvedor,
  base_url: z.string(),
  descricao: z.string().nullable(),
  ativo: z.boolean(),
  timeout_segundos: z.number().int(),
  intervalo_verificacao_segundos: z.number().int(),
  falhas_seguidas: z.number().int(),
  configuracao: ConfiguracaoProvedor,
  modelo_padrao: z.string().nullable(),
  status: StatusProvedor,
  ultimo_teste_em: z.date().nullable(),
  ultima_latencia_ms: z.number().nullable(),
  modelos_atualizados_em: z.date().nullable(),
  criado_em: z.date(),
  atualizado_em: z.date(),
  api_key_configurada: z.boolean(),
  max_concorrencia: z.number().int().nullable().meta({ description: "O limite definido: null automático, 0 sem limite." }),
  fila_max: z.number().int(),
  fila_espera_segundos: z.number().int(),
  concorrencia_informada: z.number().int().nullable().meta({
    readOnly: true,
    description: "Somente leitura: os slots que o servidor informou (total_slots do llama-server), lidos com a lista de modelos.",
  }),
  modelos_simultaneos_informados: z.number().int().nullable().meta({
    readOnly: true,
    description:
      "Somente leitura: quantos modelos o servidor mantém carregados (max_instances do llama-server em modo roteador; 0: sem limite).",
  }),
  max_concorrencia_efetiva: z.number().int().nullable().meta({
    readOnly: true,
    description:
      "Somente leitura: o limite em vigor (o definido, senão o informado pelo servidor, senão o padrão do tipo); null: sem limite.",
  }),
});
export type ProvedorLLM = z.infer<typeof ProvedorLLM>;

/** Query of GET /api/provedores-llm. */
export const FiltrosProvedores = z.object({
  tipo: TipoProvedor.optional(),
  ativo: z
    .enum(["true", "false"], { error: "O filtro ativo deve ser true ou false." })
    .transform((v) => v === "true")
    .optional(),
  busca: z.string().trim().max(200, "A busca pode ter até 200 caracteres.").optional(),
});
export type FiltrosProvedores = z.infer<typeof FiltrosProvedores>;

/** Path id: a positive integer. */
export const IdProvedor = z.coerce
  .number({ error: "O id deve ser um número inteiro positivo." })
  .int("O id deve ser um número inteiro positivo.")
  .positive("O id deve ser um número inteiro positivo.")
  .max(Number.MAX_SAFE_INTEGER, "O id deve ser um número inteiro positivo.");
