import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogoDeModelos, ModeloDoCatalogo } from "@/lib/schemas/catalogo";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { clienteApi } from "../support/cliente-api";
import { api, rotasDoApp } from "../support/contexto";
import { conversarV1, criarProvedor } from "../support/llm";
import { entrarSemJs } from "../support/login";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

const sufixo = randomUUID().slice(0, 8);
// Names of this file only: other files' providers share the app and its catalogue.
const COMUM = `catalogo-comum-${sufixo}:7b`;
const SO_NO_OLLAMA = `catalogo-embed-${sufixo}:latest`;

function catalogo(consulta = ""): Promise<Response> {
  return rotasDoApp().resposta(`/api/modelos${consulta}`);
}

async function modelos(consulta = ""): Promise<ModeloDoCatalogo[]> {
  const r = await catalogo(consulta);
  expect(r.status, await r.clone().text()).toBe(200);
  return ((await r.json()) as CatalogoDeModelos).modelos.filter((m) => m.ids.some((id) => id.includes(sufixo)));
}

describe("GET /api/modelos: one catalogue of every model on every active server, from the cache", () => {
  let ollama: OllamaFalso;
  let lmStudio: LmStudioFalso;
  let idOllama: number;
  let idLm: number;
  let slugOllama: string;

  beforeAll(async () => {
    ollama = await new OllamaFalso({
      modelos: [
        { id: COMUM, carregado: true, familia: "qwen2", parametros: "7.6B", quantizacao: "Q4_K_M", tamanho: 4_683_087_332 },
        { id: SO_NO_OLLAMA, carregado: false, capacidades: ["embedding"] },
      ],
    }).iniciar();
    lmStudio = await new LmStudioFalso({ modelos: [{ id: COMUM, carregado: false }] }).iniciar();
    idOllama = await criarProvedor("ollama", ollama.url);
    idLm = await criarProvedor("lm_studio", lmStudio.url);
    // The caches are filled by asking each server once, as "Testar" or "Atualizar lista" does.
    for (const id of [idOllama, idLm]) expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
    slugOllama = ((await (await api(`/${idOllama}`)).json()) as { slug: string }).slug;
  });
  afterAll(async () => {
    await api(`/${idOllama}`, { method: "DELETE" });
    await api(`/${idLm}`, { method: "DELETE" });
    await Promise.all([ollama.parar(), lmStudio.parar()]);
  });

  it("the same model on two servers is one row with both, each with its loaded state and its /v1 ids; nothing reaches a server", async () => {
    const antes = [ollama.recebidas.length, lmStudio.recebidas.length];
    const lista = await modelos();
    expect([ollama.recebidas.length, lmStudio.recebidas.length]).toEqual(antes);

    expect(lista.map((m) => m.modelo).sort()).toEqual([COMUM, SO_NO_OLLAMA].sort());
    const comum = lista.find((m) => m.modelo === COMUM)!;
    expect(comum.ids).toEqual([COMUM]);
    expect(comum.carregado).toBe(true);
    expect(comum.familia).toBe("qwen2");
    expect(comum.parametros).toBe("7.6B");
    expect(comum.quantizacao).toBe("Q4_K_M");
    expect(comum.tamanho_bytes).toBe(4_683_087_332);
    expect(comum.capacidades).toEqual(["chat", "ferramentas"]);
    expect(comum.capacidades_informadas).toBe(true);
    const porServidor = Object.fromEntries(comum.servidores.map((s) => [s.provedor_id, s]));
    expect(Object.keys(porServidor).map(Number).sort()).toEqual([idOllama, idLm].sort());
    expect(porServidor[idOllama]).toMatchObject({
      tipo: "ollama",
      carregado: true,
      modelo: COMUM,
      id_fixo: `${slugOllama}/${COMUM}`,
      acoes: { carregar: true, descarregar: true },
    });
    expect(porServidor[idOllama]!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(porServidor[idLm]).toMatchObject({ tipo: "lm_studio", carregado: false, digest: null, acoes: { carregar: true } });
    // The loaded server first.
    expect(comum.servidores[0]!.provedor_id).toBe(idOllama);

    const so = lista.find((m) => m.modelo === SO_NO_OLLAMA)!;
    expect(so.servidores.map((s) => s.provedor_id)).toEqual([idOllama]);
    expect(so.carregado).toBe(false);
    expect(so.capacidades).toEqual(["embeddings"]);
  });

  it("each /v1 id it gives works: the pinned one goes to its server, and the row counts that traffic", async () => {
    const comum = (await modelos()).find((m) => m.modelo === COMUM)!;
    const fixo = comum.servidores.find((s) => s.provedor_id === idOllama)!.id_fixo;
    const r = await conversarV1(fixo);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(r.headers.get("x-provedor-id")).toBe(String(idOllama));
    const r2 = await conversarV1(COMUM);
    expect(r2.status, await r2.clone().text()).toBe(200);

    const depois = (await modelos()).find((m) => m.modelo === COMUM)!;
    const noOllama = depois.servidores.find((s) => s.provedor_id === idOllama)!.uso_24h;
    const noLm = depois.servidores.find((s) => s.provedor_id === idLm)!.uso_24h;
    expect(noOllama.requisicoes + noLm.requisicoes).toBe(2);
    expect(noOllama.requisicoes).toBeGreaterThanOrEqual(1);
    expect(depois.uso_24h.requisicoes).toBe(2);
    expect(depois.uso_24h.erros).toBe(0);
    expect(depois.uso_24h.tokens).toBe(noOllama.tokens + noLm.tokens);
    expect(depois.uso_24h.tokens).toBeGreaterThan(0);
    // The other model had none.
    expect((await modelos()).find((m) => m.modelo === SO_NO_OLLAMA)!.uso_24h).toEqual({ requisicoes: 0, tokens: 0, erros: 0 });
  });

  it("filters: loaded, server type, capability, text; combined", async () => {
    const nomes = async (consulta: string) => (await modelos(consulta)).map((m) => m.modelo).sort();
    expect(await nomes("?carregado=true")).toEqual([COMUM]);
    expect(await nomes("?carregado=false")).toEqual([SO_NO_OLLAMA]);
    expect(await nomes("?tipo=lm_studio")).toEqual([COMUM]);
    expect(await nomes("?tipo=ollama")).toEqual([COMUM, SO_NO_OLLAMA].sort());
    expect(await nomes("?tipo=llama_cpp")).toEqual([]);
    expect(await nomes("?capacidade=embeddings")).toEqual([SO_NO_OLLAMA]);
    expect(await nomes("?capacidade=ferramentas")).toEqual([COMUM]);
    expect(await nomes("?capacidade=visao")).toEqual([]);
    expect(await nomes(`?q=${encodeURIComponent(`EMBED-${sufixo}`)}`)).toEqual([SO_NO_OLLAMA]);
    expect(await nomes("?q=qwen2")).toEqual([COMUM]);
    expect(await nomes("?tipo=ollama&carregado=false&capacidade=embeddings")).toEqual([SO_NO_OLLAMA]);
    expect(await nomes("?tipo=lm_studio&capacidade=embeddings")).toEqual([]);
  });

  it("a filter it does not know is a 400 in the contract's shape, in Portuguese", async () => {
    for (const [consulta, campo, texto] of [
      ["?carregado=talvez", "carregado", "true ou false"],
      ["?tipo=vllm", "tipo", "lm_studio, llama_cpp, ollama ou openai_compativel"],
      ["?capacidade=voar", "capacidade", "chat, embeddings, visao ou ferramentas"],
      [`?q=${"x".repeat(201)}`, "q", "200 caracteres"],
    ] as const) {
      const r = await catalogo(consulta);
      expect(r.status, consulta).toBe(400);
      const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string; detalhes: { campos: Record<string, string[]> } } };
      expect(corpo.erro.codigo).toBe("validacao");
      expect(corpo.erro.mensagem).toContain(texto);
      expect(corpo.erro.detalhes.campos[campo]?.[0]).toContain(texto);
    }
  });

  it("an inactive server's models are not listed; the model it shares stays with the other server", async () => {
    expect((await api(`/${idLm}`, { method: "PUT", json: { ativo: false } })).status).toBe(200);
    try {
      const comum = (await modelos()).find((m) => m.modelo === COMUM)!;
      expect(comum.servidores.map((s) => s.provedor_id)).toEqual([idOllama]);
      expect(await modelos("?tipo=lm_studio")).toEqual([]);
    } finally {
      expect((await api(`/${idLm}`, { method: "PUT", json: { ativo: true } })).status).toBe(200);
    }
  });

  it("the /modelos page shows the merged row, each /v1 id on a copy button, and a bad filter's message", async () => {
    const pagina = await rotasDoApp().pedir("/modelos");
    expect(pagina.status).toBe(200);
    const linha =
      new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*${COMUM.replace(/[.:]/g, "\\$&")}(?:(?!</tr>)[\\s\\S])*</tr>`).exec(pagina.texto)?.[0] ??
      "";
    expect(linha).toContain(`data-texto="${COMUM}"`);
    expect(linha).toContain(`data-texto="${slugOllama}/${COMUM}"`);
    expect(linha).toContain(`href="/provedores-llm/${idOllama}/modelos"`);
    expect(linha).toContain(`href="/provedores-llm/${idLm}/modelos"`);
    expect(linha).toContain("Não carregado");
    expect(linha).not.toContain(SO_NO_OLLAMA);
    const filtrada = await rotasDoApp().pedir(`/modelos?capacidade=embeddings&q=${sufixo}`);
    expect(filtrada.texto).toContain(SO_NO_OLLAMA);
    expect(filtrada.texto).not.toContain(`data-texto="${COMUM}"`);
    const errada = await rotasDoApp().pedir("/modelos?capacidade=voar");
    expect(errada.status).toBe(200);
    expect(errada.texto).toContain("capacidade deve ser chat, embeddings, visao ou ferramentas.");
  });

  it("is in the OpenAPI document, with its filters", async () => {
    const doc = (await (await rotasDoApp().resposta("/api/openapi.json")).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.paths["/api/modelos"]?.get?.parameters?.map((p) => p.name).sort()).toEqual(["capacidade", "carregado", "q", "tipo"]);
    expect(doc.components.schemas.CatalogoDeModelos).toBeDefined();
  });
});

describe("GET /api/modelos behind the same gate as the rest of /api", () => {
  const TOKEN = "token-do-catalogo-bem-comprido";
  let protegido: ServidorApp;
  beforeAll(async () => {
    protegido = await iniciarApp({ AUTH_TOKEN: TOKEN });
  });
  afterAll(() => protegido.parar());

  it("with AUTH_TOKEN: 401 without it, 200 with it; an access key gets what it gets on the other management routes", async () => {
    const semToken = await clienteApi(protegido.url).pedir<{ erro: { codigo: string } }>("/api/modelos");
    expect(semToken.status).toBe(401);
    expect(semToken.corpo.erro.codigo).toBe("nao_autorizado");
    const admin = clienteApi(protegido.url, { token: TOKEN });
    const ok = await admin.pedir<CatalogoDeModelos>("/api/modelos");
    expect(ok.status, ok.texto).toBe(200);
    expect(ok.corpo).toEqual({ modelos: [], servidores_ativos: 0, total_modelos: 0 });

    const chave = await admin.pedir<{ chave: string }>("/api/chaves", { json: { nome: "Script do catálogo" } });
    expect(chave.status, chave.texto).toBe(201);
    const comChave = clienteApi(protegido.url, { token: chave.corpo.chave });
    const outra = await comChave.pedir<{ erro: { codigo: string } }>("/api/provedores-llm");
    const catalogo = await comChave.pedir<{ erro: { codigo: string } }>("/api/modelos");
    expect(outra.status).toBe(403);
    expect(catalogo.status, catalogo.texto).toBe(outra.status);
    expect(catalogo.corpo.erro.codigo).toBe(outra.corpo.erro.codigo);
  });

  it('the page\'s empty states: no server leads to "Novo provedor" and the discovery; no model says to test the connection', async () => {
    const cookie = await entrarSemJs(protegido.url, TOKEN);
    expect(cookie).toBeTruthy();
    const navegador = clienteApi(protegido.url, { cookie: cookie! });
    const vazia = await navegador.pedir("/modelos");
    expect(vazia.status).toBe(200);
    expect(vazia.texto).toContain("Nenhum servidor ativo");
    expect(vazia.texto).toContain('href="/provedores-llm/novo"');
    expect(vazia.texto).toContain("Procurar servidores");
    const criado = await clienteApi(protegido.url, { token: TOKEN }).pedir("/api/provedores-llm", {
      json: { nome: "Sem lista ainda", tipo: "ollama", base_url: "http://127.0.0.1:9" },
    });
    expect(criado.status, criado.texto).toBe(201);
    const semModelos = await navegador.pedir("/modelos");
    expect(semModelos.texto).toContain("Nenhum modelo em cache. Teste a conexão");
    expect(semModelos.texto).not.toContain("Nenhum servidor ativo");
  });
});
