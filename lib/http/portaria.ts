import "server-only";
import { type Chamador, CHAMADOR_ADMIN } from "../chaves/chamador";
import { existeChaveEmUso, identificarChave, pareceChave } from "../chaves/identificar";
import { comoErroApp, ErroApp } from "../errors";
import { PORTA_CONTRATO } from "../portas/contrato";
import type { FormatoDeErro, Resposta } from "../portas/troca";
import { doProcesso } from "../unico-por-processo";
import { autenticacaoLigada, bearerDe, COOKIE_SESSAO, cookieDe, MENSAGEM_NAO_AUTORIZADO, tokenConfere } from "../seguranca/autenticacao";
import { CABECALHOS_SEGURANCA } from "../seguranca/cabecalhos";
import { hostPermitido, origemListada, origemPropria, politicaDe, type PoliticaWeb } from "../seguranca/politica-web";
import { sessaoValida } from "../seguranca/sessoes";
import { esperaDe, mensagemMuitasTentativas, registrarFalha } from "../seguranca/tentativas";

/**
 * The one gate every request passes before it reaches a handler: the Host, the Origin, the body's type, and who
 * is calling (AUTH_TOKEN, a UI session, an access key). It runs once per request: the dispatcher
 * (lib/http/despachar.ts) asks it for every path of the route table, with the entry's door (its error shape) and
 * whether the entry is a model door; Next's proxy (proxy.ts) asks it for the pages.
 */

/** What the gate reads of a request, whatever server received it. */
export type PedidoWeb = {
  metodo: string;
  /** The path as sent (still percent-encoded). */
  caminho: string;
  cabecalho: (nome: string) => string | null;
  /** The client's address, for the login throttle. */
  endereco: string;
};

/** An answer the gate makes whole (a refusal, a preflight): its body is always a text. */
export type RespostaPronta = Resposta & { cabecalhos: Readonly<Record<string, string>>; corpo: string };

export type Decisao =
  | { tipo: "responder"; resposta: RespostaPronta }
  /** Go on to the handler as `chamador`, adding `cabecalhos` (CORS for a listed origin) to its answer. */
  | { tipo: "seguir"; cabecalhos: Record<string, string>; chamador: Chamador }
  /** A page without a session (AUTH_TOKEN set): the front door sends the visitor to /login. */
  | { tipo: "login" };

const ESCRITAS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const LEITURAS = new Set(["GET", "HEAD", "OPTIONS"]);
const CABECALHOS_EXPOSTOS =
  "location, retry-after, x-provedor-id, x-provedor-nome, x-provedores-llm-overhead-ms, x-provedores-llm-estimativa, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens";
/** What a preflight allows when it does not list what it will send: the OpenAI and Anthropic clients' headers. */
const CABECALHOS_PERMITIDOS = "authorization, content-type, x-api-key, anthropic-version, anthropic-beta";

const politica = (): PoliticaWeb => doProcesso("politicaWeb", () => politicaDe(process.env));

/** A page's refusals (a foreign form's write, the throttle) are the contract's error JSON. */
const erroDePagina: FormatoDeErro = PORTA_CONTRATO.formatoDeErro;

/** The error in the door's shape, whole. */
function erroJson(formato: FormatoDeErro, erro: ErroApp, cabecalhos: Record<string, string> = {}): RespostaPronta {
  const r = formato(erro);
  return {
    status: r.status,
    cabecalhos: { ...CABECALHOS_SEGURANCA, ...r.cabecalhos, ...cabecalhos },
    corpo: typeof r.corpo === "string" ? r.corpo : "",
  };
}

