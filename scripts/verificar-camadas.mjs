// The layer order of the code, checked: every import of every module under app/, components/, lib/ and db/ (plus
// the server entries) is read and compared with ONE declared map, folder → layer, top to bottom. Run by
// tests/unit/camadas.test.ts (so `npm test` fails on a violation) and by hand: `node scripts/verificar-camadas.mjs [raiz]`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The layers, from the top. A module may import only from its own unit or from a unit listed below it: the
 * order is total, so two units never import each other, inside one layer too. A unit is a folder (ends in "/"),
 * one file, or a pattern (`**` any folders); a file belongs to the most specific unit that names it.
 */
export const CAMADAS = [
  {
    camada: "interface",
    // Pages and route files, then the UI parts they render, then the server actions those parts call.
    unidades: ["app/", "components/", "app/**/actions.ts"],
  },
  { camada: "transporte", unidades: ["servidor.ts", "proxy.ts", "instrumentation.ts", "lib/http/"] },
  // Each door of its own folder sits above the shared door parts (OpenAI's error shape, the answer's headers).
  // Benchmarks call the pipeline as a door does (each measured request is one model call), above the doors' shared parts.
  {
    camada: "portas",
    unidades: ["lib/benchmarks/", "lib/portas/anthropic/", "lib/portas/ollama/", "lib/portas/responses/", "lib/portas/"],
  },
  { camada: "pipeline", unidades: ["lib/gateway/"] },
  {
    camada: "serviços",
    unidades: [
      // Start-up: migrations and the backfill, after the configuration check.
      "lib/inicializacao.ts",
      // Runs whose instance died become `interrompido`: at startup, and before the benchmark service reads them.
      "lib/benchmarks/interrompidos.ts",
      "lib/config.ts",
      // The overview (/painel): reads the providers, the model cache and the statistics, all at once.
      "lib/painel/",
      // The model catalogue: the model cache of every provider with its traffic from the statistics.
      "lib/catalogo/",
      // The background checks: they load providers through the provider service.
      "lib/monitor/",
      // Statistics read a provider to answer 404 for an unknown id.
      "lib/estatisticas/",
      // A key's limits, counted in the database every instance shares (above the key service, whose caller type they read).
      "lib/chaves/limites/",
      // Access keys: their rules, secrets and lookup by secret (the name check shares the providers' unique-index test).
      "lib/chaves/",
      // The provider rules; deleting one forgets its Prometheus series.
      "lib/provedores/",
      "lib/metricas/",
      // The fair share of each provider: its concurrency limit and queue, read by the pipeline, the metrics and the pages.
      "lib/fila/",
      // The one health store (status, failures in a row, breaker, in flight), read by the router, the monitor and pages.
      "lib/saude/",
      // The gate, sessions and the key cipher: only the data layer below.
      "lib/seguranca/",
    ],
  },
  { camada: "adaptadores", unidades: ["lib/adapters/"] },
  { camada: "dados", unidades: ["db/"] },
  {
    camada: "contrato e folhas",
    unidades: [
      "lib/openapi/",
      "lib/schemas/",
      "lib/resultado-acao.ts",
      // The wire's small parts (SSE framing, bounded body reading), used by the transport, the doors and the services.
      "lib/protocolo/",
      "lib/encerramento.ts",
      "lib/espera.ts",
      "lib/duracao.ts",
      "lib/segundos.ts",
      "lib/instancia.ts",
      "lib/unico-por-processo.ts",
      "lib/errors.ts",
    ],
  },
];

/** What is read: these folders, whole, and these files. */
export const PASTAS_LIDAS = ["app", "components", "lib", "db"];
export const ARQUIVOS_LIDOS = ["servidor.ts", "proxy.ts", "instrumentation.ts"];

/**
 * Imports allowed to break the order, each with its reason (`{ de, para, motivo }`): none today. An entry whose
 * import no longer breaks the order is reported, so this list only shrinks.
 */
export const EXCECOES = [];

