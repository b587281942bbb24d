import { createHash } from "node:crypto";
import type { Chamador } from "../../chaves/chamador";
import { chaveDe, entradasNoEscopo, exigirPortaDaLista, foraDoEscopoModelo, pedidoPodeEstarNoEscopo } from "../../chaves/escopo";
import { type Catalogo, lerCatalogo, type ModeloNoProvedor } from "../../gateway/catalogo";
import { lerModelosEmCache } from "../../provedores";
import { LIMITE_REQUISICAO_LLM_BYTES } from "../../protocolo/corpo";
import { CorpoNomeOllama } from "../../schemas/corpos-ollama";
import type { ModeloEmCache } from "../../schemas/llm";
import { validar } from "../../schemas/validar";
import { respostaJson } from "../resposta-json";
import type { Manipulador } from "../troca";
import { acharModelo } from "./achar";
import { nomeOllama } from "./nomes";
import { VARIA_NA_RAIZ } from "./raiz";

/**
 * The Ollama API version this door speaks: clients read it to decide which features to use (tools, think,
 * the `model` field). The app's own version is not an Ollama one.
 */
export const VERSAO_OLLAMA = "0.12.3";

/** GET / and HEAD /: what Ollama answers, the probe every Ollama client starts with. */
export const estaRodando: Manipulador = async () => ({
  status: 200,
  cabecalhos: { "content-type": "text/plain; charset=utf-8", vary: VARIA_NA_RAIZ },
  corpo: "Ollama is running",
});

export const versao: Manipulador = async () => respostaJson(200, { version: VERSAO_OLLAMA });

/** One model of the catalogue, with what the providers' model caches know of it (the first that knows wins). */
type Descrito = { nome: string; id: string; entradas: ModeloNoProvedor[]; cache: ModeloEmCache[] };

/** Every provider's cached models, by provider and id: one read per provider, never a call to a server. */
async function caches(catalogo: Catalogo): Promise<Map<number, Map<string, ModeloEmCache>>> {
  const listas = await Promise.all(catalogo.provedores.map(async (p) => [p.id, (await lerModelosEmCache(p.id)).modelos] as const));
  return new Map(listas.map(([id, modelos]) => [id, new Map(modelos.map((m) => [m.modelo, m]))]));
}

function descrever(id: string, entradas: ModeloNoProvedor[], porProvedor: Map<number, Map<string, ModeloEmCache>>): Descrito {
  const cache = entradas.flatMap((e) => porProvedor.get(e.provedor.id)?.get(e.modelo) ?? []);
  return { nome: nomeOllama(id), id, entradas, cache };
}

/**
 * Every model of every active provider, as Ollama names them (`name:tag`): a model on two providers is one
 * entry (routed). Two ids that would get one name (llama.cpp's `tiny`, an Ollama's `tiny:latest`) stay two
 * entries, so that each name routes to what it lists: the tagged id keeps the name, the untagged one is listed
 * once per provider pinned as `<slug>/tiny:latest` (which the door reads back as that provider's `tiny`).
 * An access key sees only the models and providers of its scope; a key that does not open this door is refused.
 */
async function todos(chamador: Chamador, lista: string): Promise<Descrito[]> {
  exigirPortaDaLista(chamador, ["ollama"], `ollama (${lista})`);
  const chave = chaveDe(chamador);
  const catalogo = await lerCatalogo();
  const porProvedor = await caches(catalogo);
  const resultado: Descrito[] = [];
  for (const [id, todas] of catalogo.porModelo) {
    const nome = nomeOllama(id);
    const entradas = chave ? entradasNoEscopo(chave, nome, todas) : todas;
    if (!entradas.length) continue;
    const d = descrever(id, entradas, porProvedor);
    if (d.nome === id || !catalogo.porModelo.has(d.nome)) {
      resultado.push(d);
      continue;
    }
    for (const e of entradas) resultado.push({ ...descrever(id, [e], porProvedor), nome: `${e.provedor.slug}/${d.nome}` });
  }
  return resultado.sort((a, b) => a.nome.localeCompare(b.nome));
}

const primeiro = <K extends keyof ModeloEmCache>(d: Descrito, campo: K): NonNullable<ModeloEmCache[K]> | null =>
  (d.cache.find((m) => m[campo] !== null && m[campo] !== undefined)?.[campo] as NonNullable<ModeloEmCache[K]> | undefined) ?? null;

const digestDe = (d: Descrito) => String(primeiro(d, "detalhes")?.digest ?? createHash("sha256").update(d.id).digest("hex"));