function escaparHtml(texto: string): string {
  return texto.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A page path with a broken escape (`%E0`): Next, with no Pages error page to render, would answer a bare 500. */
function paginaCaminhoInvalido(): RespostaPronta {
  return {
    status: 400,
    cabecalhos: { ...CABECALHOS_SEGURANCA, "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'" },
    corpo: `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Endereço inválido · Provedores LLM</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Endereço inválido</h1><p>O caminho tem um escape (%) inválido. Confira o endereço ou volte para <a href="/provedores-llm">a lista de provedores</a>.</p>
</body></html>`,
  };
}

function decodificavel(caminho: string): boolean {
  if (!caminho.includes("%")) return true;
  try {
    decodeURIComponent(caminho);
    return true;
  } catch {
    return false;
  }
}

function paginaHostRecusado(host: string | null): RespostaPronta {
  const nome = escaparHtml(host ?? "(nenhum)");
  const corpo = `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Endereço não permitido · Provedores LLM</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Endereço não permitido</h1>
<p>Este Provedores LLM não atende pelo endereço <code>${nome}</code>. Isso protege o app de páginas de outros sites que tentam usá-lo pelo seu navegador.</p>
<p>Abra-o por <code>http://localhost</code> (ou <code>127.0.0.1</code>) na porta em que ele roda. Se este endereço é seu (um proxy reverso, um nome na rede local), inclua-o na variável <code>ALLOWED_HOSTS</code> e reinicie o app.</p>
</body></html>`;
  return {
    status: 403,
    cabecalhos: {
      ...CABECALHOS_SEGURANCA,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    },
    corpo,
  };
}

/** A write must say its body is JSON; one with no body at all (`curl -X POST …/testar`, DELETE) needs no type. */
function corpoAceito(p: PedidoWeb): boolean {
  const tipo = p.cabecalho("content-type");
  if (tipo !== null) return /^application\/json\s*(;|$)/i.test(tipo.trim());
  const tamanho = p.cabecalho("content-length");
  return p.cabecalho("transfer-encoding") === null && (tamanho === null || tamanho.trim() === "0");
}

function cabecalhosCors(origem: string): Record<string, string> {
  return { "access-control-allow-origin": origem, "access-control-expose-headers": CABECALHOS_EXPOSTOS, vary: "Origin" };
}

/** The caller is the admin: the handler runs with every right. */
const ADMIN: Decisao = Object.freeze({ tipo: "seguir", cabecalhos: Object.freeze({}), chamador: CHAMADOR_ADMIN });

const MENSAGEM_CHAVE_NECESSARIA =
  "Chave de acesso necessária: envie o cabeçalho Authorization: Bearer <chave pllm_…> (ou x-api-key). Quem administra este Provedores LLM cria as chaves em /chaves.";

function recusaPorTentativas(formato: FormatoDeErro, espera: number): Decisao {
  return {
    tipo: "responder",
    resposta: erroJson(formato, new ErroApp("muitas_tentativas", mensagemMuitasTentativas(espera)), { "retry-after": String(espera) }),
  };
}

function naoAutorizado(formato: FormatoDeErro, mensagem: string): Decisao {
  return { tipo: "responder", resposta: erroJson(formato, new ErroApp("nao_autorizado", mensagem), { "www-authenticate": "Bearer" }) };
}

/** A wrong credential from this address: counted in the login throttle; the 429 once it is throttled, else the 401. */
function credencialErrada(p: PedidoWeb, formato: FormatoDeErro, mensagem: string): Decisao {
  const espera = registrarFalha(p.endereco);
  return espera ? recusaPorTentativas(formato, espera) : naoAutorizado(formato, mensagem);
}

/** `127.0.0.0/8` and `::1`, also as IPv4 mapped into IPv6: the client runs on this machine. */
function enderecoLocal(endereco: string): boolean {
  const e = endereco.startsWith("::ffff:") ? endereco.slice(7) : endereco;
  return e === "::1" || e.startsWith("127.");
}

/** `PORTAS_SEM_CHAVE=1`: the model doors stay open to this machine without a key, as before keys existed. */
function portasSemChave(): boolean {
  return process.env.PORTAS_SEM_CHAVE === "1";
}

/** A request the app's own pages made (the "Testar" tab): the browser says it came from this origin. */
function daPropriaPagina(p: PedidoWeb): boolean {
  const origem = p.cabecalho("origin");
  if (origem !== null) return origemPropria(origem, p.cabecalho("host"));
  return p.cabecalho("sec-fetch-site") === "same-origin";
}

/**
 * An access key: looked up by its hash (remembered ≤ 5 s per instance); unknown, revoked, inactive or expired is
 * a 401 that counts in the login throttle. A valid key opens only the model doors: anything else is a 403, in the
 * door's shape (a page's too: a program holding a key is never sent to the login page).
 */
async function porChave(p: PedidoWeb, formato: FormatoDeErro | null, segredo: string, portaDeModelo: boolean): Promise<Decisao> {
  const erro = formato ?? erroDePagina;
  const espera = esperaDe(p.endereco);
  if (espera) return recusaPorTentativas(erro, espera);
  let identificacao: Awaited<ReturnType<typeof identificarChave>>;
  try {
    identificacao = await identificarChave(segredo);
  } catch (e) {
    return { tipo: "responder", resposta: erroJson(erro, comoErroApp(e)) };
  }
  if (identificacao.tipo === "recusada") return credencialErrada(p, erro, identificacao.mensagem);
  const { chave } = identificacao;
  if (!portaDeModelo) {
    return {
      tipo: "responder",
      resposta: erroJson(
        erro,
        new ErroApp(
          "acesso_negado",
          `A chave de acesso "${chave.nome}" só abre as portas de modelos (/v1, a API do Ollama e …/requisicao). Esta rota é de quem administra o Provedores LLM: use o AUTH_TOKEN ou entre pela interface.`,
        ),
      ),
    };
  }
  return { tipo: "seguir", cabecalhos: {}, chamador: { tipo: "chave", chave } };
}

/**
 * Who is calling. A bearer (or `x-api-key`) starting with `pllm_` is an access key. Otherwise, with AUTH_TOKEN
 * set, a UI session or the token is the admin and anything else is refused, as always. Without AUTH_TOKEN the
 * caller is the admin, except on a model door once any key is in use: then a key is required there, unless
 * the request comes from the app's own pages, or PORTAS_SEM_CHAVE=1 and the client is on this machine.
 */
async function identificar(p: PedidoWeb, formato: FormatoDeErro | null, portaDeModelo: boolean): Promise<Decisao> {
  // Anthropic's clients send the token as `x-api-key` (Claude Code with ANTHROPIC_AUTH_TOKEN sends Bearer).
  const bearer = bearerDe(p.cabecalho("authorization")) ?? (p.cabecalho("x-api-key")?.trim() || null);
  if (bearer !== null && pareceChave(bearer)) return porChave(p, formato, bearer, portaDeModelo);
  if (autenticacaoLigada()) {
    if (p.caminho === "/login") return ADMIN;
    if (await sessaoValida(cookieDe(p.cabecalho("cookie"), COOKIE_SESSAO))) return ADMIN;
    if (bearer !== null) {
      const espera = esperaDe(p.endereco);
      if (espera) return recusaPorTentativas(formato ?? erroDePagina, espera);
      if (tokenConfere(bearer)) return ADMIN;
      const agora = registrarFalha(p.endereco);
      if (agora) return recusaPorTentativas(formato ?? erroDePagina, agora);
    }
    if (!formato) return { tipo: "login" };
    return naoAutorizado(formato, MENSAGEM_NAO_AUTORIZADO);
  }
  if (!portaDeModelo || !formato) return ADMIN;
  if ((portasSemChave() && enderecoLocal(p.endereco)) || daPropriaPagina(p)) return ADMIN;
  let exigida: boolean;
  try {
    exigida = await existeChaveEmUso();
  } catch (e) {
    return { tipo: "responder", resposta: erroJson(formato, comoErroApp(e)) };
  }
  if (!exigida) return ADMIN;
  if (bearer === null) return naoAutorizado(formato, MENSAGEM_CHAVE_NECESSARIA);
  // Without AUTH_TOKEN there is no secret to guess with a value that is not a key: a client's placeholder
  // (`sk-…`, `ollama`) is refused without counting in the throttle, which would shut out every local program.
  return naoAutorizado(formato, `Isso não é uma chave de acesso (elas começam com pllm_). ${MENSAGEM_CHAVE_NECESSARIA}`);
}

/**
 * The gate's decision. `formato` is the door of the route-table entry the path belongs to (its refusals go
 * out in that door's error shape); null for a page, which gets the HTML Host page and the login redirect.
 * `portaDeModelo`: the entry is a model door (lib/http/rotas.ts), the only kind an access key opens.
 */
export async function avaliarPedido(p: PedidoWeb, formato: FormatoDeErro | null, portaDeModelo = false): Promise<Decisao> {
  const api = formato !== null;
  const erro = formato ?? erroDePagina;
  const metodo = p.metodo.toUpperCase();
  const host = p.cabecalho("host");
  const regras = politica();

  // 1. DNS rebinding: a page on another site reaching this app through a name that resolves to it.
  if (!hostPermitido(regras, host)) {
    if (!api) return { tipo: "responder", resposta: paginaHostRecusado(host) };
    return {
      tipo: "responder",
      resposta: erroJson(
        erro,
        new ErroApp(
          "host_nao_permitido",
          `Host "${host ?? ""}" não permitido: use localhost ou 127.0.0.1, ou inclua este nome em ALLOWED_HOSTS.`,
        ),
      ),
    };
  }

  if (!api && !decodificavel(p.caminho)) return { tipo: "responder", resposta: paginaCaminhoInvalido() };

  const origem = p.cabecalho("origin");
  const listada = origem !== null && origemListada(regras, origem);

  // 2. CORS preflight: answered here, for listed origins only.
  if (api && metodo === "OPTIONS" && origem !== null && p.cabecalho("access-control-request-method") !== null) {
    if (!listada && !origemPropria(origem, host)) return { tipo: "responder", resposta: erroJson(erro, erroDeOrigem(origem)) };
    return {
      tipo: "responder",
      resposta: {
        status: 204,
        cabecalhos: {
          ...CABECALHOS_SEGURANCA,
          ...cabecalhosCors(origem),
          "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
          "access-control-allow-headers": p.cabecalho("access-control-request-headers") ?? CABECALHOS_PERMITIDOS,
          "access-control-max-age": "600",
        },
        corpo: "",
      },
    };
  }

  // 3. Cross-site forms can only send form or text types: an API write must be JSON.
  if (api && ESCRITAS.has(metodo) && !corpoAceito(p)) {
    return {
      tipo: "responder",
      resposta: erroJson(erro, new ErroApp("tipo_de_conteudo", "Envie o corpo como JSON, com o cabeçalho Content-Type: application/json.")),
    };
  }

  // 4. Another site's page (or another local port) acting through the user's browser.
  if (api || !LEITURAS.has(metodo)) {
    const site = p.cabecalho("sec-fetch-site");
    const estranha = origem !== null ? !listada && !origemPropria(origem, host) : site === "cross-site" || (api && site === "same-site");
    if (estranha || (!listada && site === "cross-site")) {
      return { tipo: "responder", resposta: erroJson(erro, erroDeOrigem(origem)) };
    }
  }

  const decisao = await identificar(p, formato, portaDeModelo);
  if (decisao.tipo !== "seguir" || !listada || !origem) return decisao;
  return { ...decisao, cabecalhos: cabecalhosCors(origem) };
}

function erroDeOrigem(origem: string | null): ErroApp {
  return new ErroApp(
    "origem_nao_permitida",
    origem
      ? `Requisições vindas de ${origem} não são aceitas. Para liberar um app web seu, inclua essa origem em ALLOWED_ORIGINS.`
      : "Requisições de outros sites não são aceitas. Para liberar um app web seu, inclua a origem dele em ALLOWED_ORIGINS.",
  );
}