/** Layers whose every module carries `import "server-only"`: nothing in them belongs in a browser bundle. */
export const CAMADAS_DE_SERVIDOR = ["pipeline", "serviços", "adaptadores", "dados"];

/** Modules (or folders) of those layers left without the mark, and why. */
export const SEM_MARCA = [
  // Loaded by plain Node, where the mark throws.
  { arquivo: "db/schema.ts", motivo: "drizzle-kit carrega o esquema no Node puro (drizzle.config.ts)" },
  { arquivo: "lib/seguranca/cabecalhos.ts", motivo: "next.config.ts importa os cabeçalhos no Node puro" },
];

export const REGRAS = {
  ordem: "uma camada (ou pasta) importa outra que está acima dela",
  ciclo: "duas pastas importam uma à outra",
  next: "lib/ e db/ não importam next/*",
  interfaceDb: "app/ e components/ não importam db/",
  serverOnly: 'um componente cliente ("use client") chega a um módulo server-only',
  foraDoMapa: "o arquivo não está em nenhuma camada do mapa (declare-o em scripts/verificar-camadas.mjs)",
  naoResolvido: "a importação não leva a nenhum arquivo",
  semMarca: 'um módulo das camadas de servidor (pipeline, serviços, adaptadores, dados) sem import "server-only"',
  excecaoObsoleta: "a exceção não é mais necessária: apague-a de EXCECOES (ou SEM_MARCA)",
};

const EXTENSOES = /\.(ts|tsx|mjs)$/;
const CANDIDATOS = ["", ".ts", ".tsx", ".mjs", ".js", ".json", "/index.ts", "/index.tsx"];

/** Each unit with its rank (position in the whole order) and a matcher. */
function unidadesDoMapa(camadas) {
  const unidades = [];
  for (const { camada, unidades: nomes } of camadas) {
    for (const nome of nomes) {
      const padrao = nome.includes("*")
        ? new RegExp(
            `^${nome
              .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
              .replace(/\*\*\//g, "(?:.*/)?")
              .replace(/\*/g, "[^/]*")}$`,
          )
        : null;
      // Exact files outrank patterns, which outrank folders; among folders the longer prefix wins.
      const especificidade = padrao ? 1 : nome.endsWith("/") ? 0 : 2;
      unidades.push({ nome, camada, posicao: unidades.length, padrao, especificidade });
    }
  }
  return unidades;
}

function unidadeDe(arquivo, unidades) {
  let melhor = null;
  for (const u of unidades) {
    const casa = u.padrao ? u.padrao.test(arquivo) : u.nome.endsWith("/") ? arquivo.startsWith(u.nome) : arquivo === u.nome;
    if (!casa) continue;
    if (!melhor || u.especificidade > melhor.especificidade || (u.especificidade === 0 && u.nome.length > melhor.nome.length)) {
      melhor = u;
    }
  }
  return melhor;
}

function listarArquivos(raiz) {
  const arquivos = [];
  const visitar = (relativo) => {
    for (const entrada of readdirSync(path.join(raiz, relativo), { withFileTypes: true })) {
      const caminho = `${relativo}/${entrada.name}`;
      if (entrada.isDirectory()) visitar(caminho);
      else if (EXTENSOES.test(entrada.name)) arquivos.push(caminho);
    }
  };
  for (const pasta of PASTAS_LIDAS) if (existsSync(path.join(raiz, pasta))) visitar(pasta);
  for (const arquivo of ARQUIVOS_LIDOS) if (existsSync(path.join(raiz, arquivo))) arquivos.push(arquivo);
  return arquivos;
}

// Characters after which a `/` starts a regular expression rather than a division.
const ANTES_DE_REGEX = new Set([..."(,=:[!&|?{};+-*%<>~^"]);
const PALAVRAS_ANTES_DE_REGEX = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * The source with comments, string contents, template literals and regular expressions blanked (same length,
 * so offsets still point into the original): the import patterns below then only see code.
 */
