import { ErroApp } from "../../errors";
import { atenderModelo } from "../../gateway/atender";
import { candidatoRecusado } from "../../gateway/tentar";
import { dialetoOpenAI } from "../../gateway/dialetos/openai";
import { dialetoOllama } from "../../gateway/dialetos/ollama";
import { chaveDe, exigirPortaDaLista, foraDoEscopoModelo, pedidoPodeEstarNoEscopo } from "../../chaves/escopo";
import { limitadorDoProcesso, temLimites } from "../../chaves/limites";
import { candidatosPara } from "../../gateway/escolher";
import type { PlanoDeChamada, ServidorDoPlano } from "../../gateway/pedido";
import { listarModelosProvedor } from "../../provedores";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CorpoChatOllama, CorpoEmbeddingsOllama, CorpoEmbedOllama, CorpoGenerateOllama } from "../../schemas/corpos-ollama";
import { validar } from "../../schemas/validar";
import { respostaDoAtendimento } from "../resposta-do-atendimento";
import type { Manipulador, Pedido, Resposta } from "../troca";
import { acharModelo, type ModeloAchado } from "./achar";
import { carregarForaDoOllama } from "./carregar";
import { CABECALHOS_NDJSON, comNome, quadrosNativos, quadrosTraduzidos } from "./quadros";
import { chatParaOpenAI, embeddingsParaOllama, generateParaOpenAI, respostaParaOllama } from "./traduzir";

/** A real Ollama is asked on its own routes; every other type through its OpenAI routes, translated. */
const ehOllama = (servidor: ServidorDoPlano) => servidor.tipo === "ollama";

/** The model as the client named it, the catalogue id the pipeline routes by, and the id a server echoes. */
type Alvo = ModeloAchado & { idNoServidor: string };

/**
 * The model a call names, once the caller may ask for it: a key that does not open this door, or names a model
 * outside its scope, gets its 403 before any lookup (so never a 404 that tells it which models exist, nor a
 * refresh of every provider's list).
 */
async function alvoDe(pedido: Pedido, nome: string): Promise<Alvo> {
  exigirPortaDaLista(pedido.chamador, ["ollama"], "ollama (/api/chat, /api/generate, /api/embed)");
  const chave = chaveDe(pedido.chamador);
  if (chave && !pedidoPodeEstarNoEscopo(chave, nome)) throw foraDoEscopoModelo(chave, nome);
  const achado = await acharModelo(nome, pedido.sinal, chave);
  return { ...achado, idNoServidor: achado.entradas[0]?.modelo ?? achado.id };
}

/** One call through the pipeline, its answer as Ollama's: NDJSON lines, or one JSON object. */
async function chamar(
  pedido: Pedido,
  alvo: Alvo,
  stream: boolean,
  planejar: (servidor: ServidorDoPlano) => PlanoDeChamada,
): Promise<Resposta> {
  return respostaDoAtendimento(await atender(pedido, alvo, stream, planejar), CABECALHOS_NDJSON);
}

function atender(pedido: Pedido, alvo: Alvo, stream: boolean, planejar: (servidor: ServidorDoPlano) => PlanoDeChamada) {
  return atenderModelo({
    porta: "ollama",
    modelo: alvo.id,
    provedorId: null,
    stream,
    entrada: { formato: "passagem", planejar },
    sinal: pedido.sinal,
    recebidoEm: pedido.recebidoEm,
    chamador: pedido.chamador,
    depois: pedido.depois,
  });
}

/** A native whole answer with the client's model name. */
const convertidoNativo = (alvo: Alvo) => (_dados: unknown, texto: string) => comNome(texto, alvo.nome, alvo.idNoServidor);

/**
 * An empty chat or generate (`ollama run`'s preload; `keep_alive: 0` unloads). Where routing puts a real Ollama
 * first, the request itself goes to it through the pipeline (routing, failover, statistics): Ollama applies the
 * client's keep_alive (a `5m` preload stays five minutes) and answers `done_reason: "load"` as one object. Else
 * the other servers' model management does it (lib/portas/ollama/carregar.ts).
 */
