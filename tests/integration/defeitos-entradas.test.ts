import { createClient } from "@libsql/client";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DescobertaServidores } from "@/lib/schemas/llm";
import { OllamaFalso } from "../servidores/ollama";
import { api, app, banco } from "../support/contexto";
import { criarProvedor, lerEstatisticas, MENSAGENS } from "../support/llm";
import { entrarSemJs } from "../support/login";
import { iniciarApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

type Provedor = { id: number; nome: string; slug: string };
type Erro = { erro: { codigo: string; mensagem: string; detalhes?: { campos?: Record<string, string[]> } } };

const sufixo = () => randomBytes(4).toString("hex");
const ouvir = (servidor: http.Server, host = "127.0.0.1") =>
  new Promise<number>((r) => servidor.listen(0, host, () => r((servidor.address() as AddressInfo).port)));
const fechar = (servidor: http.Server) => new Promise((r) => servidor.close(r));

async function postar(nome: string, extra: Record<string, unknown> = {}): Promise<Response> {
  return api("", { method: "POST", json: { nome, tipo: "ollama", base_url: "http://127.0.0.1:9", ...extra } });
}

describe("pinned /v1 ids: a stored slug per provider", () => {
  let ollama: OllamaFalso;
  const modelo = `m1-${sufixo()}`;
  beforeAll(async () => {
    ollama = await new OllamaFalso({ modelos: [{ id: modelo, carregado: true }] }).iniciar();
  });
  afterAll(() => ollama.parar());

  it('"dup", "dup 5" and "DUP!" get three slugs, each pins its own provider, and a rename keeps the slug', async () => {
    const base = `dup${sufixo()}`;
    const criados: Provedor[] = [];
    for (const nome of [base, `${base} 5`, `${base.toUpperCase()}!`]) {
      const r = await postar(nome, { base_url: ollama.url });
      expect(r.status).toBe(201);
      criados.push((await r.json()) as Provedor);
    }
    expect(criados.map((p) => p.slug)).toEqual([base, `${base}-5`, `${base}--2`]);
    for (const p of criados) expect((await api(`/${p.id}/testar`, { method: "POST" })).status).toBe(200);

    const ids = ((await (await fetch(`${app().url}/v1/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id);
    const fixos = ids.filter((id) => id.endsWith(`/${modelo}`));
    expect(fixos.sort()).toEqual(criados.map((p) => `${p.slug}/${modelo}`).sort());

    // each pinned id reaches its provider, the middle one included
    for (const p of criados) {
      const r = await fetch(`${app().url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: `${p.slug}/${modelo}`, messages: [{ role: "user", content: "oi" }] }),
      });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
      expect((await lerEstatisticas(p.id)).total_requisicoes).toBe(1);
    }

    // the page that shows the /v1 ids shows the three
    const pagina = await (await fetch(`${app().url}/provedores-llm/api`)).text();
    for (const p of criados) expect(pagina).toContain(`${p.slug}/${modelo}`);

    // a rename keeps the slug, so a program that pinned it keeps working
    const [, meio] = criados;
    const renomeado = await api(`/${meio!.id}`, { method: "PUT", json: { nome: `Outro nome ${base}` } });
    expect(renomeado.status).toBe(200);
    expect((await renomeado.json()) as Provedor).toMatchObject({ nome: `Outro nome ${base}`, slug: meio!.slug });
    expect(((await (await api(`/${meio!.id}`)).json()) as Provedor).slug).toBe(meio!.slug);
    const detalhes = await (await fetch(`${app().url}/provedores-llm/${meio!.id}/detalhes`)).text();
    expect(detalhes).toContain(`${meio!.slug}/&lt;modelo&gt;`);
    const r = await fetch(`${app().url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: `${meio!.slug}/${modelo}`, messages: [{ role: "user", content: "oi" }] }),
    });
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    // and the freed name's slug is not reused: a new provider of the old name gets a suffixed one
    const novo = (await (await postar(`${base} 5`)).json()) as Provedor;
    expect(novo.slug).toBe(`${base}-5--2`);
    expect((await banco().execute({ sql: "select count(*) as n from provedores_llm where slug = ?", args: [meio!.slug] })).rows[0]!.n).toBe(
      1,
    );
  });
});

describe("names that look the same are one name", () => {
  it("case, composition and ß are folded; controls and invisible characters are refused; the name is stored as NFC", async () => {
    const s = sufixo();
    const criado = await postar(`Servidor Ação ${s}`);
    expect(criado.status).toBe(201);
    for (const igual of [
      `SERVIDOR AÇÃO ${s}`,
      `Servidor Ação ${s}`.normalize("NFD"),
      `servidor ação ${s.toUpperCase()}`,
      `Servidor  Ação ${s}`,
    ]) {
      const r = await postar(igual);
      expect(r.status, igual).toBe(409);
      expect(((await r.json()) as Erro).erro.codigo).toBe("nome_duplicado");
    }
    expect((await postar(`Straße ${s}`)).status).toBe(201);
    expect((await postar(`STRASSE ${s}`)).status).toBe(409);

    for (const [invisivel, codigo] of [
      [`Servidor\u200bAção ${s}`, "U+200B"],
      [`nul\u0000a ${s}`, "U+0000"],
      [`nul\u0000b ${s}`, "U+0000"],
      [`dir\u202e ${s}`, "U+202E"],
    ] as const) {
      const r = await postar(invisivel);
      expect(r.status, codigo).toBe(400);
      const { erro } = (await r.json()) as Erro;
      expect(erro.codigo).toBe("validacao");
      expect(erro.detalhes?.campos?.nome?.[0]).toContain(codigo);
    }
    expect((await banco().execute({ sql: "select count(*) as n from provedores_llm where nome like ?", args: [`nul%`] })).rows[0]!.n).toBe(
      0,
    );

    // NFD in, NFC stored and returned
    const nfd = `José ${s}`.normalize("NFD");
    const r = await postar(`  ${nfd}  `);
    expect(r.status).toBe(201);
    const { id, nome } = (await r.json()) as Provedor;
    expect(nome).toBe(`José ${s}`.normalize("NFC"));
    const linha = await banco().execute({ sql: "select nome from provedores_llm where id = ?", args: [id] });
    expect(linha.rows[0]!.nome).toBe(`José ${s}`.normalize("NFC"));

    // at the same moment too: the unique key decides, and slugs taken meanwhile are picked again
    const juntos = await Promise.all(
      [`Corrida ${s}`, `CORRIDA ${s}`, `corrida ${s}`, `Corrida ${s}`.normalize("NFD")].map((n) => postar(n)),
    );
    expect(juntos.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const parecidos = await Promise.all([`Par ${s}`, `par-${s}`, `PAR ${s}!`, `par ${s}?`].map((n) => postar(n)));
    expect(parecidos.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const slugs = await Promise.all(parecidos.map(async (r) => ((await r.json()) as Provedor).slug));
    expect(slugs.sort()).toEqual([`par-${s}`, `par-${s}--2`, `par-${s}--3`, `par-${s}--4`]);

    // a rename into a name that folds to another's is refused too
    const ren = await api(`/${id}`, { method: "PUT", json: { nome: `SERVIDOR AÇÃO ${s}` } });
    expect(ren.status).toBe(409);
  });

  it('stop: [""] is refused wherever a stop list is accepted', async () => {
    const r = await postar(`Parada ${sufixo()}`, { configuracao: { stop: [""] } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Erro).erro.detalhes?.campos?.["configuracao.stop.0"]?.[0]).toContain("vazia");
    const id = await criarProvedor("ollama", "http://127.0.0.1:9");
    const req = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, configuracao: { stop: ["fim", ""] } } });
    expect(req.status).toBe(400);
    for (const stop of ["", [""]]) {
      for (const [caminho, extra] of [
        ["chat/completions", { messages: [{ role: "user", content: "oi" }] }],
        ["completions", { prompt: "oi" }],
      ] as const) {
        const v1 = await fetch(`${app().url}/v1/${caminho}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "qualquer", stop, ...extra }),
        });
        expect(v1.status, `${caminho} ${JSON.stringify(stop)}`).toBe(400);
        const corpo = (await v1.json()) as { error: { message: string } };
        expect(corpo.error.message).toContain("stop");
      }
    }
  });
});

