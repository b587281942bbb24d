import "server-only";
import { db } from "@/db/client";
import { provedoresLlm, type TipoProvedor } from "@/db/schema";
import { ClienteHttp, lerTexto, type RespostaAberta } from "../adapters/http";
import { ErroApp } from "../errors";
import { PassouDoLimite } from "../protocolo/bytes";
import { type DescobertaServidores, PedidoDescoberta, type ServidorEncontrado } from "../schemas/llm";
import { validar } from "../schemas/validar";

/** Where LLM servers listen out of the box: Ollama, LM Studio, llama-server. */
export const PORTAS_PADRAO = [11434, 1234, 8080];
const ROTULO: Record<TipoProvedor, string> = {
  ollama: "Ollama",
  lm_studio: "LM Studio",
  llama_cpp: "llama.cpp",
  openai_compativel: "servidor OpenAI-compatível",
};
/** A probe costs little, but a list the user typed should not turn into a port scan. Counted after repeats go. */
const MAXIMO_SONDAS = 64;
/**
 * An identification reads version strings and short lists, cut past this rather than read whole (64 probes
 * reading 16 MiB each took the process past 400 MiB).
 */
const LIMITE_CORPO_SONDA_BYTES = 64 * 1024;
/** llama-server's /props carries the chat template, which with tool-calling templates passes 64 KiB. */
const LIMITE_PROPS_BYTES = 256 * 1024;

type Identificacao = { tipo: TipoProvedor; versao: string | null } | null;

async function pedir(cliente: ClienteHttp, caminho: string, limiteBytes = LIMITE_CORPO_SONDA_BYTES): Promise<unknown> {
  try {
    return (await cliente.json(caminho, { limiteBytes })).dados;
  } catch (e) {
    // LM Studio answers unknown paths with 200 {"error": "Unexpected endpoint…"}: that is a signature too.
    if (e instanceof ErroApp && /unexpected endpoint/i.test(e.message)) return { lmStudio: true };
    return null;
  }
}

/**
 * Tells the server types apart by their native answers (shared/provider-apis.md): Ollama's /api/version,
 * LM Studio's "Unexpected endpoint" on paths it lacks (or /api/v0/models), llama-server's /props; anything
 * else with an OpenAI /v1/models is OpenAI-compatible.
 */
async function identificar(base_url: string): Promise<Identificacao> {
  const cliente = new ClienteHttp({ tipo: "openai_compativel", base_url, timeout_segundos: 2, api_key: null });
  const versao = (await pedir(cliente, "/api/version")) as { version?: unknown; lmStudio?: boolean } | null;
  if (versao?.lmStudio) return { tipo: "lm_studio", versao: null };
  if (typeof versao?.version === "string") return { tipo: "ollama", versao: versao.version };
  const props = (await pedir(cliente, "/props", LIMITE_PROPS_BYTES)) as {
    build_info?: unknown;
    role?: unknown;
    default_generation_settings?: unknown;
  } | null;
  if (props && (typeof props.build_info === "string" || props.role === "router" || props.default_generation_settings)) {
    return { tipo: "llama_cpp", versao: typeof props.build_info === "string" ? props.build_info : null };
  }
  const v0 = (await pedir(cliente, "/api/v0/models")) as { data?: unknown; lmStudio?: boolean } | null;
  if (v0?.lmStudio || Array.isArray(v0?.data)) return { tipo: "lm_studio", versao: null };
  return (await listaDeModelosOpenAI(cliente)) ? { tipo: "openai_compativel", versao: null } : null;
}

/** An OpenAI /v1/models list; a JSON one cut at the limit is a long list (a router of many models), so a server too. */
async function listaDeModelosOpenAI(cliente: ClienteHttp): Promise<boolean> {
  let r: RespostaAberta | null = null;
  try {
    r = await cliente.abrir("/v1/models", { limiteBytes: LIMITE_CORPO_SONDA_BYTES });
    if (r.status < 200 || r.status >= 300) return false;
    const lista = JSON.parse(await lerTexto(r)) as { data?: unknown; error?: unknown } | null;
    return Boolean(lista && !lista.error && (Array.isArray(lista.data) || lista.data === null));
  } catch (e) {
    return e instanceof ErroApp && e.cause instanceof PassouDoLimite && /json/i.test(r?.tipoConteudo ?? "");
  } finally {
    r?.fechar();
  }
}

/**
 * GET /api/provedores-llm/descobrir: probes this machine's default ports (plus `portas` the user adds) and
 * says which LLM servers answer there, and whether each is already registered. Other machines only when
 * the user names them in `hosts`.
 */
export async function descobrirServidores(consulta: unknown = {}): Promise<DescobertaServidores> {
  const pedido = validar(PedidoDescoberta, consulta);
  const portas = [...new Set([...PORTAS_PADRAO, ...portasDoAmbiente(), ...pedido.portas])];
  const pedidos = pedido.hosts.length ? pedido.hosts : [{ host: "127.0.0.1" }];
  // A host with its own port is probed there only; one named twice (or in two spellings) is probed once.
  const alvos = new Map<string, { host: string; porta: number }>();
  for (const { host, porta } of pedidos) {
    for (const p of porta ? [porta] : portas) alvos.set(`${host} ${p}`, { host, porta: p });
  }
  if (alvos.size > MAXIMO_SONDAS) {
    throw new ErroApp("validacao", `São ${alvos.size} combinações de host e porta; o máximo é ${MAXIMO_SONDAS}.`);
  }
  const hosts = [...new Set(pedidos.map((p) => p.host))];
  const cadastrados = new Set(
    (await db().select({ base_url: provedoresLlm.base_url }).from(provedoresLlm)).map((p) => semLocalhost(p.base_url)),
  );
  const achados = await Promise.all(
    [...alvos.values()].map(async ({ host, porta }): Promise<ServidorEncontrado | null> => {
      const base_url = `http://${host.includes(":") ? `[${host}]` : host}:${porta}`;
      const id = await identificar(base_url);
      if (!id) return null;
      const exibido = host === "127.0.0.1" ? `localhost:${porta}` : new URL(base_url).host;
      return {
        tipo: id.tipo,
        base_url,
        versao: id.versao,
        nome_sugerido: `${ROTULO[id.tipo]} (${exibido})`,
        cadastrado: cadastrados.has(semLocalhost(base_url)),
      };
    }),
  );
  return { servidores: achados.filter((a) => a !== null), hosts, portas };
}

/** DESCOBRIR_PORTAS="8081,11435": more ports to look at every time (a second Ollama, a llama-server on another port). */
function portasDoAmbiente(): number[] {
  return (process.env.DESCOBRIR_PORTAS ?? "")
    .split(",")
    .map((p) => Number(p.trim()))
    .filter((p) => Number.isInteger(p) && p >= 1 && p <= 65535);
}

/** localhost and 127.0.0.1 are the same server. */
function semLocalhost(url: string): string {
  return url.replace("://localhost", "://127.0.0.1").replace(/\/+$/, "");
}
