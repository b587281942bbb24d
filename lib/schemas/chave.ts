import { problemaDoGlob } from "./glob-de-modelo";
import { PORTAS } from "./llm";
import { z } from "./zod-pt";

// The contract of access keys (REST /api/chaves): field names as programs that manage keys send and read them.

const INVISIVEL_OU_CONTROLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

const nome = z
  .string({ error: "Informe o nome da chave." })
  .normalize("NFC")
  .trim()
  .min(1, "Informe o nome da chave.")
  .max(100, "O nome pode ter até 100 caracteres.")
  .refine((v) => !INVISIVEL_OU_CONTROLE.test(v), "O nome tem um caractere de controle ou invisível: apague-o e digite o nome de novo.");

const descricao = z
  .string({ error: "A descrição deve ser um texto." })
  .trim()
  .max(1000, "A descrição pode ter até 1000 caracteres.")
  .nullish()
  .transform((v) => (v ? v : v === undefined ? undefined : null));

/** A scope list: null = all; an empty list would allow nothing, so it is refused (use `null` for all). */
const lista = <T extends z.ZodType>(item: T, rotulo: string) =>
  z
    .array(item, { error: `${rotulo} deve ser uma lista, ou null para todos.` })
    .min(1, `${rotulo}: envie ao menos um item, ou null para todos.`)
    .max(200, `${rotulo}: no máximo 200 itens.`)
    .transform((itens) => [...new Set(itens)] as z.output<T>[])
    .nullable();

const idProvedor = z
  .number({ error: "Cada provedor é um id inteiro positivo." })
  .int("Cada provedor é um id inteiro positivo.")
  .positive("Cada provedor é um id inteiro positivo.")
  .max(Number.MAX_SAFE_INTEGER, "Cada provedor é um id inteiro positivo.");

const padraoDeModelo = z.string({ error: "Cada modelo é um id ou um padrão com *, como llama3*." }).superRefine((valor, ctx) => {
  const problema = problemaDoGlob(valor);
  if (problema) ctx.addIssue({ code: "custom", message: problema });
});

const porta = z.enum(PORTAS, { error: `Porta desconhecida: use ${PORTAS.join(", ")}.` });

const limite = (rotulo: string) =>
  z
    .number({ error: `${rotulo} deve ser um número inteiro, ou null para sem limite.` })
    .int(`${rotulo} deve ser um número inteiro.`)
    .min(1, `${rotulo} deve ser pelo menos 1 (null: sem limite).`)
    .max(1_000_000_000_000, `${rotulo} pode ser no máximo 1.000.000.000.000.`)
    .nullable();

/** ISO 8601 (a date, or a date and time with its offset) in the future, or null for never. */
const expiraEm = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "expira_em deve ser uma data ISO 8601 (2027-01-31 ou 2027-01-31T12:00:00Z), ou null.",
  })
  .transform((v) => new Date(v))
  .refine((d) => d.getTime() > Date.now(), "expira_em já passou: informe uma data futura, ou null para não expirar.")
  .nullable();

const ativa = z.boolean({ error: "ativa deve ser true ou false." });

/** Among requests waiting in a provider's queue for the same model, a higher one goes first. */
const prioridade = z
  .number({ error: "A prioridade deve ser um número inteiro de -10 a 10." })
  .int("A prioridade deve ser um número inteiro de -10 a 10.")
  .min(-10, "A prioridade mínima é -10.")
  .max(10, "A prioridade máxima é 10.")
  .meta({
    description: "De -10 a 10 (padrão 0): entre as requisições que esperam na fila de um provedor pelo mesmo modelo, a de maior vai antes.",
  });

const campos = {
  nome,
  descricao,
  provedores: lista(idProvedor, "provedores"),
  modelos: lista(padraoDeModelo, "modelos"),
  portas: lista(porta, "portas"),
  limite_rpm: limite("limite_rpm"),
  limite_tpm: limite("limite_tpm"),
  limite_concorrencia: limite("limite_concorrencia"),
  orcamento_tokens_dia: limite("orcamento_tokens_dia"),
  orcamento_tokens_mes: limite("orcamento_tokens_mes"),
  expira_em: expiraEm,
  ativa,
  prioridade,
};

