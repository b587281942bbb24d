import { ErroApp } from "../../errors";
import { atenderModelo } from "../../gateway/atender";
import { lerCatalogo, type ModeloNoProvedor } from "../../gateway/catalogo";
import { dialetoOpenAI } from "../../gateway/dialetos/openai";
import { dialetoOllama } from "../../gateway/dialetos/ollama";
import type { PlanoDeChamada, ServidorDoPlano } from "../../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CorpoChatOllama, CorpoEmbeddingsOllama, CorpoEmbedOllama, CorpoGenerateOllama } from "../../schemas/corpos-ollama";
import { validar } from "../../schemas/validar";
import { respostaDoAtendimento } from "../resposta-do-atendimento";
import type { Manipulador, Pedido, Resposta } from "../troca";
import { carregarPeloOllama } from "./carregar";
import { idDoCatalogo } from "./nomes";
import { CABECALHOS_NDJSON, comNome, quadrosNativos, quadrosTraduzidos } from "./quadros";
import { chatParaOpenAI, embeddingsParaOllama, generateParaOpenAI, respostaParaOllama } from "./traduzir";

/** A real Ollama is asked on its own routes; every other type through its OpenAI routes, translated. */
const ehOllama = (servidor: ServidorDoPlano) => servidor.tipo === "ollama";

/** The model as the client named it, the catalogue id the pipeline routes by, and the id a server echoes. */
type Alvo = { nome: string; id: string; idNoServidor: string; entradas: ModeloNoProvedor[] };

async function alvoDe(nome: string): Promise<Alvo> {
  const { id, entradas } = idDoCatalogo(await lerCatalogo(), nome);
  return { nome, id, idNoServidor: entradas[0]?.modelo ?? id, entradas };
}

/** One call through the pipeline, its answer as Ollama's: NDJSON lines, or one JSON object. */
async function chamar(
  pedido: Pedido,
  alvo: Alvo,
  stream: boolean,
  planejar: (servidor: ServidorDoPlano) => PlanoDeChamada,
): Promise<Resposta> {
  const r = await atenderModelo({
    porta: "ollama",
    modelo: alvo.id,
    provedorId: null,
    stream,
    entrada: { formato: "passagem", planejar },
    sinal: pedido.sinal,
    recebidoEm: pedido.recebidoEm,
    depois: pedido.depois,
  });
  return respostaDoAtendimento(r, CABECALHOS_NDJSON);
}

/** A native whole answer with the client's model name. */
const convertidoNativo = (alvo: Alvo) => (_dados: unknown, texto: string) => comNome(texto, alvo.nome, alvo.idNoServidor);

/**
 * POST /api/chat: passed through to a real Ollama; translated to OpenAI chat for the other types. `stream`
 * defaults to true, as in Ollama. No messages at all is Ollama's way to load (or, with keep_alive 0, unload)
 * a model: done through the server's model management where it has one.
 */
