import { z } from "./zod-pt";

// OpenAI's Responses body (POST /v1/responses), checked where the app must read it: to pass it through to a
// server that has the route, or to translate it to chat for one that does not. Fields it does not read
// (metadata, user, store, reasoning, truncation…) pass through to a native server untouched.

const texto = (campo: string) => z.string({ error: `${campo} deve ser um texto.` });

/** A content part of an input message: text (the caller's or a previous answer's) or an image by URL. */
const ParteDeEntrada = z.discriminatedUnion(
  "type",
  [
    z.looseObject({ type: z.literal("input_text"), text: texto("text") }),
    z.looseObject({ type: z.literal("output_text"), text: texto("text") }),
    z.looseObject({ type: z.literal("refusal"), refusal: texto("refusal") }),
    z.looseObject({
      type: z.literal("input_image"),
      image_url: z.string({
        error: "input_image precisa de image_url (uma URL ou data:image/…;base64,…); file_id exige arquivos guardados, que o app não tem.",
      }),
      detail: z.string().optional(),
    }),
  ],
  { error: "Cada parte de content deve ser input_text, output_text ou input_image." },
);

const MensagemDeEntrada = z.looseObject({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"], { error: "role deve ser user, assistant, system ou developer." }),
  content: z.union([z.string(), z.array(ParteDeEntrada)], { error: "content deve ser um texto ou uma lista de partes." }),
});

const ChamadaDeFuncao = z.looseObject({
  type: z.literal("function_call"),
  call_id: texto("call_id").min(1, "call_id não pode ser vazio."),
  name: texto("name").min(1, "name não pode ser vazio."),
  arguments: texto("arguments"),
});

const SaidaDeFuncao = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: texto("call_id").min(1, "call_id não pode ser vazio."),
  output: z.union([z.string(), z.array(ParteDeEntrada)], { error: "output deve ser um texto ou uma lista de partes." }),
});

/**
 * A previous answer's reasoning, which agents send back with the conversation: passed through to a native
 * server, left out of a translation (chat has no place for it; the model reasons afresh).
 */
const Raciocinio = z.looseObject({ type: z.literal("reasoning") });

/** What a translated request can carry of a conversation: messages, and the function calls and their results. */
export const ItemDeEntrada = z.union([MensagemDeEntrada, ChamadaDeFuncao, SaidaDeFuncao, Raciocinio], {
  error:
    "Cada item de input deve ser uma mensagem {role, content}, um function_call ou um function_call_output (itens guardados, como item_reference, não existem aqui).",
});

/** Only function tools: the built-in ones (web_search, file_search, computer…) run on OpenAI's side, not on a local server. */
const FerramentaDeFuncao = z.looseObject(
  {
    type: z.literal("function", {
      error: "Só ferramentas do tipo function são aceitas (web_search, file_search e as outras embutidas não existem num servidor local).",
    }),
    name: texto("name").min(1, "name não pode ser vazio."),
    description: texto("description").nullish(),
    parameters: z.record(z.string(), z.unknown(), { error: "parameters deve ser um objeto JSON Schema." }).nullish(),
    strict: z.boolean({ error: "strict deve ser true ou false." }).nullish(),
  },
  { error: 'Cada ferramenta deve ser {type: "function", name, parameters}.' },
);

const EscolhaDeFerramenta = z.union(
  [z.enum(["auto", "none", "required"]), z.looseObject({ type: z.literal("function"), name: texto("name") })],
  { error: 'tool_choice deve ser "auto", "none", "required" ou {type: "function", name}.' },
);

const FormatoDoTexto = z.discriminatedUnion(
  "type",
  [
    z.looseObject({ type: z.literal("text") }),
    z.looseObject({ type: z.literal("json_object") }),
    z.looseObject({
      type: z.literal("json_schema"),
      name: texto("name").min(1, "name não pode ser vazio."),
      schema: z.record(z.string(), z.unknown(), { error: "schema deve ser um objeto JSON Schema." }),
      description: texto("description").nullish(),
      strict: z.boolean({ error: "strict deve ser true ou false." }).nullish(),
    }),
  ],
  { error: 'text.format.type deve ser "text", "json_object" ou "json_schema".' },
);

