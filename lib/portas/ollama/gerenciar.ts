import { ErroApp } from "../../errors";
import { type Catalogo, lerCatalogo, type ProvedorRoteavel } from "../../gateway/catalogo";
import { excluirModelo, iniciarDownload, lerModelosEmCache, ouvirDownload } from "../../provedores";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CorpoNomeOllama } from "../../schemas/corpos-ollama";
import type { AcoesModelos, DownloadModelo } from "../../schemas/llm";
import { validar } from "../../schemas/validar";
import { respostaJson } from "../resposta-json";
import type { Manipulador } from "../troca";
import { idDoCatalogo } from "./nomes";
import { linhasDoPull } from "./progresso-pull";
import { CABECALHOS_NDJSON } from "./quadros";

/** The first active provider (by id) whose model list says it can do `acao`. */
async function primeiroQuePode(provedores: readonly ProvedorRoteavel[], acao: keyof AcoesModelos): Promise<ProvedorRoteavel | null> {
  for (const p of provedores) if ((await lerModelosEmCache(p.id)).acoes[acao]) return p;
  return null;
}

/**
 * Where a pull goes: `<slug>/<model>` pins that provider (and the rest is the model); otherwise the first active
 * Ollama (by id: an Ollama client's names are Ollama's library's), else the first active provider, by id, that
 * can download (LM Studio 0.4+).
 */
async function destinoDoPull(catalogo: Catalogo, nome: string): Promise<{ provedor: ProvedorRoteavel; modelo: string }> {
  const barra = nome.indexOf("/");
  const fixo = barra > 0 ? catalogo.porSlug.get(nome.slice(0, barra)) : undefined;
  if (fixo) return { provedor: fixo, modelo: nome.slice(barra + 1) };
  const ollamas = catalogo.provedores.filter((p) => p.tipo === "ollama");
  const provedor =
    (await primeiroQuePode(ollamas, "baixar")) ??
    (await primeiroQuePode(
      catalogo.provedores.filter((p) => p.tipo !== "ollama"),
      "baixar",
    ));
  if (!provedor) {
    throw new ErroApp(
      "acao_nao_suportada",
      "Nenhum provedor ativo pode baixar modelos (Ollama ou LM Studio 0.4+). Cadastre um, ou baixe o modelo no próprio servidor.",
    );
  }
  return { provedor, modelo: nome };
}

/** Each change of the download, as it happens, until it ends (the download goes on if the reader leaves). */
async function* mudancas(id: string, sinal: AbortSignal): AsyncGenerator<DownloadModelo> {
  const fila: DownloadModelo[] = [];
  let acordar: (() => void) | null = null;
  const parar = ouvirDownload(id, (d) => {
    fila.push(d);
    acordar?.();
  });
  const aoSair = () => acordar?.();
  sinal.addEventListener("abort", aoSair);
  try {
    for (;;) {
      while (fila.length) {
        const d = fila.shift()!;
        yield d;
        if (d.estado !== "baixando") return;
      }
      if (sinal.aborted) return;
      await new Promise<void>((r) => (acordar = r));
      acordar = null;
    }
  } finally {
    parar();
    sinal.removeEventListener("abort", aoSair);
  }
}

async function* progresso(id: string, sinal: AbortSignal): AsyncGenerator<string> {
  yield `${JSON.stringify({ status: "pulling manifest" })}\n`;
  let anterior: DownloadModelo | null = null;
  for await (const d of mudancas(id, sinal)) {
    const texto = linhasDoPull(anterior, d);
    anterior = d;
    if (texto) yield texto;
  }
}

/**
 * POST /api/pull: the download runs in the app's one download manager (the provider's page shows it too);
 * streamed by default as Ollama's progress lines; with `stream: false`, one `{"status":"success"}` at the end.
 */
export const pull: Manipulador = async (pedido) => {
  const corpo = validar(CorpoNomeOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const { provedor, modelo } = await destinoDoPull(await lerCatalogo(), corpo.model);
  const download = await iniciarDownload(provedor.id, { modelo });
  if (corpo.stream !== false) return { status: 200, cabecalhos: CABECALHOS_NDJSON, corpo: progresso(download.id, pedido.sinal) };
  let fim = download;
  for await (const d of mudancas(download.id, pedido.sinal)) fim = d;
  if (fim.estado !== "concluido") throw new ErroApp("provedor_erro", fim.erro ?? "O download não terminou.");
  return respostaJson(200, { status: "success" });
};

/** DELETE /api/delete: on the first provider (by id) that has the model and can delete it; `<slug>/` pins one. */
export const excluir: Manipulador = async (pedido) => {
  const { model } = validar(CorpoNomeOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const { entradas } = idDoCatalogo(await lerCatalogo(), model);
  if (!entradas.length) throw new ErroApp("modelo_nao_encontrado", `model '${model}' not found`);
  const provedor = await primeiroQuePode(
    entradas.map((e) => e.provedor),
    "excluir",
  );
  const entrada = entradas.find((e) => e.provedor.id === provedor?.id);
  if (!entrada) {
    throw new ErroApp("acao_nao_suportada", `Nenhum provedor que tem "${model}" permite excluir modelos pela API (só o Ollama).`);
  }
  await excluirModelo(entrada.provedor.id, { modelo: entrada.modelo }, pedido.sinal);
  return { status: 200, corpo: null };
};
