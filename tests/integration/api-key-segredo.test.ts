import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { slugDe } from "@/lib/provedores/nome";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { api, app, banco, rotasDoApp } from "../support/contexto";
import { lerEventos, MENSAGENS } from "../support/llm";
import { linhasDoProvedor, lerStreamV1, modeloUnico, provedorTestado, servidoresDoArquivo, streamCruV1 } from "../support/streams";

const servidor = servidoresDoArquivo();

describe("a provider's API key", () => {
  const chave = `sk-segredo-${randomUUID()}`;
  const nome = `Segredo ${randomUUID().slice(0, 6)}`;
  const respostas: string[] = [];
  let id = 0;

  it("is accepted on create and update but never returned", async () => {
    const criado = await api("", {
      method: "POST",
      json: { nome, tipo: "lm_studio", api_key: chave },
    });
    const texto = await criado.text();
    respostas.push(texto);
    id = (JSON.parse(texto) as { id: number }).id;
    expect(JSON.parse(texto)).toMatchObject({ api_key_configurada: true });

    respostas.push(await (await api(`/${id}`, { method: "PUT", json: { api_key: chave, descricao: "troca" } })).text());
    respostas.push(await (await api(`/${id}`)).text());
    respostas.push(await (await api("")).text());
    respostas.push(await (await api("/ativos")).text());
    // A failing request that echoes input must not echo the key either.
    respostas.push(await (await api(`/${id}`, { method: "PUT", json: { api_key: chave, timeout_segundos: "x" } })).text());

    for (const r of respostas) {
      expect(r).not.toContain(chave);
      expect(r).not.toMatch(/"api_key"\s*:/);
    }
  });

  it("is stored encrypted (AES-256-GCM), not in plain text", async () => {
    const linha = (await banco().execute({ sql: "select api_key from provedores_llm where id = ?", args: [id] })).rows[0];
    const cifrado = String(linha?.api_key);
    expect(cifrado.startsWith("v1:")).toBe(true);
    expect(cifrado).not.toContain(chave);
    // iv (12) + tag (16) + ciphertext as long as the key
    expect(Buffer.from(cifrado.slice(3), "base64").length).toBe(28 + Buffer.byteLength(chave));
  });

  it("is absent from the database files on disk", async ({ skip }) => {
    const { databaseUrl, modoBanco } = app();
    if (modoBanco !== "arquivo") skip("the sqld run keeps its files inside the server");
    const arquivo = databaseUrl.slice("file:".length);
    expect(existsSync(arquivo), arquivo).toBe(true);
    // The WAL holds recent writes until a checkpoint moves them into the main file: either may hold the row.
    const disco = Buffer.concat([arquivo, `${arquivo}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    // The row itself is in what was read (its name is stored as sent), so a key kept in plain text would be too.
    expect(disco.includes(Buffer.from(nome))).toBe(true);
    expect(disco.includes(Buffer.from(chave))).toBe(false);
  });

  it("never appears in the server's log", async () => {
    const log = readFileSync(app().arquivoLog, "utf8");
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(chave);
  });
});

describe("a provider key quoted in an error event halfway through a stream", () => {
  const CHAVE = `sk-chave-no-stream-${randomUUID()}`;
  const RESPOSTA = "Uma resposta inteira, de várias palavras.";

  it("/v1 and requisicao pass on the error with the key masked; no answer or database row holds it", async () => {
    const modelo = modeloUnico("chave");
    const falso = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, apiKey: CHAVE }));
    const id = await provedorTestado("openai_compativel", falso, { api_key: CHAVE, modelo_padrao: modelo });
    await falso.definirFalha("chave_no_stream");

    const cru = await streamCruV1(modelo);
    expect(cru.status).toBe(200);
    expect(cru.corpo).toContain(JSON.stringify(falso.tokens()[0]));
    expect(cru.corpo).toContain("Incorrect API key provided: ***");

    const { texto, erro } = await lerStreamV1(modelo);
    expect(texto).toBe(falso.tokens()[0]);
    expect(erro).toBeInstanceOf(APIError);
    expect((erro as APIError).message).toContain("Incorrect API key provided: ***");

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect(requisicao.status).toBe(200);
    const eventos = await lerEventos(requisicao.clone());
    expect(eventos.at(-1)).toMatchObject({ evento: "erro", dados: { codigo: "provedor_erro" } });
    expect(String(eventos.at(-1)!.dados.mensagem)).toContain("Incorrect API key provided: ***");

    // The server did get the key, and quoted it (so this test could fail).
    expect(falso.recebidas.some((q) => q.cabecalhos.authorization === `Bearer ${CHAVE}`)).toBe(true);
    for (const r of [cru.corpo, String((erro as APIError).message), await requisicao.text()]) expect(r).not.toContain(CHAVE);

    // The three errors are stored, with their code, and no table holds the key: the scan below reads the
    // rows of this very provider (its model id is there), so it would see the key if a message were kept.
    const registradas = await linhasDoProvedor(id, 3);
    expect(registradas.slice(0, 3)).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ sucesso: false, codigo_erro: "provedor_erro", stream: true })),
    );
    const tabelas = await banco().execute("select name from sqlite_master where type = 'table'");
    let vistas = "";
    for (const { name } of tabelas.rows) {
      const conteudo = JSON.stringify((await banco().execute(`select * from "${String(name)}"`)).rows);
      expect(conteudo, String(name)).not.toContain(CHAVE);
      vistas += conteudo;
    }
    expect(vistas).toContain(modelo);
  });

  it("a key the model's text splits across two deltas is masked in the deltas and in the final text (requisicao)", async () => {
    // Word tokens: the key's two words arrive as two deltas.
    const dividida = `sk-dividida ${randomUUID()}`;
    const modelo = modeloUnico("dividida");
    const falso = await servidor(
      new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: `A chave é ${dividida} mesmo.`, apiKey: dividida }),
    );
    const id = await provedorTestado("openai_compativel", falso, { api_key: dividida, modelo_padrao: modelo });
    expect(falso.tokens()).toContain(` ${dividida.split(" ")[1]}`);

    const r = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    const texto = await r.text();
    expect(texto).not.toContain(dividida);
    const eventos = await lerEventos(new Response(texto));
    const deltas = eventos.filter((e) => e.evento === "delta").map((e) => String(e.dados.conteudo));
    expect(deltas.join("")).toBe("A chave é *** mesmo.");
    expect(eventos.at(-1)).toMatchObject({ evento: "fim", dados: { conteudo: "A chave é *** mesmo." } });

    const inteira = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS } });
    expect(await inteira.json()).toMatchObject({ conteudo: "A chave é *** mesmo." });
  });
});

describe("a provider key the model says, in a whole answer of every door", () => {
  it("is masked whether the door passes the answer on or rebuilds it from the parsed JSON (translations)", async () => {
    const chave = `sk-dita-${randomUUID()}`;
    const modelo = modeloUnico("dita");
    const falso = await servidor(
      new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: `A chave é ${chave} mesmo.`, apiKey: chave }),
    );
    await provedorTestado("openai_compativel", falso, { api_key: chave, modelo_padrao: modelo });
    const pedidos: [string, Record<string, unknown>][] = [
      ["/v1/chat/completions", { model: modelo, messages: MENSAGENS }],
      ["/v1/messages", { model: modelo, max_tokens: 50, messages: MENSAGENS }],
      ["/v1/responses", { model: modelo, input: "Olá" }],
      ["/api/chat", { model: modelo, messages: MENSAGENS, stream: false }],
      ["/api/generate", { model: modelo, prompt: "Olá", stream: false }],
    ];
    for (const [caminho, corpo] of pedidos) {
      const r = await rotasDoApp().resposta(caminho, { method: "POST", json: corpo });
      const texto = await r.text();
      expect(r.status, `${caminho}: ${texto}`).toBe(200);
      expect(texto, caminho).toContain("A chave é *** mesmo.");
      expect(texto, caminho).not.toContain(chave);
    }
    // The server did answer with the key (so this test could fail).
    expect(falso.recebidas.length).toBeGreaterThanOrEqual(pedidos.length);
  });
  it("is masked in a native /v1/responses answer whose model the door rewrites (asked as <slug>/<model>)", async () => {
    const chave = `sk-dita-nativa-${randomUUID()}`;
    const modelo = modeloUnico("dita-nativa");
    const nome = `Dita nativa ${randomUUID().slice(0, 6)}`;
    const falso = await servidor(
      new LlamaCppFalso({ modelos: [{ id: modelo, carregado: true }], resposta: `A chave é ${chave} mesmo.`, apiKey: chave }),
    );
    await provedorTestado("llama_cpp", falso, { api_key: chave, nome });
    const pedido = `${slugDe(nome)}/${modelo}`;
    const r = await rotasDoApp().resposta("/v1/responses", { method: "POST", json: { model: pedido, input: "Olá" } });
    const texto = await r.text();
    expect(r.status, texto).toBe(200);
    // Passed through natively (the server's own route), the model rewritten, so the JSON was rebuilt.
    expect(falso.recebidas.filter((q) => q.caminho === "/v1/responses").length).toBe(2);
    expect(JSON.parse(texto)).toMatchObject({ object: "response", model: pedido });
    expect(texto).toContain("A chave é *** mesmo.");
    expect(texto).not.toContain(chave);
  });
});

describe("a short provider key quoted in an error event halfway through a /v1 stream", () => {
  it('a key "k1" is masked in the error event and in the SDK\'s error, though answers are not searched for it', async () => {
    const CHAVE = "k1";
    const modelo = modeloUnico("curta-no-stream");
    const falso = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: "Uma resposta.", apiKey: CHAVE }));
    await provedorTestado("openai_compativel", falso, { api_key: CHAVE, modelo_padrao: modelo });
    await falso.definirFalha("chave_no_stream");

    const cru = await streamCruV1(modelo);
    expect(cru.status).toBe(200);
    expect(cru.corpo).toContain("Incorrect API key provided: ***");
    expect(cru.corpo).not.toContain(`provided: ${CHAVE}`);

    const { erro } = await lerStreamV1(modelo);
    expect(erro).toBeInstanceOf(APIError);
    expect((erro as APIError).message).toContain("Incorrect API key provided: ***");
    expect((erro as APIError).message).not.toContain(CHAVE);
    // The server did get the key, and quoted it (so this test could fail).
    expect(falso.recebidas.some((q) => q.cabecalhos.authorization === `Bearer ${CHAVE}`)).toBe(true);
  });
});

describe("a short provider key that also appears in the JSON a server sends", () => {
  it('a key "0" (in every chunk\'s "index":0) leaves /v1 answers whole, streamed and not, and requisicao too', async () => {
    const modelo = modeloUnico("curta");
    const RESPOSTA = "Uma resposta inteira, de várias palavras.";
    const falso = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, apiKey: "0" }));
    const id = await provedorTestado("openai_compativel", falso, { api_key: "0", modelo_padrao: modelo });

    expect(await lerStreamV1(modelo)).toMatchObject({ texto: RESPOSTA, erro: null });
    const inteira = await rotasDoApp().resposta("/v1/chat/completions", {
      json: { model: modelo, messages: MENSAGENS },
    });
    expect(inteira.status).toBe(200);
    expect(((await inteira.json()) as { choices: { index: number; message: { content: string } }[] }).choices[0]).toMatchObject({
      index: 0,
      message: { content: RESPOSTA },
    });
    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect((await lerEventos(requisicao)).at(-1)).toMatchObject({ evento: "fim", dados: { conteudo: RESPOSTA } });
  });
});
