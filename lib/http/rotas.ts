import { contarTokens } from "../portas/anthropic/contar-tokens";
import { criarMensagem } from "../portas/anthropic/mensagens";
import { PORTA_ANTHROPIC } from "../portas/anthropic/porta";
import { PORTA_CONTRATO } from "../portas/contrato";
import * as ollama from "../portas/ollama/chamar";
import * as gerenciarOllama from "../portas/ollama/gerenciar";
import * as modelosOllama from "../portas/ollama/modelos";
import { PORTA_OLLAMA } from "../portas/ollama/porta";
import { chamarOpenAI, listarModelos, PORTA_OPENAI } from "../portas/openai";
import { enviarAoProvedor } from "../portas/requisicao";
import { chamarResponses, PORTA_RESPONSES } from "../portas/responses/porta";
import type { Manipulador, Porta } from "../portas/troca";
import * as benchmarks from "./rest/benchmarks";
import * as catalogo from "./rest/catalogo";
import * as chaves from "./rest/chaves";
import * as downloads from "./rest/downloads";
import * as estatisticas from "./rest/estatisticas";
import * as modelos from "./rest/modelos";
import * as monitor from "./rest/monitor";
import * as provedores from "./rest/provedores";
import * as sistema from "./rest/sistema";

export type Metodo = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One way in the app answers outside its pages: a path pattern (`:nome` for one segment), its methods, its door. */
export type EntradaDeRota = {
  padrao: string;
  metodos: Partial<Record<Metodo, Manipulador>>;
  porta: Porta;
  /**
   * A model door: the only entries an access key opens (within its scope). Every other entry (the management
   * REST, /api/chaves, /api/metrics, the OpenAPI document, Ollama's pull and delete, which change a server) is
   * the admin's: a key there is a 403.
   */
  modelo?: true;
};

/**
 * Every HTTP entry outside the pages: the REST contract under /api and the OpenAI-compatible /v1. The same
 * table serves `npm start` (servidor.ts, ahead of Next) and the App Router shells (`next dev`, `next start`,
 * Vercel), through lib/http/despachar.ts. The hot paths come first among the patterns with parameters.
 */
