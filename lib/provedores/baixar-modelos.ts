import "server-only";
import { randomUUID } from "node:crypto";
import { acaoNaoSuportada, type ProgressoDownload } from "../adapters/acoes-modelos";
import { aoEncerrar } from "../encerramento";
import { comoErroApp, ErroApp } from "../errors";
import { quadroSSE, streamDeEventos } from "../protocolo/sse";
import { doProcesso } from "../unico-por-processo";
import { type DownloadModelo, PedidoAcaoModelo } from "../schemas/llm";
import { validar } from "../schemas/validar";
import { adaptadorDe } from "./adaptador-do-provedor";
import { buscarLinha, lerId } from "./linha-do-provedor";
import { listarModelosProvedor } from "./cache-de-modelos";

/** A finished download stays listed this long, so a page opened later still shows how it ended. */
const GUARDAR_TERMINADO_MS = 3600_000;
/** Speed is measured over this window of recent progress. */
const JANELA_VELOCIDADE_MS = 5_000;

type Registro = {
  dados: DownloadModelo;
  /** The model as the server names it, whatever spelling the caller used: one download per chave. */
  chave: string;
  controle: AbortController;
  /** Whether the server can stop it (closing an Ollama pull does; an LM Studio job goes on whatever the app does). */
  cancelavel: boolean;
  /** Set once the server has the model: the model list is being refreshed, and no cancel can undo the download. */
  concluindo: Promise<void> | null;
  amostras: { t: number; bytes: number }[];
  ouvintes: Set<(d: DownloadModelo) => void>;
};

// Downloads outlive the request that started them and the page that shows them: they live in the process.
const downloads = doProcesso("downloadsDeModelos", () => new Map<string, Registro>());

function limparAntigos(agora: number): void {
  for (const [id, r] of downloads) {
    if (r.dados.terminado_em && agora - r.dados.terminado_em.getTime() > GUARDAR_TERMINADO_MS) downloads.delete(id);
  }
}

function publicar(r: Registro): void {
  for (const ouvir of r.ouvintes) ouvir(r.dados);
}

function terminar(r: Registro, estado: DownloadModelo["estado"], erro: string | null = null): void {
  if (r.dados.estado !== "baixando") return;
  r.dados = { ...r.dados, estado, erro, velocidade_bps: null, restante_segundos: null, terminado_em: new Date() };
  publicar(r);
  r.ouvintes.clear();
}

/**
 * Starts a download on the server (Ollama pull, LM Studio download job), or returns the one already running
 * for the same model on the same provider. Progress is kept here; leaving the page does not stop it.
 */
export async function iniciarDownload(idBruto: string | number, corpo: unknown): Promise<DownloadModelo> {
  const linha = await buscarLinha(lerId(idBruto));
  const { modelo } = validar(PedidoAcaoModelo, corpo);
  const adaptador = adaptadorDe(linha);
  const { acoes } = await listarModelosProvedor(linha.id);
  if (!acoes.baixar) throw acaoNaoSuportada("baixar", acoes.motivo ?? "");
  limparAntigos(Date.now());
  const chave = adaptador.nomeCanonico(modelo);
  for (const r of downloads.values()) {
    if (r.dados.provedor_id === linha.id && r.chave === chave && r.dados.estado === "baixando") return r.dados;
  }
  const registro: Registro = {
    dados: {
      id: randomUUID(),
      provedor_id: linha.id,
      modelo,
      estado: "baixando",
      status: "iniciando",
      total_bytes: null,
      baixados_bytes: null,
      velocidade_bps: null,
      restante_segundos: null,
      camadas: [],
      erro: null,
      iniciado_em: new Date(),
      terminado_em: null,
    },
    chave,
    controle: new AbortController(),
    cancelavel: acoes.cancelar_download,
    concluindo: null,
    amostras: [],
    ouvintes: new Set(),
  };
  downloads.set(registro.dados.id, registro);
  await conferirProvedor(registro);
  void acompanhar(registro, adaptador.baixarModelo(modelo, registro.controle.signal));
  return registro.dados;
}

