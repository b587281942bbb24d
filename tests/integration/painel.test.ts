import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ms, tokS } from "@/components/formatos";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { clienteApi } from "../support/cliente-api";
import { app as appCompartilhado } from "../support/contexto";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// The overview (/painel) on an app of its own, so its totals are this file's traffic only; the monitor is off, so
// whatever reaches the test servers after the setup is the page's doing.

let ollama: OllamaFalso;
let lmStudio: LmStudioFalso;
let servidor: ServidorApp;
const rest = () => clienteApi(`${servidor.url}/api/provedores-llm`);

beforeAll(async () => {
  [ollama, lmStudio, servidor] = await Promise.all([
    new OllamaFalso({
      modelos: [
        { id: "llama3.2:latest", carregado: true },
        { id: "qwen2.5:7b", carregado: false },
        { id: "nomic-embed-text:latest", carregado: true },
      ],
      resposta: "um dois três",
    }).iniciar(),
    new LmStudioFalso({
      modelos: [
        { id: "qwen2.5-coder-7b", carregado: true },
        { id: "gemma-3-4b", carregado: false },
      ],
      resposta: "quatro cinco",
    }).iniciar(),
    iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado" }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([ollama?.parar(), lmStudio?.parar(), servidor?.parar()]);
});

/** The page as a browser gets it, with React's text separators taken out. */
async function painel(): Promise<string> {
  const r = await clienteApi(servidor.url).pedir<string>("/painel", { headers: { accept: "text/html" } });
  expect(r.status).toBe(200);
  return r.texto.replace(/<!-- -->/g, "");
}

/** The HTML of one server's card, up to the next card. */
function cartao(html: string, nome: string): string {
  const inicio = html.indexOf(`data-servidor="${nome}"`);
  expect(inicio, `cartão de ${nome}`).toBeGreaterThan(-1);
  const proximo = html.indexOf("data-servidor=", inicio + 1);
  return html.slice(inicio, proximo === -1 ? undefined : proximo);
}

function valor(html: string, rotulo: string): string {
  const m = new RegExp(`data-rotulo="${rotulo.replace(/[()]/g, "\\$&")}">(?:<span[^>]*>)?([^<]*)`).exec(html);
  expect(m, rotulo).not.toBeNull();
  return m![1]!;
}

const chips = (html: string) => [...html.matchAll(/data-modelo-carregado="([^"]+)"/g)].map((m) => m[1]).sort();

describe("GET /painel", () => {
  it("with no server registered: says so, offers the discovery and a new provider", async () => {
    const html = await painel();
    expect(html).toContain("Nenhum provedor cadastrado ainda");
    expect(html).toContain("Procurar servidores");
    expect(html).toContain('href="/provedores-llm/novo"');
    expect(html).not.toContain("data-servidor=");
  });

  it("/ leads a browser to it", async () => {
    const r = await clienteApi(servidor.url).resposta("/", { headers: { accept: "text/html" }, redirect: "manual" });
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toMatch(/\/painel$/);
  });

  it("shows every server's loaded models, counts and 24 h traffic from the cache and statistics, asking no server", async () => {
    const ids: Record<string, number> = {};
    for (const [nome, tipo, url] of [
      ["Ollama da sala", "ollama", ollama.url],
      ["LM Studio da mesa", "lm_studio", lmStudio.url],
    ] as const) {
      const r = await rest().pedir<{ id: number }>("", { json: { nome, tipo, base_url: url } });
      expect(r.status, r.texto).toBe(201);
      ids[nome] = r.corpo.id;
      // The test fills the status and the model cache: the page only reads them.
      expect((await rest().pedir<{ sucesso: boolean }>(`/${r.corpo.id}/testar`, { method: "POST" })).corpo.sucesso).toBe(true);
    }

    // no traffic yet: the page says how to send some
    const semTrafego = await painel();
    expect(semTrafego).toContain("data-sem-trafego");
    expect(semTrafego).toContain('href="/provedores-llm/api"');

    const pedidos: [string, number][] = [
      ["Ollama da sala", 3],
      ["LM Studio da mesa", 2],
    ];
    for (const [nome, n] of pedidos) {
      for (let i = 0; i < n; i++) {
        const r = await rest().pedir(`/${ids[nome]}/requisicao`, { json: { mensagens: [{ role: "user", content: "oi" }] } });
        expect(r.status, r.texto).toBe(200);
      }
    }

    const antes = [ollama.recebidas.length, lmStudio.recebidas.length];
    const html = await painel();
    await painel();
    expect([ollama.recebidas.length, lmStudio.recebidas.length]).toEqual(antes);

    expect(html).not.toContain("data-sem-trafego");
    const ollamaCartao = cartao(html, "Ollama da sala");
    const lmCartao = cartao(html, "LM Studio da mesa");
    expect(chips(ollamaCartao)).toEqual(["llama3.2:latest", "nomic-embed-text:latest"]);
    expect(chips(lmCartao)).toEqual(["qwen2.5-coder-7b"]);
    expect(valor(ollamaCartao, "Modelos")).toBe("3");
    expect(valor(lmCartao, "Modelos")).toBe("2");
    for (const [nome, n] of pedidos) {
      const c = cartao(html, nome);
      expect(c).toContain('data-status="online"');
      expect(valor(c, "Requisições (24 h)")).toBe(String(n));
      // the same figures as the server's own page and statistics
      const provedor = await rest().pedir<{ ultima_latencia_ms: number | null }>(`/${ids[nome]}`);
      expect(valor(c, "Última verificação")).toBe(ms(provedor.corpo.ultima_latencia_ms));
      const e = await rest().pedir<{ total_requisicoes: number; p95_ms: number | null; p50_tokens_por_segundo: number | null }>(
        `/${ids[nome]}/estatisticas?periodo=24h`,
      );
      expect(e.corpo.total_requisicoes).toBe(n);
      expect(e.corpo.p95_ms).not.toBeNull();
      expect(valor(c, "p95 (24 h)")).toBe(ms(e.corpo.p95_ms));
      // the typical generation speed is the statistics' p50 tokens/s, the same figure as the server's page
      expect(e.corpo.p50_tokens_por_segundo).not.toBeNull();
      expect(valor(c, "Geração típica")).toBe(tokS(e.corpo.p50_tokens_por_segundo));
    }

    // the totals: both servers online, 3 of 5 models loaded, today's 5 requests, their tokens, no error
    const tokens = await Promise.all(
      Object.values(ids).map(
        async (id) => (await rest().pedir<{ tokens_totais: number }>(`/${id}/estatisticas?periodo=24h`)).corpo.tokens_totais,
      ),
    );
    expect(tokens.every((t) => t > 0)).toBe(true);
    expect(html).toMatch(/data-rotulo="Servidores online"><span data-servidores-online="2">2\/2</);
    expect(valor(html, "Modelos carregados")).toBe("3/5");
    expect(valor(html, "Requisições hoje")).toBe("5");
    expect(valor(html, "Erros hoje")).toBe("0");
    expect(valor(html, "Tokens hoje")).toBe((tokens[0]! + tokens[1]!).toLocaleString("pt-BR"));
    expect(valor(html, "p95 hoje")).toMatch(/^\d+ ms$|^[\d,]+ s$/);
  });
});