async function carregar(
  pedido: Pedido,
  modo: "chat" | "generate",
  alvo: Alvo,
  corpo: Record<string, unknown>,
  manter: string | number | undefined,
): Promise<Resposta> {
  // Unloading takes a model away from everyone using it: server management, the admin's (as /api/pull is).
  const chave = chaveDe(pedido.chamador);
  if (chave && (manter === 0 || manter === "0")) {
    throw new ErroApp(
      "acesso_negado",
      `A chave de acesso "${chave.nome}" não pode descarregar modelos (keep_alive: 0): isso tira o modelo de quem o estiver usando. Peça a quem administra este Provedores LLM, ou omita keep_alive.`,
    );
  }
  const candidatos = await candidatosPara(alvo.id, pedido.sinal, chave);
  if (candidatos[0]?.provedor.tipo !== "ollama") {
    // Not through the pipeline, but a limited key's request all the same: one request and one slot, no tokens.
    if (chave === null || !temLimites(chave)) return carregarForaDoOllama(modo, alvo.nome, candidatos, manter, pedido.sinal);
    const entrada = limitadorDoProcesso().entrar(chave, 0);
    const consumo = entrada instanceof Promise ? await entrada : entrada;
    try {
      return await carregarForaDoOllama(modo, alvo.nome, candidatos, manter, pedido.sinal);
    } finally {
      consumo.encerrar(0);
    }
  }
  const r = await atender(pedido, alvo, false, (servidor) => {
    // Another type has no load route to pass this on to: declined, not a failed attempt of that server.
    if (!ehOllama(servidor)) {
      throw candidatoRecusado(
        "acao_nao_suportada",
        `Nenhum servidor Ollama com "${alvo.nome}" respondeu ao pedido de carregar o modelo; os demais carregam na primeira requisição.`,
      );
    }
    return {
      rota: modo === "chat" ? "/api/chat" : "/api/generate",
      // Ollama answers a load with one JSON object, whatever `stream` says.
      corpo: { ...corpo, stream: false },
      dialeto: dialetoOllama,
      enquadrar: quadrosNativos(alvo.nome, alvo.idNoServidor),
      converter: convertidoNativo(alvo),
    };
  });
  // What is loaded changed: the model list (/api/ps, the provider's page, the next preload) learns it now.
  await listarModelosProvedor(r.provedor.id, true, pedido.sinal).catch(() => null);
  return respostaDoAtendimento(r, CABECALHOS_NDJSON);
}

/**
 * POST /api/chat: passed through to a real Ollama; translated to OpenAI chat for the other types. `stream`
 * defaults to true, as in Ollama. No messages at all is Ollama's way to load (or, with keep_alive 0, unload)
 * a model (see `carregar`).
 */
export const chat: Manipulador = async (pedido) => {
  const corpo = validar(CorpoChatOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const stream = corpo.stream !== false;
  const alvo = await alvoDe(pedido, corpo.model);
  if (!corpo.messages.length) return carregar(pedido, "chat", alvo, corpo, corpo.keep_alive);
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
  const alvo = await alvoDe(pedido, corpo.model);
  if (!corpo.prompt && !corpo.images?.length && corpo.suffix === undefined)
    return carregar(pedido, "generate", alvo, corpo, corpo.keep_alive);
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

/**
 * /api/embed and the legacy /api/embeddings: Ollama's own route on a real Ollama (the legacy one with its
 * `prompt`: Ollama does not normalise those vectors, /api/embed does), /v1/embeddings elsewhere.
 */
function planoDeEmbeddings(alvo: Alvo, entrada: string | string[], legado: boolean, extras: Record<string, unknown>) {
  return (servidor: ServidorDoPlano): PlanoDeChamada => {
    const inicio = performance.now();
    if (ehOllama(servidor)) {
      return {
        rota: legado ? "/api/embeddings" : "/api/embed",
        // Never a stream (a client's stray `stream: true` would make the relay wait for one).
        corpo: { ...extras, [legado ? "prompt" : "input"]: entrada, stream: false },
        dialeto: dialetoOllama,
        enquadrar: quadrosNativos(alvo.nome, alvo.idNoServidor),
        // The legacy answer names no model: passed on as sent.
        ...(legado ? {} : { converter: convertidoNativo(alvo) }),
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
  const alvo = await alvoDe(pedido, model);
  return chamar(pedido, alvo, false, planoDeEmbeddings(alvo, input, false, extras));
};

/** POST /api/embeddings (legacy): one `prompt`, one `embedding`. */
export const embeddings: Manipulador = async (pedido) => {
  const { model, prompt, ...extras } = validar(CorpoEmbeddingsOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const alvo = await alvoDe(pedido, model);
  return chamar(pedido, alvo, false, planoDeEmbeddings(alvo, prompt, true, extras));
};

/** Routes of Ollama's API this app cannot serve over its servers (models are built and shared on the server). */
export const naoImplementada: Manipulador = async (pedido) => {
  throw new ErroApp(
    "nao_implementado",
    `${pedido.metodo} ${pedido.caminho} não é servido por este app: crie, copie e publique modelos no próprio servidor Ollama.`,
  );
};