/**
 * A delete may have run while this start read the provider: it removes the row, then its downloads. Read
 * again once registered, either the row is gone or the delete finds this download and stops it; nothing is
 * started on the server for a deleted provider.
 */
async function conferirProvedor(r: Registro): Promise<void> {
  try {
    await buscarLinha(r.dados.provedor_id);
  } catch (e) {
    terminar(r, "falhou", comoErroApp(e).message);
    downloads.delete(r.dados.id);
    throw e;
  }
  if (!downloads.has(r.dados.id)) throw new ErroApp("nao_encontrado", `Provedor ${r.dados.provedor_id} não encontrado.`);
}

async function acompanhar(r: Registro, passos: AsyncGenerator<ProgressoDownload>): Promise<void> {
  try {
    for await (const p of passos) {
      const agora = Date.now();
      if (p.baixados_bytes !== null) {
        r.amostras.push({ t: agora, bytes: p.baixados_bytes });
        while (r.amostras.length > 2 && agora - r.amostras[0]!.t > JANELA_VELOCIDADE_MS) r.amostras.shift();
      }
      const primeira = r.amostras[0];
      const medida =
        primeira && p.baixados_bytes !== null && agora - primeira.t >= 500
          ? ((p.baixados_bytes - primeira.bytes) * 1000) / (agora - primeira.t)
          : null;
      const velocidade = p.velocidade_bps ?? medida;
      const falta = p.total_bytes !== null && p.baixados_bytes !== null ? p.total_bytes - p.baixados_bytes : null;
      r.dados = {
        ...r.dados,
        status: p.status,
        total_bytes: p.total_bytes,
        baixados_bytes: p.baixados_bytes,
        velocidade_bps: velocidade === null ? null : Math.max(0, Math.round(velocidade)),
        restante_segundos: velocidade && falta !== null && velocidade > 0 ? Math.ceil(falta / velocidade) : null,
        camadas: p.camadas ?? r.dados.camadas,
      };
      publicar(r);
    }
    // On disk: the model list (and the gateway's catalogue) learn of it now. The download is done even if
    // that refresh fails (the list is then refreshed later).
    r.concluindo = listarModelosProvedor(r.dados.provedor_id, true)
      .catch(() => null)
      .then(() => {
        r.dados = { ...r.dados, baixados_bytes: r.dados.total_bytes ?? r.dados.baixados_bytes };
        terminar(r, "concluido");
      });
    await r.concluindo;
  } catch (e) {
    if (r.controle.signal.aborted) return terminar(r, "cancelado");
    terminar(r, "falhou", comoErroApp(e).message);
  }
}

function registroDe(provedorId: number, downloadId: string): Registro {
  const r = downloads.get(downloadId);
  if (!r || r.dados.provedor_id !== provedorId)
    throw new ErroApp("nao_encontrado", `Download ${downloadId} não encontrado neste provedor.`);
  return r;
}

/** This provider's downloads: the running ones and those that ended in the last hour, newest first. */
export async function listarDownloads(idBruto: string | number): Promise<DownloadModelo[]> {
  const linha = await buscarLinha(lerId(idBruto));
  limparAntigos(Date.now());
  return [...downloads.values()]
    .map((r) => r.dados)
    .filter((d) => d.provedor_id === linha.id)
    .sort((a, b) => b.iniciado_em.getTime() - a.iniciado_em.getTime());
}

export async function obterDownload(idBruto: string | number, downloadId: string): Promise<DownloadModelo> {
  const linha = await buscarLinha(lerId(idBruto));
  return registroDe(linha.id, downloadId).dados;
}

/**
 * Stops a running download (Ollama: closing the pull cancels it on the server). One the server already
 * finished cannot be undone: the answer waits for the model list and says `concluido`.
 */
