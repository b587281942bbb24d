import { ErroApp } from "../../errors";
import { atenderModelo } from "../../gateway/atender";
import { DIALETO_ANTHROPIC } from "../../gateway/dialetos/anthropic";
import { candidatosPara } from "../../gateway/escolher";
import type { PedidoModelo, PlanoDeChamada } from "../../gateway/pedido";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { buscarLinhaRecente } from "../../provedores/linha-do-provedor";
import { temRotaNativa } from "../../provedores/rotas-nativas";
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
 * POST /v1/messages/count_tokens: the server's own count (the chat template applied) where the provider the
 * model routes to first serves the route, sent there through the pipeline like any call (one statistics row);
 * otherwise (or when it cannot be asked whether it does) an estimate made here (estimarTokens), nothing sent
 * upstream, flagged by CABECALHO_ESTIMATIVA.
 * An unknown model is Anthropic's 404 either way.
 */
export const contarTokens: Manipulador = async (pedido): Promise<Resposta> => {
  const corpo = validar(CorpoContagemAnthropic, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const primeiro = (await candidatosPara(corpo.model, pedido.sinal))[0]!;
  const linha = await buscarLinhaRecente(primeiro.provedor.id);
  // A server that cannot be asked now (unreachable, timing out) still gets its request counted: estimated.
  if (!(await temRotaNativa(linha, ROTA_CONTAGEM).catch(() => false))) {
    return respostaJson(200, { input_tokens: estimarTokens(corpo) }, { [CABECALHO_ESTIMATIVA]: "true" });
  }
  const plano: PlanoDeChamada = {
    rota: ROTA_CONTAGEM,
    corpo,
    dialeto: DIALETO_CONTAGEM,
    enquadrar: () => new Uint8Array(),
    converter: (dados, texto) => comModeloPedido(dados, texto, corpo.model),
  };
  // Pinned to the provider that was asked: the count is of its template and tokenizer.
  const pedidoModelo: PedidoModelo = {
    porta: "anthropic",
    modelo: primeiro.modelo,
    provedorId: primeiro.provedor.id,
    stream: false,
    entrada: { formato: "passagem", planejar: () => plano },
    sinal: pedido.sinal,
    recebidoEm: pedido.recebidoEm,
    depois: pedido.depois,
  };
  const r = await atenderModelo(pedidoModelo);
  if (r.tipo === "stream") {
    // Asked whole; a server that streams a count anyway is not read.
    r.descartar();
    throw new ErroApp("provedor_erro", "O servidor respondeu a contagem de tokens em streaming, sem que fosse pedido.");
  }
  return respostaDoAtendimento(r);
};