function soCodigo(texto) {
  const saida = texto.split("");
  const apagar = (de, ate) => {
    for (let i = de; i < ate; i++) if (saida[i] !== "\n") saida[i] = " ";
  };
  let ultimo = "";
  let i = 0;
  while (i < texto.length) {
    const c = texto[i];
    const proximo = texto[i + 1];
    if (c === "/" && proximo === "/") {
      const fim = texto.indexOf("\n", i);
      const ate = fim === -1 ? texto.length : fim;
      apagar(i, ate);
      i = ate;
    } else if (c === "/" && proximo === "*") {
      const fim = texto.indexOf("*/", i + 2);
      const ate = fim === -1 ? texto.length : fim + 2;
      apagar(i, ate);
      i = ate;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < texto.length && texto[j] !== c) j += texto[j] === "\\" ? 2 : 1;
      // String contents stay readable for specifiers; templates never hold one and may hold code-like text.
      if (c === "`") apagar(i, j + 1);
      else for (let k = i + 1; k < j; k++) saida[k] = "_";
      i = j + 1;
      ultimo = "a";
    } else if (
      c === "/" &&
      (ultimo === "" || ANTES_DE_REGEX.has(ultimo) || PALAVRAS_ANTES_DE_REGEX.test(texto.slice(Math.max(0, i - 8), i).trimEnd()))
    ) {
      let j = i + 1;
      let classe = false;
      while (j < texto.length && texto[j] !== "\n" && (classe || texto[j] !== "/")) {
        if (texto[j] === "\\") j++;
        else if (texto[j] === "[") classe = true;
        else if (texto[j] === "]") classe = false;
        j++;
      }
      apagar(i, j + 1);
      i = j + 1;
      ultimo = "a";
    } else {
      if (!/\s/.test(c)) ultimo = c;
      i++;
    }
  }
  return saida.join("");
}