export const chat: Manipulador = async (pedido) => {
  const corpo = validar(CorpoChatOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const stream = corpo.stream !== false;
  const alvo = await alvoDe(corpo.model);
  if (!corpo.messages.length) return carregarPeloOllama("chat", alvo, corpo.keep_alive, stream, pedido.sinal);
  const pensar = corpo.think !== undefined && corpo.think !== false;
  return chamar(pedido, alvo, stream, (servidor) =>
    ehOllama(servidor)
      ? {
          rota: "/api/chat",
          corpo: { ...corpo, stream },
          dialeto: dialetoOllama,
          enquadrar: quadrosNativos(alvo.nome, alvo.idNoServidor),
          converter: convertidoNativo(alvo),
        }
      : planoTraduzido("chat", alvo, "/v1/chat/completions", chatParaOpenAI(corpo, servidor.tipo, stream), pensar),
  );
};

/** POST /api/generate: like chat; `raw` and `suffix` go to the completions route where translated. */
export const generate: Manipulador = async (pedido) => {
  const corpo = validar(CorpoGenerateOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const stream = corpo.stream !== false;
  const alvo = await alvoDe(corpo.model);
  if (!corpo.prompt && !corpo.images?.length && corpo.suffix === undefined) {
    return carregarPeloOllama("generate", alvo, corpo.keep_alive, stream, pedido.sinal);
  }
  const pensar = corpo.think !== undefined && corpo.think !== false;
  return chamar(pedido, alvo, stream, (servidor) => {
    if (ehOllama(servidor)) {
      return {
        rota: "/api/generate",
        corpo: { ...corpo, stream },
        dialeto: dialetoOllama,
        enquadrar: quadrosNativos(alvo.nome, alvo.idNoServidor),
        converter: convertidoNativo(alvo),
      };
    }
    const { rota, corpo: traduzido } = generateParaOpenAI(corpo, servidor.tipo, stream);
    return planoTraduzido("generate", alvo, rota, traduzido, pensar);
  });
};

/** An Ollama request sent to an OpenAI route, its answer (whole or streamed) turned into Ollama's. */
function planoTraduzido(
  modo: "chat" | "generate",
  alvo: Alvo,
  rota: "/v1/chat/completions" | "/v1/completions",
  corpo: Record<string, unknown>,
  pensar: boolean,
): PlanoDeChamada {
  const inicio = performance.now();
  return {
    rota,
    corpo,
    // The usage chunk the app asks for is the final line's counts: passed to the framer.
    dialeto: dialetoOpenAI(true),
    enquadrar: quadrosTraduzidos(modo, alvo.nome, inicio, pensar),
    converter: (dados) =>
      JSON.stringify(respostaParaOllama(dados, modo, alvo.nome, { inicio, primeiro: null, fim: performance.now() }, pensar)),
  };
}

/** /api/embed and the legacy /api/embeddings: Ollama's own /api/embed on a real Ollama, /v1/embeddings elsewhere. */
function planoDeEmbeddings(alvo: Alvo, entrada: string | string[], legado: boolean, extras: Record<string, unknown>) {
  return (servidor: ServidorDoPlano): PlanoDeChamada => {
    const inicio = performance.now();
    if (ehOllama(servidor)) {
      return {
        rota: "/api/embed",
        // Never a stream (a client's stray `stream: true` would make the relay wait for one).
        corpo: { ...extras, input: entrada, stream: false },
        dialeto: dialetoOllama,
        enquadrar: quadrosNativos(alvo.nome, alvo.idNoServidor),
        converter: legado
          ? (dados) => JSON.stringify({ embedding: (dados as { embeddings?: unknown[] } | null)?.embeddings?.[0] ?? [] })
          : convertidoNativo(alvo),
      };
    }
    const corpo: Record<string, unknown> = { input: entrada, encoding_format: "float" };
    if (typeof extras.dimensions === "number") corpo.dimensions = extras.dimensions;
    return {
      rota: "/v1/embeddings",
      corpo,
      dialeto: dialetoOpenAI(true),
      enquadrar: quadrosNativos(alvo.nome, alvo.idNoServidor),
      converter: (dados) =>
        JSON.stringify(embeddingsParaOllama(dados, legado, alvo.nome, { inicio, primeiro: null, fim: performance.now() })),
    };
  };
}

/** POST /api/embed: a text or a list of texts, their vectors in `embeddings`. */
export const embed: Manipulador = async (pedido) => {
  const { model, input, ...extras } = validar(CorpoEmbedOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const alvo = await alvoDe(model);
  return chamar(pedido, alvo, false, planoDeEmbeddings(alvo, input, false, extras));
};

/** POST /api/embeddings (legacy): one `prompt`, one `embedding`. */
export const embeddings: Manipulador = async (pedido) => {
  const { model, prompt, ...extras } = validar(CorpoEmbeddingsOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const alvo = await alvoDe(model);
  return chamar(pedido, alvo, false, planoDeEmbeddings(alvo, prompt, true, extras));
};

/** Routes of Ollama's API this app cannot serve over its servers (models are built and shared on the server). */
export const naoImplementada: Manipulador = async (pedido) => {
  throw new ErroApp(
    "nao_implementado",
    `${pedido.metodo} ${pedido.caminho} não é servido por este app: crie, copie e publique modelos no próprio servidor Ollama.`,
  );
};