/** Body of POST /api/chaves: only `nome` is required; scope null (all) and no limits by default. */
export const ChaveAcessoCriar = z.object({
  ...campos,
  provedores: campos.provedores.default(null),
  modelos: campos.modelos.default(null),
  portas: campos.portas.default(null),
  limite_rpm: campos.limite_rpm.default(null),
  limite_tpm: campos.limite_tpm.default(null),
  limite_concorrencia: campos.limite_concorrencia.default(null),
  orcamento_tokens_dia: campos.orcamento_tokens_dia.default(null),
  orcamento_tokens_mes: campos.orcamento_tokens_mes.default(null),
  expira_em: campos.expira_em.default(null),
  ativa: ativa.default(true),
  prioridade: prioridade.default(0),
});
export type ChaveAcessoCriar = z.infer<typeof ChaveAcessoCriar>;

/** Body of PUT /api/chaves/{id}: every field optional (omitted keeps its value); the secret never changes. */
export const ChaveAcessoAtualizar = z
  .object({
    ...campos,
    nome: nome.optional(),
    provedores: campos.provedores.optional(),
    modelos: campos.modelos.optional(),
    portas: campos.portas.optional(),
    limite_rpm: campos.limite_rpm.optional(),
    limite_tpm: campos.limite_tpm.optional(),
    limite_concorrencia: campos.limite_concorrencia.optional(),
    orcamento_tokens_dia: campos.orcamento_tokens_dia.optional(),
    orcamento_tokens_mes: campos.orcamento_tokens_mes.optional(),
    expira_em: campos.expira_em.optional(),
    ativa: ativa.optional(),
    prioridade: prioridade.optional(),
  })
  .refine((dados) => Object.values(dados).some((v) => v !== undefined), { message: "Envie ao menos um campo para atualizar." });
export type ChaveAcessoAtualizar = z.infer<typeof ChaveAcessoAtualizar>;

/** A key as every answer gives it: never the secret nor its hash. */
export const ChaveAcesso = z.object({
  id: z.number().int(),
  nome: z.string(),
  descricao: z.string().nullable(),
  prefixo: z.string().meta({ description: "Os 8 primeiros caracteres depois de pllm_, para reconhecer a chave." }),
  provedores: z.array(z.number().int()).nullable().meta({ description: "Ids dos provedores; null: todos." }),
  modelos: z.array(z.string()).nullable().meta({ description: "Ids e padrões com *; null: todos." }),
  portas: z.array(z.enum(PORTAS)).nullable().meta({ description: "Portas permitidas; null: todas." }),
  limite_rpm: z.number().int().nullable(),
  limite_tpm: z.number().int().nullable(),
  limite_concorrencia: z.number().int().nullable(),
  orcamento_tokens_dia: z.number().int().nullable(),
  orcamento_tokens_mes: z.number().int().nullable(),
  expira_em: z.date().nullable(),
  ativa: z.boolean(),
  prioridade: z.number().int().meta({
    description:
      "De -10 a 10 (padrão 0): entre as requisições que esperam na fila de um provedor pelo mesmo modelo, a de maior prioridade vai antes.",
  }),
  criada_em: z.date(),
  ultimo_uso_em: z.date().nullable(),
  revogada_em: z.date().nullable(),
});
export type ChaveAcesso = z.infer<typeof ChaveAcesso>;

/** The creation's answer: the key plus its secret, shown this once. */
export const ChaveAcessoCriada = ChaveAcesso.extend({
  chave: z.string().meta({ description: "O segredo (pllm_…): só nesta resposta; guarde-o." }),
});
export type ChaveAcessoCriada = z.infer<typeof ChaveAcessoCriada>;

/** Path id: a positive integer. */
export const IdChave = z.coerce
  .number({ error: "O id deve ser um número inteiro positivo." })
  .int("O id deve ser um número inteiro positivo.")
  .positive("O id deve ser um número inteiro positivo.")
  .max(Number.MAX_SAFE_INTEGER, "O id deve ser um número inteiro positivo.");