const ItensDeEntrada = z.array(ItemDeEntrada);

/**
 * The index of the first function_call_output whose call_id no earlier function_call carries (null: none).
 * OpenAI refuses such an output (400 "No tool call found for function call output"), and so do chat templates.
 */
function saidaSemChamada(itens: readonly ItemDeEntrada[]): number | null {
  const chamadas = new Set<string>();
  for (const [i, item] of itens.entries()) {
    if (item.type === "function_call") chamadas.add(item.call_id);
    else if (item.type === "function_call_output" && !chamadas.has(item.call_id)) return i;
  }
  return null;
}

/**
 * A string, or a list of items. Checked in two steps so that a bad item is named by its own message: a union of
 * the two would report only that neither matched.
 */
const Entrada = z
  .union([z.string(), z.array(z.unknown()).min(1, "Envie ao menos um item em input.")], {
    error: "input deve ser um texto ou uma lista de itens.",
  })
  .transform((valor, ctx): string | ItemDeEntrada[] => {
    if (typeof valor === "string") return valor;
    const itens = ItensDeEntrada.safeParse(valor);
    if (itens.success) {
      const orfa = saidaSemChamada(itens.data);
      if (orfa === null) return itens.data;
      const call_id = (itens.data[orfa] as { call_id: string }).call_id;
      ctx.addIssue({
        code: "custom",
        message: `function_call_output com call_id "${call_id}" não tem um function_call com esse call_id antes dele em input. Envie a conversa inteira: o app não guarda respostas.`,
        path: [orfa, "call_id"],
      });
      return z.NEVER;
    }
    for (const issue of itens.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });

const SEM_ESTADO =
  "não é aceito: o app não guarda respostas. Envie a conversa inteira em input (as mensagens anteriores e os itens function_call/function_call_output).";

export const CorpoResponses = z.looseObject(
  {
    model: z
      .string({ error: "model deve ser o id de um modelo (veja GET /v1/models)." })
      .trim()
      .min(1, "model não pode ser vazio.")
      .max(500, "model pode ter até 500 caracteres."),
    input: Entrada,
    instructions: z.string({ error: "instructions deve ser um texto." }).nullish(),
    tools: z.array(FerramentaDeFuncao, { error: "tools deve ser uma lista de ferramentas." }).nullish(),
    tool_choice: EscolhaDeFerramenta.nullish(),
    parallel_tool_calls: z.boolean({ error: "parallel_tool_calls deve ser true ou false." }).nullish(),
    max_output_tokens: z
      .int({ error: "max_output_tokens deve ser um número inteiro." })
      .positive("max_output_tokens deve ser maior que zero.")
      .nullish(),
    temperature: z
      .number({ error: "temperature deve ser um número." })
      .min(0, "temperature vai de 0 a 2.")
      .max(2, "temperature vai de 0 a 2.")
      .nullish(),
    top_p: z.number({ error: "top_p deve ser um número." }).min(0, "top_p vai de 0 a 1.").max(1, "top_p vai de 0 a 1.").nullish(),
    stream: z.boolean({ error: "stream deve ser true ou false." }).nullish(),
    text: z.looseObject({ format: FormatoDoTexto.optional() }, { error: "text deve ser um objeto {format}." }).nullish(),
    // `store` defaults to true in OpenAI's API, so SDKs and tools send it: accepted, and nothing is stored.
    store: z.boolean({ error: "store deve ser true ou false." }).nullish(),
    // Stored state, which the app does not keep: refused rather than silently answered without the context.
    previous_response_id: z.null({ error: `previous_response_id ${SEM_ESTADO}` }).optional(),
    conversation: z.null({ error: `conversation ${SEM_ESTADO}` }).optional(),
    background: z
      .literal(false, { error: "background: true não é aceito: o app não guarda respostas para buscar depois. Use stream: true." })
      .nullish(),
  },
  { error: "O corpo deve ser um objeto JSON {model, input, …}." },
);

export type CorpoResponses = z.infer<typeof CorpoResponses>;
export type ItemDeEntrada = z.infer<typeof ItemDeEntrada>;
export type ParteDeEntrada = z.infer<typeof ParteDeEntrada>;