describe("metrics: a deleted provider frees its labels", () => {
  let ollama: OllamaFalso;
  beforeAll(async () => {
    ollama = await new OllamaFalso({ modelos: [{ id: "llama3.2:latest", carregado: true }] }).iniciar();
  });
  afterAll(() => ollama.parar());

  it("after 1 000 model names on a deleted provider, a new provider's traffic keeps its model label", { timeout: 120_000 }, async () => {
    const antigo = await criarProvedor("ollama", ollama.url);
    for (let lote = 0; lote < 1000; lote += 25) {
      const respostas = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          api(`/${antigo}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: `sumido-${lote + i}` } }),
        ),
      );
      for (const r of respostas) {
        expect(r.status).toBe(404);
        await r.arrayBuffer();
      }
    }
    expect((await api(`/${antigo}`, { method: "DELETE" })).status).toBe(204);

    const novo = await criarProvedor("ollama", ollama.url);
    const r = await api(`/${novo}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, modelo: "llama3.2:latest" } });
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    const familias = parsePrometheusTextFormat(await (await fetch(`${app().url}/api/metrics`)).text());
    const amostras = familias
      .find((f) => f.name === "provedores_llm_requisicoes_total")!
      .metrics.filter((m) => m.labels?.provedor_id === String(novo));
    expect(amostras.map((m) => [m.labels?.modelo, m.labels?.codigo, m.value])).toEqual([["llama3.2:latest", "sucesso", "1"]]);
  });
});

