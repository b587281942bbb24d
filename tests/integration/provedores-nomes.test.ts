import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, banco } from "../support/contexto";
import { criarProvedor, MENSAGENS, postarProvedor } from "../support/llm";
import { bancoAntesDe } from "../support/migracoes";

type Provedor = { id: number; nome: string; slug: string };
type Erro = { erro: { codigo: string; mensagem: string; detalhes?: { campos?: Record<string, string[]> } } };

const sufixo = () => randomBytes(4).toString("hex");
const postar = (nome: string, extra: Record<string, unknown> = {}) => postarProvedor({ nome, ...extra });

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
      [`dir\u202e ${s}`, "U+202E"],
    ] as const) {
      const r = await postar(invisivel);
      expect(r.status, codigo).toBe(400);
      const { erro } = (await r.json()) as Erro;
      expect(erro.codigo).toBe("validacao");
      expect(erro.detalhes?.campos?.nome?.[0]).toContain(codigo);
    }
    expect(
      (await banco().execute({ sql: "select count(*) as n from provedores_llm where nome like ?", args: [`nul%${s}`] })).rows[0]!.n,
    ).toBe(0);

    // NFD in, NFC stored and returned
    const nfd = `José ${s}`.normalize("NFD");
    const r = await postar(`  ${nfd}  `);
    expect(r.status).toBe(201);
    const { id, nome } = (await r.json()) as Provedor;
    expect(nome).toBe(`José ${s}`.normalize("NFC"));
    expect((await banco().execute({ sql: "select nome from provedores_llm where id = ?", args: [id] })).rows[0]!.nome).toBe(
      `José ${s}`.normalize("NFC"),
    );

    // at the same moment too: the unique key decides
    const juntos = await Promise.all(
      [`Corrida ${s}`, `CORRIDA ${s}`, `corrida ${s}`, `Corrida ${s}`.normalize("NFD")].map((n) => postar(n)),
    );
    expect(juntos.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);

    // a rename into a name that folds to another's is refused too
    expect((await api(`/${id}`, { method: "PUT", json: { nome: `SERVIDOR AÇÃO ${s}` } })).status).toBe(409);
  });

  it("Persian words and emoji sequences keep their zero-width (non-)joiners; the joiner alone does not make another name", async () => {
    const s = sufixo();
    const persa = `می\u200cخواهم ${s}`;
    const r = await postar(persa);
    expect(r.status).toBe(201);
    expect(((await r.json()) as Provedor).nome).toBe(persa);
    expect((await postar(`میخواهم ${s}`)).status).toBe(409);
    const emoji = `👩\u200d💻 ${s}`;
    expect((await postar(emoji)).status).toBe(201);
    expect((await banco().execute({ sql: "select count(*) as n from provedores_llm where nome = ?", args: [emoji] })).rows[0]!.n).toBe(1);
  });

  it("the list sorts and searches by the name as names are compared", async () => {
    const s = sufixo();
    for (const nome of [`Éclair ${s}`, `ébano ${s}`, `AÇÃO ${s}`, `Straße ${s}`]) expect((await postar(nome)).status).toBe(201);
    const nomes = async (consulta: string) => ((await (await api(`?${consulta}`)).json()) as Provedor[]).map((p) => p.nome);
    // ASCII-only lower() put "Éclair" before "ébano"
    expect(await nomes(`busca=${s}`)).toEqual([`AÇÃO ${s}`, `Straße ${s}`, `ébano ${s}`, `Éclair ${s}`]);
    expect(await nomes(`busca=${encodeURIComponent(`ação ${s}`)}`)).toEqual([`AÇÃO ${s}`]);
    expect(await nomes(`busca=${encodeURIComponent(`STRASSE ${s}`)}`)).toEqual([`Straße ${s}`]);
    expect(await nomes(`busca=${encodeURIComponent(`ÉCLAIR ${s}`)}`)).toEqual([`Éclair ${s}`]);
  });

  it("a filter given twice is refused, not read as its last value", async () => {
    const r = await api("?tipo=ollama&tipo=lm_studio");
    expect(r.status).toBe(400);
    expect(((await r.json()) as Erro).erro.codigo).toBe("validacao");
  });
});

describe("slugs: the prefix of a provider's pinned /v1 ids", () => {
  it("names of one slug created at the same moment each get their own slug", async () => {
    const s = sufixo();
    const nomes = Array.from({ length: 12 }, (_, i) => `Par ${s}${"!".repeat(i + 1)}`);
    const respostas = await Promise.all(nomes.map((n) => postar(n)));
    expect(respostas.map((r) => r.status)).toEqual(nomes.map(() => 201));
    const slugs = await Promise.all(respostas.map(async (r) => ((await r.json()) as Provedor).slug));
    expect(slugs.sort()).toEqual([`par-${s}`, ...Array.from({ length: 11 }, (_, i) => `par-${s}--${i + 2}`)].sort());
  });

  it("a rename keeps the slug, and the freed name's slug is not reused", async () => {
    const base = `ren${sufixo()}`;
    const criado = (await (await postar(`${base} 5`)).json()) as Provedor;
    expect(criado.slug).toBe(`${base}-5`);
    const renomeado = await api(`/${criado.id}`, { method: "PUT", json: { nome: `Outro nome ${base}` } });
    expect(renomeado.status).toBe(200);
    expect((await renomeado.json()) as Provedor).toMatchObject({ nome: `Outro nome ${base}`, slug: criado.slug });
    const novo = (await (await postar(`${base} 5`)).json()) as Provedor;
    expect(novo.slug).toBe(`${base}-5--2`);
  });

  it('stop: [""] is refused in a configuration and in a request', async () => {
    const r = await postar(`Parada ${sufixo()}`, { configuracao: { stop: [""] } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Erro).erro.detalhes?.campos?.["configuracao.stop.0"]?.[0]).toContain("vazia");
    const id = await criarProvedor("ollama", "http://127.0.0.1:9");
    const req = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, configuracao: { stop: ["fim", ""] } } });
    expect(req.status).toBe(400);
  });
});

describe("creating providers of one slug at the same moment, in this process", () => {
  // In this process, on a database of its own: twenty creations at once each read the taken slugs before
  // any of them inserts, which is the race of several instances, without depending on request timing (over
  // HTTP the requests arrive spread out, and a pick-then-retry scheme got by).
  it("every creation succeeds, each with its own slug", { timeout: 60_000 }, async () => {
    const { url, cliente } = await bancoAntesDe("9999");
    cliente.close();
    process.env.DATABASE_URL = url;
    const { criarProvedor: criar } = await import("@/lib/provedores/criar");
    const nomes = Array.from({ length: 20 }, (_, i) => `Corrida${"!".repeat(i + 1)}`);
    const criados = await Promise.allSettled(nomes.map((nome) => criar({ nome, tipo: "ollama", base_url: "http://127.0.0.1:9" })));
    expect(criados.filter((r) => r.status === "rejected").map((r) => String(r.reason))).toEqual([]);
    const slugs = criados.map((r) => (r.status === "fulfilled" ? r.value.slug : ""));
    expect(slugs.sort()).toEqual(["corrida", ...Array.from({ length: 19 }, (_, i) => `corrida--${i + 2}`)].sort());
  });
});
