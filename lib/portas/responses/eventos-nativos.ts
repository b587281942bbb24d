import type { Enquadrador } from "../../gateway/pedido";
import { bytesSSE, textoSSE } from "../../protocolo/sse";
import { textoDoErro } from "./eventos";

type EventoDoServidor = { type?: unknown; sequence_number?: unknown; response?: { model?: unknown } | null };

/**
 * A server's own Responses stream passed on: each event as it sent it, named by its `type` (`event:` lines are
 * not kept by the relay), with the model as the caller asked for it where the event carries the response (the
 * server names the id the pipeline sent). Its end needs nothing more (Responses has no `[DONE]`); an error after
 * the first byte is OpenAI's `error` event, numbered after the server's last.
 */
export function eventosNativos(modelo: string): Enquadrador {
  let ultima = -1;
  return (eventos) => {
    let texto = "";
    for (const e of eventos) {
      if (e.tipo === "chunk") {
        const evento = JSON.parse(e.dados) as EventoDoServidor;
        if (typeof evento.sequence_number === "number") ultima = evento.sequence_number;
        const r = evento.response;
        const dados =
          r && typeof r === "object" && r.model !== modelo ? JSON.stringify({ ...evento, response: { ...r, model: modelo } }) : e.dados;
        texto += textoSSE(dados, typeof evento.type === "string" ? evento.type : undefined);
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
