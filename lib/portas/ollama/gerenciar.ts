import { comoErroApp, ErroApp } from "../../errors";
import { type Catalogo, lerCatalogo, type ProvedorRoteavel } from "../../gateway/catalogo";
import { excluirModelo, iniciarDownload, lerModelosEmCache, mudancasDoDownload } from "../../provedores";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { sabidamenteOffline } from "../../saude/estado";
import { CorpoNomeOllama } from "../../schemas/corpos-ollama";
import type { AcoesModelos, DownloadModelo } from "../../schemas/llm";
import { validar } from "../../schemas/validar";
import { respostaJson } from "../resposta-json";
import type { Manipulador } from "../troca";
import { acharModelo } from "./achar";
import { idDoCatalogo } from "./nomes";
import { linhasDoPull } from "./progresso-pull";
import { CABECALHOS_NDJSON, linhaDeErro } from "./quadros";

/** The first provider (in the given order) not known offline whose model list says it can do `acao`. */
async function primeiroQuePode(provedores: readonly ProvedorRoteavel[], acao: keyof AcoesModelos): Promise<ProvedorRoteavel | null> {
  for (const p of provedores) if (!sabidamenteOffline(p.id) && (await lerModelosEmCache(p.id)).acoes[acao]) return p;
  return null;
}

type DestinoDoPull = { provedor: ProvedorRoteavel; modelo: string; fixado: boolean };

/**
 * Where a pull goes: `<slug>/<model>` pins that provider (and the rest is the model). Otherwise a provider that
 * already has the model (a pull is then an update, not a second copy), else the first active Ollama (by id) that
 * can download: an Ollama client's names are Ollama's library's, which LM Studio does not read, so LM Studio
 * downloads only when pinned. Providers known offline are skipped.
 */
async function destinoDoPull(catalogo: Catalogo, nome: string): Promise<DestinoDoPull> {
  const barra = nome.indexOf("/");
  const fixo = barra > 0 ? catalogo.porSlug.get(nome.slice(0, barra)) : undefined;
  if (fixo) return { provedor: fixo, modelo: nome.slice(barra + 1), fixado: true };
  const { entradas } = idDoCatalogo(catalogo, nome);
  const quemTem = await primeiroQuePode(
    entradas.map((e) => e.provedor),
    "baixar",
  );
  const ja = entradas.find((e) => e.provedor.id === quemTem?.id);
  if (ja) return { provedor: ja.provedor, modelo: ja.modelo, fixado: false };
  const provedor = await primeiroQuePode(
    catalogo.provedores.filter((p) => p.tipo === "ollama"),
    "baixar",
  );
  if (provedor) return { provedor, modelo: nome, fixado: false };
  const outro = catalogo.provedores.find((p) => p.tipo === "lm_studio");
  throw new ErroApp(
    "acao_nao_suportada",
    outro
      ? `Nenhum servidor Ollama ativo e online pode baixar "${nome}". Para baixar no LM Studio, fixe o provedor com o nome do catálogo dele: "${outro.slug}/<modelo>".`
      : `Nenhum servidor Ollama ativo e online pode baixar "${nome}". Cadastre um, ou baixe o modelo no próprio servidor.`,
  );
}

/** The download started on the destination; a pinned LM Studio that refuses an Ollama name says what it needs. */
async function iniciar(destino: DestinoDoPull) {
  try {
    return await iniciarDownload(destino.provedor.id, { modelo: destino.modelo });
  } catch (e) {
    const erro = comoErroApp(e);
    if (!destino.fixado || destino.provedor.tipo === "ollama" || erro.codigo !== "provedor_erro") throw erro;
    const claro = new ErroApp(
      erro.codigo,
      `O provedor "${destino.provedor.nome}" não conseguiu baixar "${destino.modelo}": use um nome do catálogo do LM Studio (como "ibm/granite-4-micro"), não um do Ollama. ${erro.message}`,
    );
    claro.statusServidor = erro.statusServidor;
    throw claro;
  }
}

async function* progresso(id: string, sinal: AbortSignal): AsyncGenerator<string> {
  yield `${JSON.stringify({ status: "pulling manifest" })}\n`;
  let anterior: DownloadModelo | null = null;
  try {
    for await (const d of mudancasDoDownload(id, sinal)) {
      const texto = linhasDoPull(anterior, d);
      anterior = d;
      if (texto) yield texto;
    }
  } catch (e) {
    yield linhaDeErro(comoErroApp(e).message);
  }
}

/**
 * POST /api/pull: the download runs in the app's one download manager (the provider's page shows it too);
 * streamed by default as Ollama's progress lines; with `stream: false`, one `{"status":"success"}` at the end.
 */
export const pull: Manipulador = async (pedido) => {
  const corpo = validar(CorpoNomeOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const download = await iniciar(await destinoDoPull(await lerCatalogo(), corpo.model));
  if (corpo.stream !== false) return { status: 200, cabecalhos: CABECALHOS_NDJSON, corpo: progresso(download.id, pedido.sinal) };
  let fim = download;
  for await (const d of mudancasDoDownload(download.id, pedido.sinal)) fim = d;
  if (fim.estado !== "concluido") throw new ErroApp("provedor_erro", fim.erro ?? "O download não terminou.");
  return respostaJson(200, { status: "success" });
};

/**
 * DELETE /api/delete: on the provider that has the model and can delete it; `<slug>/` pins one. A bare name more
 * than one provider has is refused (409): deleting one copy would leave the model listed, deleting all might
 * remove what someone saved elsewhere by surprise; the client pins the provider instead.
 */
export const excluir: Manipulador = async (pedido) => {
  const { model } = validar(CorpoNomeOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  const { entradas } = await acharModelo(model, pedido.sinal);
  const provedores = [...new Map(entradas.map((e) => [e.provedor.id, e.provedor])).values()];
  if (provedores.length > 1) {
    throw new ErroApp(
      "acao_nao_suportada",
      `"${model}" está em ${provedores.length} provedores (${provedores.map((p) => p.slug).join(", ")}): escolha de qual excluir com o prefixo do provedor, como "${provedores[0]!.slug}/${model}".`,
    );
  }
  const provedor = await primeiroQuePode(provedores, "excluir");
  const entrada = entradas.find((e) => e.provedor.id === provedor?.id);
  if (!entrada) {
    throw new ErroApp("acao_nao_suportada", `Nenhum provedor que tem "${model}" permite excluir modelos pela API (só o Ollama).`);
  }
  await excluirModelo(entrada.provedor.id, { modelo: entrada.modelo }, pedido.sinal);
  return { status: 200, corpo: null };
};