const ESTATICA = /(?<![.\w$])(import|export)\s+(type\s+)?([\w\s{},*$]*?)\s*from\s*(["'])([^"'\n]*)\4/g;
const SO_EFEITO = /(?<![.\w$])import\s*(["'])([^"'\n]*)\1/g;
const DINAMICA = /(?<![.\w$])(typeof\s+)?(import|require)\s*\(\s*(["'])([^"'\n]*)\3/g;
const DIRETIVAS = /^(?:\s*(["'])(use [a-z]+)\1\s*;?)+/;

/** Whether a clause (`{ type A, type B }`, `type X`) brings in only types, which the compiler erases. */
function soTipos(palavraType, clausula) {
  if (palavraType) return true;
  const chaves = clausula.trim().match(/^\{([\s\S]*)\}$/);
  if (!chaves) return false;
  const nomes = chaves[1]
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  return nomes.length > 0 && nomes.every((n) => n.startsWith("type "));
}

/** The imports of one module (static, re-exports, dynamic `import()`, `require`) and its directives. */
export function lerModulo(texto) {
  const codigo = soCodigo(texto);
  const ler = (m, grupo) => {
    // The specifier is read from the original text at the blanked string's place.
    const inicio = m.index + m[0].lastIndexOf(m[grupo]);
    return texto.slice(inicio, inicio + m[grupo].length);
  };
  const importacoes = [];
  let serverOnly = false;
  for (const m of codigo.matchAll(ESTATICA)) importacoes.push({ especificador: ler(m, 5), tipos: soTipos(m[2], m[3]) });
  for (const m of codigo.matchAll(SO_EFEITO)) {
    const especificador = ler(m, 2);
    if (especificador === "server-only") serverOnly = true;
    importacoes.push({ especificador, tipos: false });
  }
  for (const m of codigo.matchAll(DINAMICA)) importacoes.push({ especificador: ler(m, 4), tipos: Boolean(m[1]) });
  const diretivas = new Set();
  const topo = texto.replace(/^(?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/))*/, "").match(DIRETIVAS);
  if (topo) for (const d of topo[0].matchAll(/(["'])(use [a-z]+)\1/g)) diretivas.add(d[2]);
  return { importacoes, cliente: diretivas.has("use client"), acoesServidor: diretivas.has("use server"), serverOnly };
}

/** `@/…` and relative paths to a file of the tree (relative to the root), packages to their name. */
function resolver(raiz, arquivo, especificador, lidos) {
  let base;
  if (especificador.startsWith("@/")) base = especificador.slice(2);
  else if (especificador.startsWith("./") || especificador.startsWith("../"))
    base = path.posix.join(path.posix.dirname(arquivo), especificador);
  else return { pacote: especificador };
  const semJs = base.replace(/\.js$/, "");
  const candidatos = CANDIDATOS.flatMap((sufixo) => (sufixo && semJs !== base ? [base + sufixo, semJs + sufixo] : [base + sufixo]));
  // The files already read answer almost every import; the disk only for what lies outside them.
  const lido = candidatos.find((c) => lidos.has(c));
  if (lido) return { arquivo: lido };
  const noDisco = candidatos.find((c) => existsSync(path.join(raiz, c)) && statSync(path.join(raiz, c)).isFile());
  return { arquivo: noDisco ?? null };
}

/**
 * Checks a tree against the map. Returns every violation (file, import, rule), sorted; empty when the tree keeps
 * the order. `excecoes` defaults to EXCECOES; fixtures pass their own.
 */
export function verificarCamadas({ raiz, camadas = CAMADAS, excecoes = EXCECOES, semMarca = SEM_MARCA } = {}) {
  const unidades = unidadesDoMapa(camadas);
  const arquivos = listarArquivos(raiz);
  const modulos = new Map();
  for (const arquivo of arquivos) modulos.set(arquivo, lerModulo(readFileSync(path.join(raiz, arquivo), "utf8")));

  const violacoes = [];
  const violar = (arquivo, importacao, regra, detalhe) =>
    violacoes.push({ arquivo, importacao, regra, detalhe, explicacao: REGRAS[regra] });
  const isentas = new Set(excecoes.map((e) => `${e.de}→${e.para}`));
  const arestas = [];
  const usadas = new Set();

  for (const [arquivo, modulo] of modulos) {
    const origem = unidadeDe(arquivo, unidades);
    if (!origem) violar(arquivo, "", "foraDoMapa");
    const naInterface = origem?.camada === camadas[0].camada;
    const emLibOuDb = arquivo.startsWith("lib/") || arquivo.startsWith("db/");
    modulo.resolvidas = [];
    for (const { especificador, tipos } of modulo.importacoes) {
      const alvo = resolver(raiz, arquivo, especificador, modulos);
      if (alvo.pacote) {
        if (emLibOuDb && (alvo.pacote === "next" || alvo.pacote.startsWith("next/"))) violar(arquivo, especificador, "next");
        continue;
      }
      if (!alvo.arquivo) {
        violar(arquivo, especificador, "naoResolvido");
        continue;
      }
      if (!tipos) modulo.resolvidas.push({ especificador, arquivo: alvo.arquivo });
      if (naInterface && alvo.arquivo.startsWith("db/")) violar(arquivo, especificador, "interfaceDb", alvo.arquivo);
      const destino = unidadeDe(alvo.arquivo, unidades);
      if (!origem || !destino || origem === destino) continue;
      const chave = `${arquivo}→${alvo.arquivo}`;
      if (isentas.has(chave)) {
        usadas.add(chave);
        continue;
      }
      arestas.push({ arquivo, especificador, alvo: alvo.arquivo, origem, destino });
    }
  }

  // Folder pairs from the imports that count: a pair seen both ways is a cycle, whatever the order says.
  const pares = new Set(arestas.map((a) => `${a.origem.nome}→${a.destino.nome}`));
  for (const a of arestas) {
    const detalhe = `${a.origem.nome} (${a.origem.camada}) → ${a.destino.nome} (${a.destino.camada})`;
    if (pares.has(`${a.destino.nome}→${a.origem.nome}`)) violar(a.arquivo, a.especificador, "ciclo", detalhe);
    else if (a.destino.posicao < a.origem.posicao) violar(a.arquivo, a.especificador, "ordem", detalhe);
  }

  // An exception is stale once its import is gone or no longer goes up the order.
  for (const e of excecoes) {
    const chave = `${e.de}→${e.para}`;
    const de = unidadeDe(e.de, unidades);
    const para = unidadeDe(e.para, unidades);
    const sobe = de && para && de !== para && (para.posicao < de.posicao || pares.has(`${para.nome}→${de.nome}`));
    if (!usadas.has(chave) || !sobe) violar(e.de, e.para, "excecaoObsoleta", e.motivo);
  }

  // Server layers carry the mark, apart from the listed modules; a listed one that has it (or no longer exists) is stale.
  const dispensas = new Set();
  for (const [arquivo, modulo] of modulos) {
    const unidade = unidadeDe(arquivo, unidades);
    if (!unidade || !CAMADAS_DE_SERVIDOR.includes(unidade.camada) || modulo.serverOnly) continue;
    const dispensa = semMarca.find((s) => (s.arquivo.endsWith("/") ? arquivo.startsWith(s.arquivo) : arquivo === s.arquivo));
    if (dispensa) dispensas.add(dispensa);
    else violar(arquivo, "", "semMarca");
  }
  for (const s of semMarca) if (!dispensas.has(s)) violar(s.arquivo, "", "excecaoObsoleta", s.motivo);

  // Client components: follow the value imports (types are erased; a "use server" module is a reference, not code).
  for (const [arquivo, modulo] of modulos) {
    if (!modulo.cliente) continue;
    for (const direta of modulo.resolvidas) {
      const marcado = primeiroServerOnly(direta.arquivo, modulos);
      if (marcado) violar(arquivo, direta.especificador, "serverOnly", marcado);
    }
  }

  violacoes.sort(
    (a, b) => a.arquivo.localeCompare(b.arquivo) || a.importacao.localeCompare(b.importacao) || a.regra.localeCompare(b.regra),
  );
  return { violacoes, arquivos: arquivos.length };
}

function primeiroServerOnly(inicio, modulos) {
  const vistos = new Set();
  const fila = [inicio];
  while (fila.length > 0) {
    const arquivo = fila.shift();
    if (vistos.has(arquivo)) continue;
    vistos.add(arquivo);
    const modulo = modulos.get(arquivo);
    if (!modulo || modulo.acoesServidor) continue;
    if (modulo.serverOnly) return arquivo;
    for (const r of modulo.resolvidas) fila.push(r.arquivo);
  }
  return null;
}

/** One line per violation: file → import, the rule, and what it is about. */
export function formatarViolacao(v) {
  const importacao = v.importacao ? ` → ${v.importacao}` : "";
  const detalhe = v.detalhe ? ` [${v.detalhe}]` : "";
  return `${v.arquivo}${importacao}: ${v.regra}: ${v.explicacao}${detalhe}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const inicio = performance.now();
  // Another tree may be named (a fixture); its exceptions are its own, so none apply there.
  const outra = process.argv[2] ? path.resolve(process.argv[2]) : null;
  const raiz = outra ?? path.resolve(import.meta.dirname, "..");
  const { violacoes, arquivos } = verificarCamadas({ raiz, excecoes: outra ? [] : EXCECOES, semMarca: outra ? [] : SEM_MARCA });
  for (const v of violacoes) console.error(formatarViolacao(v));
  const ms = Math.round(performance.now() - inicio);
  console.log(
    `${arquivos} arquivos lidos em ${ms} ms: ${violacoes.length === 0 ? "as camadas estão em ordem" : `${violacoes.length} violação(ões)`}.`,
  );
  process.exit(violacoes.length === 0 ? 0 : 1);
}