export async function cancelarDownload(idBruto: string | number, downloadId: string): Promise<DownloadModelo> {
  const linha = await buscarLinha(lerId(idBruto));
  const r = registroDe(linha.id, downloadId);
  if (r.dados.estado !== "baixando") return r.dados;
  const { acoes } = await listarModelosProvedor(linha.id);
  if (!acoes.cancelar_download) {
    throw new ErroApp("acao_nao_suportada", "Este servidor não permite cancelar um download pela API; cancele no próprio servidor.");
  }
  // Too late: the server already has the model. The answer is how it really ends.
  if (r.concluindo) {
    await r.concluindo;
    return r.dados;
  }
  r.controle.abort();
  // The pull ends on its own once the connection closes; the answer says so right away.
  if (r.dados.estado === "baixando") terminar(r, "cancelado");
  return r.dados;
}

/**
 * The provider is being deleted: its downloads are forgotten. One the server can stop is cancelled (closing an
 * Ollama pull cancels it there); one it cannot (an LM Studio job) is no longer followed and ends saying so.
 */
export function cancelarDownloadsDe(provedorId: number): void {
  for (const [id, r] of downloads) {
    if (r.dados.provedor_id !== provedorId) continue;
    // One the server already finished ends as it really did, once the model list is read.
    if (!r.concluindo) {
      r.controle.abort();
      if (r.cancelavel) terminar(r, "cancelado");
      else terminar(r, "falhou", "Provedor excluído: o app deixou de acompanhar este download, que continua no servidor.");
    }
    downloads.delete(id);
  }
}

/**
 * Each change of one download of this process (the Ollama door's pull stream), from its state now until it
 * ends; the download goes on if the reader leaves (`signal`). Like the page's event stream (eventosDoDownload),
 * the process's shutdown ends it at once: the reader gets a `servidor_encerrando` error instead of waiting.
 */
export async function* mudancasDoDownload(downloadId: string, signal: AbortSignal): AsyncGenerator<DownloadModelo> {
  const r = downloads.get(downloadId);
  if (!r) throw new ErroApp("nao_encontrado", `Download ${downloadId} não encontrado.`);
  const fila: DownloadModelo[] = [r.dados];
  let acordar: (() => void) | null = null;
  let encerrando = false;
  const ouvir = (d: DownloadModelo) => {
    fila.push(d);
    acordar?.();
  };
  const aoSair = () => acordar?.();
  if (r.dados.estado === "baixando") r.ouvintes.add(ouvir);
  const naoEncerrar = aoEncerrar(() => {
    encerrando = true;
    acordar?.();
  });
  signal.addEventListener("abort", aoSair);
  try {
    for (;;) {
      while (fila.length) {
        const d = fila.shift()!;
        yield d;
        if (d.estado !== "baixando") return;
      }
      if (signal.aborted) return;
      if (encerrando) {
        throw new ErroApp(
          "servidor_encerrando",
          "O app está sendo encerrado: o acompanhamento deste download parou (o download pode continuar no servidor).",
        );
      }
      await new Promise<void>((acorda) => (acordar = acorda));
      acordar = null;
    }
  } finally {
    r.ouvintes.delete(ouvir);
    naoEncerrar();
    signal.removeEventListener("abort", aoSair);
  }
}

/**
 * GET …/downloads/{downloadId}/eventos: SSE with `progresso` (the download now and on each change), then `fim`
 * with how it ended. An unknown id throws before any event (a 404 in the usual shape); `signal` is the caller
 * leaving, which stops listening but not the download.
 */
export async function eventosDoDownload(
  idBruto: string | number,
  downloadId: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const linha = await buscarLinha(lerId(idBruto));
  const r = registroDe(linha.id, downloadId);
  return streamDeEventos(signal, (enviar, fechar) => {
    const ouvir = (d: DownloadModelo) => {
      const fim = d.estado !== "baixando";
      enviar(quadroSSE(JSON.stringify(d), fim ? "fim" : "progresso"));
      if (fim) fechar();
    };
    ouvir(r.dados);
    r.ouvintes.add(ouvir);
    return () => r.ouvintes.delete(ouvir);
  });
}