export const ROTAS: readonly EntradaDeRota[] = [
  { padrao: "/api/provedores-llm/:id/requisicao", metodos: { POST: enviarAoProvedor }, porta: PORTA_CONTRATO, modelo: true },
  { padrao: "/v1/chat/completions", metodos: { POST: chamarOpenAI("/v1/chat/completions") }, porta: PORTA_OPENAI, modelo: true },
  { padrao: "/v1/completions", metodos: { POST: chamarOpenAI("/v1/completions") }, porta: PORTA_OPENAI, modelo: true },
  { padrao: "/v1/embeddings", metodos: { POST: chamarOpenAI("/v1/embeddings") }, porta: PORTA_OPENAI, modelo: true },
  { padrao: "/v1/models", metodos: { GET: listarModelos }, porta: PORTA_OPENAI, modelo: true },
  { padrao: "/v1/messages", metodos: { POST: criarMensagem }, porta: PORTA_ANTHROPIC, modelo: true },
  { padrao: "/v1/messages/count_tokens", metodos: { POST: contarTokens }, porta: PORTA_ANTHROPIC, modelo: true },
  { padrao: "/v1/responses", metodos: { POST: chamarResponses }, porta: PORTA_RESPONSES, modelo: true },
  { padrao: "/api/chat", metodos: { POST: ollama.chat }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/generate", metodos: { POST: ollama.generate }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/embed", metodos: { POST: ollama.embed }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/embeddings", metodos: { POST: ollama.embeddings }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/tags", metodos: { GET: modelosOllama.tags }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/ps", metodos: { GET: modelosOllama.ps }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/show", metodos: { POST: modelosOllama.show }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/version", metodos: { GET: modelosOllama.versao }, porta: PORTA_OLLAMA, modelo: true },
  { padrao: "/api/pull", metodos: { POST: gerenciarOllama.pull }, porta: PORTA_OLLAMA },
  { padrao: "/api/delete", metodos: { DELETE: gerenciarOllama.excluir }, porta: PORTA_OLLAMA },
  // Ollama's routes that build or share models on the server itself: Ollama's 501, not the contract's 404.
  { padrao: "/api/create", metodos: { POST: ollama.naoImplementada }, porta: PORTA_OLLAMA },
  { padrao: "/api/copy", metodos: { POST: ollama.naoImplementada }, porta: PORTA_OLLAMA },
  { padrao: "/api/push", metodos: { POST: ollama.naoImplementada }, porta: PORTA_OLLAMA },
  { padrao: "/api/blobs/:digest", metodos: { GET: ollama.naoImplementada, POST: ollama.naoImplementada }, porta: PORTA_OLLAMA },
  // Ollama's probe of the root: only for a client that is not a browser (lib/http/prefixos.ts `sondaDaRaiz`).
  { padrao: "/", metodos: { GET: modelosOllama.estaRodando }, porta: PORTA_OLLAMA, modelo: true },

  { padrao: "/api/provedores-llm", metodos: { GET: provedores.listar, POST: provedores.criar }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/ativos", metodos: { GET: provedores.ativos }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/descobrir", metodos: { GET: provedores.descobrir }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/eventos", metodos: { GET: monitor.eventos }, porta: PORTA_CONTRATO },
  {
    padrao: "/api/provedores-llm/:id",
    metodos: { GET: provedores.obter, PUT: provedores.atualizar, DELETE: provedores.excluir },
    porta: PORTA_CONTRATO,
  },
  { padrao: "/api/provedores-llm/:id/testar", metodos: { POST: provedores.testar }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/:id/disponibilidade", metodos: { GET: provedores.disponibilidade }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/:id/estatisticas", metodos: { GET: estatisticas.resumo }, porta: PORTA_CONTRATO },
  { padrao: "/api/estatisticas", metodos: { GET: estatisticas.gerais }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/:id/requisicoes", metodos: { GET: estatisticas.recentes }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/:id/modelos", metodos: { GET: modelos.listar }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/:id/modelos/carregar", metodos: { POST: modelos.carregar }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/:id/modelos/descarregar", metodos: { POST: modelos.descarregar }, porta: PORTA_CONTRATO },
  { padrao: "/api/provedores-llm/:id/modelos/excluir", metodos: { POST: modelos.excluir }, porta: PORTA_CONTRATO },
  {
    padrao: "/api/provedores-llm/:id/modelos/downloads",
    metodos: { GET: downloads.listar, POST: downloads.iniciar },
    porta: PORTA_CONTRATO,
  },
  {
    padrao: "/api/provedores-llm/:id/modelos/downloads/:downloadId",
    metodos: { GET: downloads.obter, DELETE: downloads.cancelar },
    porta: PORTA_CONTRATO,
  },
  { padrao: "/api/provedores-llm/:id/modelos/downloads/:downloadId/eventos", metodos: { GET: downloads.eventos }, porta: PORTA_CONTRATO },
  { padrao: "/api/modelos", metodos: { GET: catalogo.listar }, porta: PORTA_CONTRATO },
  // Benchmarks (lib/benchmarks): the admin's, like the rest of the management API.
  {
    padrao: "/api/provedores-llm/:id/benchmarks",
    metodos: { GET: benchmarks.listar, POST: benchmarks.iniciar },
    porta: PORTA_CONTRATO,
  },
  {
    padrao: "/api/provedores-llm/:id/benchmarks/:bid",
    metodos: { GET: benchmarks.obter, DELETE: benchmarks.cancelarOuExcluir },
    porta: PORTA_CONTRATO,
  },
  { padrao: "/api/provedores-llm/:id/benchmarks/:bid/eventos", metodos: { GET: benchmarks.eventos }, porta: PORTA_CONTRATO },
  { padrao: "/api/benchmarks", metodos: { GET: benchmarks.comparar }, porta: PORTA_CONTRATO },
  // Access keys (lib/chaves): managed by the admin only.
  { padrao: "/api/chaves", metodos: { GET: chaves.listar, POST: chaves.criar }, porta: PORTA_CONTRATO },
  { padrao: "/api/chaves/:id", metodos: { GET: chaves.obter, PUT: chaves.atualizar, DELETE: chaves.revogar }, porta: PORTA_CONTRATO },
  { padrao: "/api/chaves/:id/estatisticas", metodos: { GET: chaves.estatisticas }, porta: PORTA_CONTRATO },
  { padrao: "/api/metrics", metodos: { GET: sistema.metricas }, porta: PORTA_CONTRATO },
  { padrao: "/api/openapi.json", metodos: { GET: sistema.openapi }, porta: PORTA_CONTRATO },
  { padrao: "/api/cron/verificar", metodos: { GET: monitor.verificar }, porta: PORTA_CONTRATO },
];

/** The door that answers a path under a prefix the table owns but no entry serves (its 404, its gate refusals). */
const PORTAS_POR_PREFIXO: readonly { prefixo: string; porta: Porta; modelo: boolean }[] = [
  { prefixo: "/v1", porta: PORTA_OPENAI, modelo: true },
  { prefixo: "/api", porta: PORTA_CONTRATO, modelo: false },
];

/** An entry made ready for matching once, at load: nothing is compiled per request. */
export type RotaPronta = EntradaDeRota & {
  /** The `Allow` header: the entry's methods, HEAD with GET, and OPTIONS. */
  permitidos: string;
  /** The methods a person would use, for the 405's message. */
  nomesDosMetodos: readonly Metodo[];
  /** The parameters' names, in the order the pattern's groups capture them. */
  nomes: readonly string[];
};

/** `modelo`: the path is a model door's (an access key may pass the gate). */
export type Encontrada =
  | { rota: RotaPronta; valores: RegExpExecArray | null; porta: Porta; modelo: boolean }
  | { rota: null; valores: null; porta: Porta; modelo: boolean };

function preparar(entrada: EntradaDeRota): RotaPronta {
  const nomesDosMetodos = Object.keys(entrada.metodos) as Metodo[];
  const todos = nomesDosMetodos.includes("GET") ? [...nomesDosMetodos, "HEAD", "OPTIONS"] : [...nomesDosMetodos, "OPTIONS"];
  const nomes = [...entrada.padrao.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  return { ...entrada, permitidos: todos.join(", "), nomesDosMetodos, nomes };
}

const estaticas = new Map<string, RotaPronta>();
const comParametros: { expressao: RegExp; rota: RotaPronta }[] = [];
for (const entrada of ROTAS) {
  const rota = preparar(entrada);
  if (rota.nomes.length === 0) estaticas.set(entrada.padrao, rota);
  else comParametros.push({ expressao: new RegExp(`^${entrada.padrao.replace(/\./g, "\\.").replace(/:[A-Za-z]+/g, "([^/]+)")}$`), rota });
}

/**
 * The entry serving `caminho` (no query, still percent-encoded; trailing slashes do not count, as the seed
 * documents `/api/provedores-llm/`), or, for a path the table owns that no entry serves, the door whose 404 it
 * gets. Null for every other path: a page, Next's to serve. A fixed path is one map lookup; a path with an
 * id is tried against the prepared patterns in order.
 */
export function encontrarRota(caminho: string): Encontrada | null {
  let fim = caminho.length;
  while (fim > 1 && caminho.charCodeAt(fim - 1) === 47) fim -= 1;
  const limpo = fim === caminho.length ? caminho : caminho.slice(0, fim);
  const estatica = estaticas.get(limpo);
  if (estatica) return { rota: estatica, valores: null, porta: estatica.porta, modelo: estatica.modelo === true };
  for (const { expressao, rota } of comParametros) {
    const valores = expressao.exec(limpo);
    if (valores) return { rota, valores, porta: rota.porta, modelo: rota.modelo === true };
  }
  for (const { prefixo, porta, modelo } of PORTAS_POR_PREFIXO) {
    if (limpo === prefixo || limpo.startsWith(`${prefixo}/`)) return { rota: null, valores: null, porta, modelo };
  }
  return null;
}