function detalhesDe(d: Descrito) {
  const familia = primeiro(d, "familia");
  return {
    parent_model: "",
    format: String(primeiro(d, "detalhes")?.formato ?? "gguf"),
    family: familia ?? "",
    families: familia ? [familia] : null,
    parameter_size: primeiro(d, "parametros") ?? "",
    quantization_level: primeiro(d, "quantizacao") ?? "",
  };
}

/**
 * What the model can do, as Ollama's `capabilities`: a real Ollama's own list (its /api/show); else what the
 * model list says: an embedding model embeds, any other completes, and a multimodal one (LM Studio's `vlm`
 * type; a `modalidades.vision` where a list carries it) adds `vision`. `tools` is not claimed for these: no
 * model list of theirs says whether the model's template takes tools (a client may still send them).
 */
export function capacidadesDe(detalhes: Record<string, unknown> | null): string[] {
  const proprias = detalhes?.capacidades;
  if (Array.isArray(proprias) && proprias.every((c) => typeof c === "string")) return proprias;
  const tipo = String(detalhes?.tipo ?? "");
  if (/^embedding/.test(tipo)) return ["embedding"];
  const modalidades = detalhes?.modalidades as { vision?: unknown } | null | undefined;
  return tipo === "vlm" || modalidades?.vision === true ? ["completion", "vision"] : ["completion"];
}

const modificadoEm = (d: Descrito) => (d.cache[0]?.atualizado_em ?? new Date(Math.min(...d.entradas.map((e) => e.criadoEm)))).toISOString();

/** GET /api/tags. */
export const tags: Manipulador = async (pedido) =>
  respostaJson(200, {
    models: (await todos(pedido.chamador, "GET /api/tags")).map((d) => ({
      name: d.nome,
      model: d.nome,
      modified_at: modificadoEm(d),
      size: primeiro(d, "tamanho_bytes") ?? 0,
      digest: digestDe(d),
      details: detalhesDe(d),
    })),
  });

/** An hour from now: the app does not know when a server will unload a model; Ollama's clients only show it. */
const expiraEm = () => new Date(Date.now() + 3600_000).toISOString();

/** GET /api/ps: the models some provider has loaded (as its last model list said). */
export const ps: Manipulador = async (pedido) =>
  respostaJson(200, {
    models: (await todos(pedido.chamador, "GET /api/ps"))
      .filter((d) => d.cache.some((m) => m.carregado === true))
      .map((d) => {
        const carregado = d.cache.find((m) => m.carregado === true)!;
        const tamanho = carregado.tamanho_bytes ?? 0;
        const contexto = carregado.detalhes?.contexto_carregado ?? carregado.contexto_max;
        return {
          name: d.nome,
          model: d.nome,
          size: tamanho,
          digest: digestDe(d),
          details: detalhesDe(d),
          expires_at: String(carregado.detalhes?.expira_em ?? expiraEm()),
          size_vram: Number(carregado.detalhes?.vram_bytes ?? tamanho),
          ...(typeof contexto === "number" ? { context_length: contexto } : {}),
        };
      }),
  });

/**
 * POST /api/show: what the app knows of the model (its providers' model lists), in Ollama's shape. A model an
 * access key may not use is its 403, as a chat with it would be.
 */
export const show: Manipulador = async (pedido) => {
  const { model } = validar(CorpoNomeOllama, await pedido.json(LIMITE_REQUISICAO_LLM_BYTES));
  exigirPortaDaLista(pedido.chamador, ["ollama"], "ollama (POST /api/show)");
  const chave = chaveDe(pedido.chamador);
  if (chave && !pedidoPodeEstarNoEscopo(chave, model)) throw foraDoEscopoModelo(chave, model);
  const achado = await acharModelo(model, pedido.sinal, chave);
  const entradas = chave ? entradasNoEscopo(chave, model, achado.entradas) : achado.entradas;
  if (chave && !entradas.length) throw foraDoEscopoModelo(chave, model);
  const d = descrever(achado.id, entradas, await caches(await lerCatalogo()));
  const arquitetura = primeiro(d, "familia") ?? "llama";
  const contexto = primeiro(d, "contexto_max");
  return respostaJson(200, {
    modelfile: "",
    parameters: "",
    template: "",
    details: detalhesDe(d),
    model_info: {
      "general.architecture": arquitetura,
      ...(contexto !== null ? { [`${arquitetura}.context_length`]: contexto } : {}),
    },
    capabilities: capacidadesDe(primeiro(d, "detalhes")),
    modified_at: modificadoEm(d),
  });
};
