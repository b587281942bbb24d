import type { Manipulador } from "../../portas/troca";
import { cancelarDownload, eventosDoDownload, iniciarDownload, listarDownloads, obterDownload } from "../../provedores";
import { respostaJson, respostaSSE } from "./respostas";

export const listar: Manipulador = async (p) => respostaJson(200, { downloads: await listarDownloads(p.params.id!) });

/** 202: the download runs in the app's process; the same model already downloading answers with that one. */
export const iniciar: Manipulador = async (p) => {
  const download = await iniciarDownload(p.params.id!, await p.json());
  return respostaJson(202, download, { location: `/api/provedores-llm/${download.provedor_id}/modelos/downloads/${download.id}` });
};

export const obter: Manipulador = async (p) => respostaJson(200, await obterDownload(p.params.id!, p.params.downloadId!));

export const cancelar: Manipulador = async (p) => respostaJson(200, await cancelarDownload(p.params.id!, p.params.downloadId!));

/** SSE: `progresso` with the download now and on each change, then `fim` with how it ended. */
export const eventos: Manipulador = async (p) => respostaSSE(await eventosDoDownload(p.params.id!, p.params.downloadId!, p.sinal), p.sinal);
