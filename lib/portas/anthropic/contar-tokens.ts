import { comoErroApp, ErroApp } from "../../errors";
import { atenderModelo } from "../../gateway/atender";
import { candidatoRecusado, ehCandidatoRecusado, fimDoErro } from "../../gateway/tentar";
import { DIALETO_ANTHROPIC } from "../../gateway/dialetos/anthropic";
import type { PedidoModelo, PlanoDeChamada, ServidorDoPlano } from "../../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CorpoContagemAnthropic } from "../../schemas/corpos-anthropic";
import { validar } from "../../schemas/validar";
import { respostaDoAtendimento } from "../resposta-do-atendimento";
import { respostaJson } from "../resposta-json";
import type { Manipulador, Resposta } from "../troca";
import { estimarTokens } from "./estimar-tokens";
import { comModeloPedido } from "./planos";

/** The route a server counts Anthropic tokens on, where it does (a recent llama-server; not Ollama). */
export const ROTA_CONTAGEM = "/v1/messages/count_tokens";

/** The header that says a count is the app's estimate, not the server's (the door's own: Anthropic has none). */
export const CABECALHO_ESTIMATIVA = "x-provedores-llm-estimativa";

/** A count is not a generation: its statistics row carries no tokens (they were not spent). */
const DIALETO_CONTAGEM = { ...DIALETO_ANTHROPIC, usoDoJson: () => ({ prompt: null, resposta: null }) };

/**
 * A candidate without a count of its own is declined (candidatoRecusado: no attempt, no statistics row, no strike);
 * the next one is asked, and when none counts the door estimates.
 */
const semContagem = () =>
  candidatoRecusado("nao_encontrado", `O servidor não tem contagem de tokens própria (${ROTA_CONTAGEM}): a contagem foi estimada.`);

/**
 * What ends the pipeline without a count that says nothing about the request: no candidate counts natively, or
 * every one failed before answering (unreachable, timed out, a 5xx, the breaker open). A server's 4xx, an
 * unknown model (modelo_nao_encontrado), a refused key stay errors.
 */
function estimavel(erro: ErroApp): boolean {
  return ehCandidatoRecusado(erro) || fimDoErro(erro) === "falhou";
}

async function planejarContagem(servidor: ServidorDoPlano, corpo: CorpoContagemAnthropic): Promise<PlanoDeChamada> {
  if (!(await servidor.temRota(ROTA_CONTAGEM))) throw semContagem();
  return {
    rota: ROTA_CONTAGEM,
    corpo,
    dialeto: DIALETO_CONTAGEM,
    enquadrar: () => new Uint8Array(),
    converter: (dados, texto) => comModeloPedido(dados, texto, corpo.model),
  };
}

/**
 * POST /v1/messages/count_tokens, through the pipeline like any call (routed by model, failover, breaker, one
 * statistics row per attempt): the server's own count (the chat template applied) from the first candidate that
 * serves the route; when none does, or none could be asked, an estimate made here (estimarTokens), flagged by
 * CABECALHO_ESTIMATIVA. An unknown model is Anthropic's 404 either way.
 */
export const contarTokens: Manipulador = async (pedido): Promise<Resposta> => {
  const corpo = validar(CorpoContagemAnthropic, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const pedidoModelo: PedidoModelo = {
    porta: "anthropic",
    modelo: corpo.model,
    provedorId: null,
    stream: false,
    entrada: { formato: "passagem", planejar: (servidor) => planejarContagem(servidor, corpo) },
    sinal: pedido.sinal,
    recebidoEm: pedido.recebidoEm,
    chamador: pedido.chamador,
    depois: pedido.depois,
    // A count is not a generation: it costs a limited key one request, no tokens.
    semTokens: true,
  };
  let r: Awaited<ReturnType<typeof atenderModelo>>;
  try {
    r = await atenderModelo(pedidoModelo);
  } catch (e) {
    const erro = comoErroApp(e);
    if (!estimavel(erro) || pedido.sinal.aborted) throw erro;
    return respostaJson(200, { input_tokens: estimarTokens(corpo) }, { [CABECALHO_ESTIMATIVA]: "true" });
  }
  if (r.tipo === "stream") {
    // Asked whole; a server that streams a count anyway is not read.
    r.descartar();
    throw new ErroApp("provedor_erro", "O servidor respondeu a contagem de tokens em streaming, sem que fosse pedido.");
  }
  return respostaDoAtendimento(r);
};
