import { tipoDoEventoResponses } from "../../gateway/dialetos/responses";
import type { Enquadrador } from "../../gateway/pedido";
import { bytesSSE, textoSSE } from "../../protocolo/sse";
import { textoDoErro } from "./eventos";

type EventoDoServidor = { type?: unknown; sequence_number?: unknown; response?: { model?: unknown } | null };

/** Only an event that carries the response (its lifecycle events) names the model. */
const COM_RESPOSTA = /"response"\s*:/;
const SEQUENCIA = /"sequence_number"\s*:\s*(\d+)/;

/**
 * A server's own Responses stream passed on: each event as it sent it, named by its `type` (`event:` lines are
 * not kept by the relay), with the model as the caller asked for it where the event carries the response (the
 * server names the id the pipeline sent). Only those events are parsed; the others are named from their head.
 * Its end needs nothing more (Responses has no `[DONE]`); an error after the first byte is OpenAI's `error`
 * event, numbered after the server's last.
 */
export function eventosNativos(modelo: string): Enquadrador {
  let ultima = -1;
  return (eventos) => {
    let texto = "";
    for (const e of eventos) {
      if (e.tipo === "chunk") {
        let dados = e.dados;
        let tipo = tipoDoEventoResponses(dados);
        const sequencia = SEQUENCIA.exec(dados);
        if (sequencia) ultima = Number(sequencia[1]);
        if (tipo === null || COM_RESPOSTA.test(dados)) {
          const evento = JSON.parse(dados) as EventoDoServidor;
          if (typeof evento.type === "string") tipo = evento.type;
          const r = evento.response;
          if (r && typeof r === "object" && r.model !== modelo) dados = JSON.stringify({ ...evento, response: { ...r, model: modelo } });
        }
        texto += textoSSE(dados, tipo ?? undefined);
      } else if (e.tipo === "erro") {
        ultima += 1;
        texto += textoDoErro(e.erro, ultima);
      }
    }
    return bytesSSE(texto);
  };
}

/** A server's whole `response`, with the model as the caller asked for it. */
export function respostaNativa(dados: unknown, texto: string, modelo: string): string {
  const r = dados as { model?: unknown } | null;
  return r && typeof r === "object" && r.model !== modelo ? JSON.stringify({ ...r, model: modelo }) : texto;
}
