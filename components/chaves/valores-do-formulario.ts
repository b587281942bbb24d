import type { ChaveAcesso } from "@/lib/schemas/chave";

type Modo = "todos" | "alguns";

/** What the key form holds: text as typed, scope lists as checked; `paraCorpo` turns it into the contract's body. */
export type ValoresChave = {
  nome: string;
  descricao: string;
  provedores_modo: Modo;
  provedores: string[];
  modelos_modo: Modo;
  /** The catalogue's models checked, and the other ids or patterns typed (comma-separated, with `*`). */
  modelos: string[];
  modelos_padroes: string;
  portas_modo: Modo;
  portas: string[];
  limite_rpm: string;
  limite_tpm: string;
  limite_concorrencia: string;
  orcamento_tokens_dia: string;
  orcamento_tokens_mes: string;
  /** YYYY-MM-DD from the date input; the key stops at 0:00 of that day, in the browser's time zone. */
  expira_em: string;
  ativa: boolean;
  /** -10..10 as typed; empty is 0. */
  prioridade: string;
};

export const CAMPOS_DE_LIMITE = [
  ["limite_rpm", "Requisições por minuto"],
  ["limite_tpm", "Tokens por minuto"],
  ["limite_concorrencia", "Requisições ao mesmo tempo"],
  ["orcamento_tokens_dia", "Tokens por dia"],
  ["orcamento_tokens_mes", "Tokens por mês"],
] as const;

const doisDigitos = (n: number) => String(n).padStart(2, "0");

/** A date as the date input holds it, in the browser's time zone. */
export const dataDoCampo = (d: Date): string => `${d.getFullYear()}-${doisDigitos(d.getMonth() + 1)}-${doisDigitos(d.getDate())}`;

/** The form's start: empty for a new key (all scope, no limits, active), or the key being edited. */
export function valoresIniciais(c: ChaveAcesso | null, modelosConhecidos: ReadonlySet<string>): ValoresChave {
  const texto = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  const modelos = c?.modelos ?? [];
  return {
    nome: c?.nome ?? "",
    descricao: c?.descricao ?? "",
    provedores_modo: c?.provedores ? "alguns" : "todos",
    provedores: (c?.provedores ?? []).map(String),
    modelos_modo: c?.modelos ? "alguns" : "todos",
    modelos: modelos.filter((m) => modelosConhecidos.has(m)),
    modelos_padroes: modelos.filter((m) => !modelosConhecidos.has(m)).join(", "),
    portas_modo: c?.portas ? "alguns" : "todos",
    portas: c?.portas ?? [],
    limite_rpm: texto(c?.limite_rpm),
    limite_tpm: texto(c?.limite_tpm),
    limite_concorrencia: texto(c?.limite_concorrencia),
    orcamento_tokens_dia: texto(c?.orcamento_tokens_dia),
    orcamento_tokens_mes: texto(c?.orcamento_tokens_mes),
    expira_em: c?.expira_em ? dataDoCampo(c.expira_em) : "",
    ativa: c?.ativa ?? true,
    prioridade: String(c?.prioridade ?? 0),
  };
}

// A group of checkboxes with one box gives a string (or false) instead of a list.
const lista = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);
const numero = (s: string): number | null => (s.trim() === "" ? null : Number(s.trim()));

/** 0:00 of the chosen day in this browser's zone, with its offset (what `expira_em` takes). */
function inicioDoDia(data: string): string {
  const partes = /^(\d{4})-(\d{2})-(\d{2})$/.exec(data);
  if (!partes) return data;
  return new Date(Number(partes[1]), Number(partes[2]) - 1, Number(partes[3])).toISOString();
}

/**
 * The body of POST /api/chaves (or of PUT, given the values the edit started from): "todos" is null, an empty
 * number is no limit. When editing, an expiry left as it was is not sent again: one already past would be refused.
 */
export function paraCorpo(v: ValoresChave, inicial: ValoresChave | null): Record<string, unknown> {
  const padroes = v.modelos_padroes
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const corpo: Record<string, unknown> = {
    nome: v.nome,
    descricao: v.descricao.trim() === "" ? null : v.descricao,
    provedores: v.provedores_modo === "todos" ? null : lista(v.provedores).map(Number),
    modelos: v.modelos_modo === "todos" ? null : [...lista(v.modelos), ...padroes],
    portas: v.portas_modo === "todos" ? null : lista(v.portas),
    expira_em: v.expira_em === "" ? null : inicioDoDia(v.expira_em),
    ativa: v.ativa,
    prioridade: numero(v.prioridade) ?? 0,
  };
  for (const [campo] of CAMPOS_DE_LIMITE) corpo[campo] = numero(v[campo]);
  if (inicial && v.expira_em === inicial.expira_em) delete corpo.expira_em;
  return corpo;
}

/** Where an error of the contract's field shows in the form ("modelos.2" under the models; "_" above the form). */
export const campoDoErro = (caminho: string): string => {
  const campo = caminho.split(".")[0] ?? "";
  return campo === "_" || campo === "" ? "root" : campo;
};

const LISTA_VAZIA: Record<string, string> = {
  provedores: "Marque ao menos um provedor, ou escolha “Todos os provedores”.",
  modelos: "Marque ou digite ao menos um modelo, ou escolha “Todos os modelos”.",
  portas: "Marque ao menos uma porta, ou escolha “Todas as portas”.",
};

/**
 * The contract's message (field names, `null`) in the form's words: a limit is a number or an empty field, a scope
 * list is checked boxes or "all". Any other message (a bad pattern, a name too long) already speaks to a person.
 */
export function mensagemDoFormulario(caminho: string, mensagem: string): string {
  const campo = caminhoDoCampo(caminho);
  if (CAMPOS_DE_LIMITE.some(([c]) => c === campo))
    return "Use um número inteiro de 1 a 1.000.000.000.000, ou deixe vazio para não limitar.";
  if (campo === "prioridade") return "Use um número inteiro de -10 a 10 (0 é o padrão).";
  if (campo in LISTA_VAZIA && caminho === campo && /ao menos um item|deve ser uma lista/.test(mensagem)) return LISTA_VAZIA[campo]!;
  if (campo === "expira_em")
    return /já passou/.test(mensagem)
      ? "Essa data já passou: escolha uma data futura, ou deixe vazio para a chave não expirar."
      : "Escolha uma data válida, ou deixe vazio para a chave não expirar.";
  return mensagem;
}

const caminhoDoCampo = (caminho: string): string => caminho.split(".")[0] ?? "";