describe("discovery: each probe once, a small body, repeated parameters", () => {
  // Counts what it is asked, answering as a bare OpenAI-compatible server.
  const pedidos: string[] = [];
  const contador = http.createServer((req, res) => {
    pedidos.push(req.url ?? "");
    res.setHeader("content-type", "application/json");
    if (req.url === "/v1/models") return res.end(JSON.stringify({ object: "list", data: [{ id: "contado", object: "model" }] }));
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { message: "not found" } }));
  });
  // Answers /api/version with 64 MiB, as fast as the client reads, and notes how much it got to send.
  const enorme = { enviados: 0, fechou: false };
  const gigante = http.createServer((req, res) => {
    if (req.url !== "/api/version") {
      res.statusCode = 404;
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/json" });
    const pedaco = Buffer.alloc(64 * 1024, "x");
    res.write('{"version":"');
    const enviar = () => {
      while (!res.destroyed && enorme.enviados < 64 * 1024 * 1024) {
        enorme.enviados += pedaco.length;
        if (!res.write(pedaco)) return void res.once("drain", enviar);
      }
      if (!res.destroyed) res.end('"}');
    };
    res.on("close", () => (enorme.fechou = !res.writableFinished));
    enviar();
  });
  const ipv6 = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ version: "0.12.3" }));
  });
  let portaContador = 0;
  let portaGigante = 0;
  let portaIpv6 = 0;
  let ollama: OllamaFalso;
  beforeAll(async () => {
    portaContador = await ouvir(contador);
    portaGigante = await ouvir(gigante);
    portaIpv6 = await ouvir(ipv6, "::1");
    ollama = await new OllamaFalso().iniciar();
  });
  afterAll(async () => {
    await Promise.all([fechar(contador), fechar(gigante), fechar(ipv6), ollama.parar()]);
  });

  const descobrir = async (consulta: string) => {
    const r = await api(`/descobrir?${consulta}`);
    return { status: r.status, corpo: (await r.json()) as DescobertaServidores & Erro };
  };

  it("a host named twice is probed once, and the cap counts distinct probes", async () => {
    pedidos.length = 0;
    const r = await descobrir(`hosts=127.0.0.1&hosts=127.0.0.1,127.0.0.1&portas=${portaContador}`);
    expect(r.status).toBe(200);
    expect(r.corpo.hosts).toEqual(["127.0.0.1"]);
    expect(r.corpo.servidores.filter((s) => s.base_url === `http://127.0.0.1:${portaContador}`)).toHaveLength(1);
    expect(pedidos.filter((p) => p === "/v1/models")).toHaveLength(1);

    // 40 times one host is one host; 17 distinct hosts by 4 ports is past 64
    expect((await descobrir(`hosts=${Array(40).fill("127.0.0.1").join(",")}&portas=${portaContador}`)).status).toBe(200);
    const muitos = Array.from({ length: 17 }, (_, i) => `127.0.0.${i + 2}`).join(",");
    const recusado = await descobrir(`hosts=${muitos}&portas=${portaContador}`);
    expect(recusado.status).toBe(400);
    expect(recusado.corpo.erro.mensagem).toMatch(/\d+ combinações/);
  });

  it("a probe reads a few KiB at most: a huge body is cut, not read", async () => {
    const r = await descobrir(`portas=${portaGigante}`);
    expect(r.status).toBe(200);
    expect(r.corpo.servidores.some((s) => s.base_url.endsWith(`:${portaGigante}`))).toBe(false);
    // The socket buffers hold some MiB; a reader that took 16 MiB would have let far more through.
    expect(enorme.fechou).toBe(true);
    expect(enorme.enviados).toBeLessThan(8 * 1024 * 1024);
  });

  it("portas and hosts may repeat or be comma-separated; [::1], host:port and [::1]:port work; bad forms are a 400", async () => {
    const ambos = await descobrir(`portas=${portaContador}&portas=${ollama.porta}`);
    expect(ambos.status).toBe(200);
    const urls = ambos.corpo.servidores.map((s) => s.base_url);
    expect(urls).toEqual(expect.arrayContaining([`http://127.0.0.1:${portaContador}`, `http://127.0.0.1:${ollama.porta}`]));
    expect(ambos.corpo.portas).toEqual(expect.arrayContaining([portaContador, ollama.porta]));

    const formas = await descobrir(`hosts=[::1]:${portaIpv6}&hosts=127.0.0.1:${ollama.porta}`);
    expect(formas.status).toBe(200);
    expect(formas.corpo.hosts).toEqual(["::1", "127.0.0.1"]);
    expect(formas.corpo.servidores).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tipo: "ollama", base_url: `http://[::1]:${portaIpv6}`, nome_sugerido: `Ollama ([::1]:${portaIpv6})` }),
        expect.objectContaining({ tipo: "ollama", base_url: `http://127.0.0.1:${ollama.porta}` }),
      ]),
    );
    const nu = await descobrir(`hosts=::1&portas=${portaIpv6}`);
    expect(nu.corpo.servidores.map((s) => s.base_url)).toContain(`http://[::1]:${portaIpv6}`);
    const colchetes = await descobrir(`hosts=[::1]&portas=${portaIpv6}`);
    expect(colchetes.corpo.servidores.map((s) => s.base_url)).toContain(`http://[::1]:${portaIpv6}`);

    for (const ruim of ["[::1", "maquina:99999", "maquina:abc", "a:b:c", "[::1]:0"]) {
      const r = await descobrir(`hosts=${encodeURIComponent(ruim)}`);
      expect(r.status, ruim).toBe(400);
      expect(r.corpo.erro.codigo).toBe("validacao");
      expect(r.corpo.erro.mensagem).toContain(ruim);
    }
  });

  it("the OpenAPI document says both forms are accepted, and that a provider has a slug", async () => {
    const doc = (await (await fetch(`${app().url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get: { parameters: { name: string; explode?: boolean; description?: string }[] } }>;
      components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
    };
    const parametros = doc.paths["/api/provedores-llm/descobrir"]!.get.parameters;
    expect(doc.components.schemas.ProvedorLLM!.required).toContain("slug");
    expect(doc.components.schemas.ProvedorLLM!.properties!.slug).toMatchObject({ type: "string" });
    for (const nome of ["portas", "hosts"]) {
      const p = parametros.find((x) => x.name === nome)!;
      expect(p.explode, nome).toBe(true);
      expect(p.description, nome).toMatch(/Repita o parâmetro.*vírgula/);
    }
  });
});

// On an app of its own, once (it does not depend on the shared app's database mode).
describe.runIf(app().modoBanco === "arquivo")("login sessions", () => {
  it("sessions are capped per token: past 20 logins the oldest ends", { timeout: 90_000 }, async () => {
    const token = "token-das-sessoes-123";
    const servidor = await iniciarApp({ DATABASE_URL: "", AUTH_TOKEN: token });
    try {
      const cookies: string[] = [];
      for (let i = 0; i < 23; i++) cookies.push((await entrarSemJs(servidor.url, token))!);
      expect(cookies.every((c) => /^provedores_llm_sessao=/.test(c))).toBe(true);
      const comCookie = (cookie: string) => fetch(`${servidor.url}/api/provedores-llm`, { headers: { cookie } });
      expect((await comCookie(cookies[0]!)).status).toBe(401);
      expect((await comCookie(cookies[2]!)).status).toBe(401);
      expect((await comCookie(cookies[3]!)).status).toBe(200);
      expect((await comCookie(cookies[22]!)).status).toBe(200);
      const sessoes = createClient({ url: `file:${path.join(servidor.dataDir, "provedores-llm.db")}` });
      expect((await sessoes.execute("select count(*) as n from sessoes")).rows[0]!.n).toBe(20);
      sessoes.close();
    } finally {
      await servidor.parar();
    }
  });
});

describe("upgrading a database that has providers (migration 0005)", () => {
  it("the migration gives existing providers unique slugs and name keys, and keeps every row", { timeout: 90_000 }, async () => {
    const pasta = mkdtempSync(path.join(tmpdir(), "provedores-migracao-slug-"));
    const anteriores = path.join(pasta, "migracoes-anteriores");
    cpSync(path.join(process.cwd(), "db", "migrations"), anteriores, { recursive: true });
    const diario = path.join(anteriores, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(diario, "utf8")) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((e) => e.tag < "0005");
    writeFileSync(diario, JSON.stringify(journal));
    // The same database mode as this project's app: a libSQL file, or a sqld server of its own.
    const sqld = app().modoBanco === "sqld" ? await iniciarSqld() : null;
    const url = sqld?.url ?? `file:${path.join(pasta, "provedores-llm.db")}`;
    const antigo = createClient({ url });
    await migrate(drizzle(antigo), { migrationsFolder: anteriores });
    const nomes = ["dup", "dup 5", "DUP!", "Servidor Ação", "SERVIDOR AÇÃO", "!!!", "Ollama  da Mesa"];
    for (const nome of nomes) {
      await antigo.execute({
        sql: "insert into provedores_llm (nome, tipo, base_url) values (?, 'ollama', 'http://127.0.0.1:9')",
        args: [nome],
      });
    }
    await antigo.execute("insert into modelos_provedores (provedor_id, modelo, nome) values (2, 'm1', 'm1')");
    await antigo.execute(
      "insert into estatisticas_provedores (provedor_id, inicio, requisicoes, requisicoes_sucesso) values (5, 60000, 3, 3)",
    );
    antigo.close();

    const servidor = await iniciarApp({ DATA_DIR: pasta, DATABASE_URL: sqld ? url : "", APP_SECRET: app().segredoApp });
    try {
      const lista = (await (await fetch(`${servidor.url}/api/provedores-llm`)).json()) as Provedor[];
      expect(lista.map((p) => [p.id, p.nome, p.slug]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
        [1, "dup", "dup"],
        [2, "dup 5", "dup-5"],
        [3, "DUP!", "dup-3"],
        [4, "Servidor Ação", "servidor-acao"],
        [5, "SERVIDOR AÇÃO", "servidor-acao-5"],
        [6, "!!!", "provedor-6"],
        [7, "Ollama  da Mesa", "ollama-da-mesa"],
      ]);
      const depois = createClient({ url });
      expect((await depois.execute("select count(*) as n from modelos_provedores where provedor_id = 2")).rows[0]!.n).toBe(1);
      expect((await depois.execute("select requisicoes from estatisticas_provedores where provedor_id = 5")).rows[0]!.requisicoes).toBe(3);
      depois.close();
      const postarAqui = (nome: string) =>
        fetch(`${servidor.url}/api/provedores-llm`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ nome, tipo: "ollama", base_url: "http://127.0.0.1:9" }),
        });
      // the keys the migration wrote are the ones new names are compared with
      expect((await postarAqui("servidor AÇÃO")).status).toBe(409);
      expect((await postarAqui("ollama da mesa")).status).toBe(409);
      const novo = await postarAqui("Dup?");
      expect(novo.status).toBe(201);
      expect(((await novo.json()) as Provedor).slug).toBe("dup--2");
    } finally {
      await servidor.parar();
      await sqld?.parar();
    }
  });
});
