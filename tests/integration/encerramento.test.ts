import { createClient } from "@libsql/client";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { type ClienteApi, clientesDoApp } from "../support/cliente-api";
import { MENSAGENS } from "../support/llm";
import { esperarAte } from "../support/portas";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// SIGTERM with answers still streaming: the short one finishes within the grace period, the long ones end
// with their door's error event, and every request is a row once the process has exited.

const GRACA_S = 4;

/** Opens a streamed answer and reads it until its first event; `resto` reads it to its end (or the cut). */
async function abrirStream(cliente: ClienteApi, caminho: string, corpo: unknown): Promise<{ resto: Promise<string> }> {
  const r = await cliente.resposta(caminho, { json: corpo });
  expect(r.status).toBe(200);
  const leitor = r.body!.getReader();
  const decodificador = new TextDecoder();
  let texto = "";
  while (!texto.includes("data:")) {
    const { value, done } = await leitor.read();
    if (done) break;
    texto += decodificador.decode(value, { stream: true });
  }
  const resto = (async () => {
    try {
      for (;;) {
        const { value, done } = await leitor.read();
        if (done) return texto;
        texto += decodificador.decode(value, { stream: true });
      }
    } catch (e) {
      return `${texto}\n[conexão cortada: ${(e as Error).message}]`;
    }
  })();
  return { resto };
}

describe("shutdown with streams open", () => {
  let app: ServidorApp;
  let rest: ClienteApi;
  let raiz: ClienteApi;
  let lento: LlamaCppFalso;
  let rapido: LlamaCppFalso;
  let idLento: number;
  beforeAll(async () => {
    // ~20 s of tokens, far past the grace; and ~1.5 s, within it.
    lento = await new LlamaCppFalso({
      modelos: [{ id: "modelo-lento" }],
      resposta: Array.from({ length: 200 }, (_, i) => `palavra${i}`).join(" "),
      atrasoEntreTokensMs: 100,
      // Room for every stream this file holds at once (a llama-server has one slot by default).
      slots: 4,
    }).iniciar();
    rapido = await new LlamaCppFalso({
      modelos: [{ id: "modelo-rapido" }],
      resposta: "Uma resposta curta que termina dentro do prazo de encerramento.",
      atrasoEntreTokensMs: 150,
    }).iniciar();
    app = await iniciarApp({ ENCERRAMENTO_SEGUNDOS: String(GRACA_S), MONITOR: "desligado" });
    ({ rest, raiz } = clientesDoApp(app.url));
    const ids: number[] = [];
    for (const [nome, falso] of [
      ["Lento", lento],
      ["Rápido", rapido],
    ] as const) {
      const r = await rest.pedir<{ id: number }>("", {
        json: { nome, tipo: "llama_cpp", base_url: falso.url },
      });
      expect(r.status).toBe(201);
      const { id } = r.corpo;
      expect((await rest.resposta(`/${id}/testar`, { method: "POST" })).status).toBe(200);
      ids.push(id);
    }
    idLento = ids[0]!;
  });
  afterAll(async () => {
    await app?.parar();
    await lento?.parar();
    await rapido?.parar();
  });

  it("SIGTERM: a stream that ends within the grace ends normally, the others get their door's error event, all are recorded, exit 0", async () => {
    const v1Lento = await abrirStream(raiz, `/v1/chat/completions`, { model: "modelo-lento", messages: MENSAGENS, stream: true });
    const restLento = await abrirStream(rest, `/${idLento}/requisicao`, {
      mensagens: MENSAGENS,
      modelo: "modelo-lento",
      stream: true,
    });
    const v1Rapido = await abrirStream(raiz, `/v1/chat/completions`, { model: "modelo-rapido", messages: MENSAGENS, stream: true });

    const saida = new Promise<number | null>((resolve) => app.processo.once("exit", (codigo) => resolve(codigo)));
    app.processo.kill("SIGTERM");

    const rapidoTexto = await v1Rapido.resto;
    expect(rapidoTexto).toContain("data: [DONE]");
    expect(rapidoTexto).not.toContain('"error"');

    // /v1: an OpenAI-shaped error event, no [DONE].
    const v1Texto = await v1Lento.resto;
    expect(v1Texto).not.toContain("[conexão cortada");
    expect(v1Texto).not.toContain("[DONE]");
    const erroV1 = /^data: (\{"error".*)$/m.exec(v1Texto)?.[1];
    expect(erroV1, v1Texto.slice(-400)).toBeDefined();
    expect(JSON.parse(erroV1!)).toMatchObject({ error: { code: "provedor_erro", message: expect.stringContaining("encerrando") } });

    // requisicao: our own `event: erro`.
    const restTexto = await restLento.resto;
    expect(restTexto).not.toContain("[conexão cortada");
    const erroRest = /^event: erro\ndata: (.*)$/m.exec(restTexto)?.[1];
    expect(erroRest, restTexto.slice(-400)).toBeDefined();
    expect(erroRest).toContain("provedor_erro");
    expect(erroRest).toContain("encerrando");

    expect(await saida).toBe(0);

    const banco = createClient({ url: `file:${path.join(app.dataDir, "provedores-llm.db")}` });
    try {
      const linhas = (
        await banco.execute("select modelo, stream, sucesso, codigo_erro from requisicoes_provedores order by modelo, sucesso")
      ).rows.map((l) => ({ ...l }));
      expect(linhas).toEqual([
        { modelo: "modelo-lento", stream: 1, sucesso: 0, codigo_erro: "provedor_erro" },
        { modelo: "modelo-lento", stream: 1, sucesso: 0, codigo_erro: "provedor_erro" },
        { modelo: "modelo-rapido", stream: 1, sucesso: 1, codigo_erro: null },
      ]);
    } finally {
      banco.close();
    }
  });
});

describe("shutdown with a long grace period", () => {
  const GRACA_LONGA_S = 30;
  let lento: LlamaCppFalso;
  beforeAll(async () => {
    // ~40 s of tokens: longer than the grace, so only the shutdown can end it.
    lento = await new LlamaCppFalso({
      modelos: [{ id: "modelo-sem-fim" }],
      resposta: Array.from({ length: 400 }, (_, i) => `palavra${i}`).join(" "),
      atrasoEntreTokensMs: 100,
      // Room for every stream this file holds at once (a llama-server has one slot by default).
      slots: 4,
    }).iniciar();
  });
  afterAll(async () => {
    await lento?.parar();
  });

  it("a live page's event stream does not hold SIGTERM: it is closed at once and the process exits long before the grace", async () => {
    const app = await iniciarApp({ ENCERRAMENTO_SEGUNDOS: String(GRACA_LONGA_S), MONITOR: "desligado" });
    try {
      const r = await clientesDoApp(app.url).rest.resposta("/eventos");
      expect(r.status).toBe(200);
      const leitor = r.body!.getReader();
      let texto = "";
      while (!texto.includes("event: estado")) texto += new TextDecoder().decode((await leitor.read()).value);
      const fim = (async () => {
        for (;;) if ((await leitor.read().catch(() => ({ done: true }))).done) return;
      })();
      const inicio = Date.now();
      const saida = app.parar();
      await fim;
      expect(await saida).toEqual({ codigo: 0, sinal: null });
      expect(Date.now() - inicio).toBeLessThan(8000);
    } finally {
      await app.parar();
    }
  });

  it("a second SIGTERM ends the grace: the open stream gets its error event at once, and the process exits 0", async () => {
    const app = await iniciarApp({ ENCERRAMENTO_SEGUNDOS: String(GRACA_LONGA_S), MONITOR: "desligado" });
    const { rest, raiz } = clientesDoApp(app.url);
    try {
      const criado = await rest.pedir<{ id: number }>("", {
        json: { nome: "Sem fim", tipo: "llama_cpp", base_url: lento.url },
      });
      const { id } = criado.corpo;
      expect((await rest.resposta(`/${id}/testar`, { method: "POST" })).status).toBe(200);

      const stream = await abrirStream(raiz, `/v1/chat/completions`, { model: "modelo-sem-fim", messages: MENSAGENS, stream: true });

      const saida = new Promise<number | null>((resolve) => app.processo.once("exit", (codigo) => resolve(codigo)));
      app.processo.kill("SIGTERM");
      // The first signal alone waits out the grace: the stream goes on.
      await new Promise((r) => setTimeout(r, 500));
      expect(app.processo.exitCode).toBeNull();
      const inicio = Date.now();
      app.processo.kill("SIGTERM");
      expect(await saida).toBe(0);
      // Well before the 30 s grace: the second signal ended it.
      expect(Date.now() - inicio).toBeLessThan(8000);
      const texto = await stream.resto;
      expect(texto).not.toContain("[DONE]");
      expect(texto).toMatch(/^data: \{"error".*encerrando/m);
    } finally {
      await app.parar();
    }
  });
});

describe("shutdown with a /v1 call still waiting for its first byte", () => {
  it("ends that one attempt as the shutdown, recorded once: no other provider is tried", async () => {
    const presos = [
      await new LlamaCppFalso({ modelos: [{ id: "modelo-preso" }], resposta: "Nunca chega." }).iniciar(),
      await new LlamaCppFalso({ modelos: [{ id: "modelo-preso" }], resposta: "Nunca chega." }).iniciar(),
    ];
    const app = await iniciarApp({ ENCERRAMENTO_SEGUNDOS: "2", MONITOR: "desligado" });
    const { rest, raiz } = clientesDoApp(app.url);
    try {
      for (const [i, falso] of presos.entries()) {
        const criado = await rest.pedir<{ id: number }>("", {
          json: { nome: `Preso ${i}`, tipo: "llama_cpp", base_url: falso.url },
        });
        const { id } = criado.corpo;
        expect((await rest.resposta(`/${id}/testar`, { method: "POST" })).status).toBe(200);
        await falso.definirFalha("travar");
      }
      const chamadas = () => presos.reduce((n, p) => n + p.recebidas.filter((q) => q.caminho.endsWith("/chat/completions")).length, 0);
      const resposta = raiz.pedir<{ error: { code: string; message: string } }>("/v1/chat/completions", {
        json: { model: "modelo-preso", messages: MENSAGENS, stream: true },
      });
      await esperarAte(async () => chamadas() === 1, 10_000, "a chamada chegar a um dos servidores");

      const saida = new Promise<number | null>((resolve) => app.processo.once("exit", (codigo) => resolve(codigo)));
      app.processo.kill("SIGTERM");
      const r = await resposta;
      expect(r.status).toBe(502);
      const { error } = r.corpo;
      expect(error.code).toBe("provedor_erro");
      expect(error.message.match(/encerrando/gi)).toHaveLength(1);
      expect(await saida).toBe(0);
      expect(chamadas()).toBe(1);

      const banco = createClient({ url: `file:${path.join(app.dataDir, "provedores-llm.db")}` });
      try {
        const linhas = (await banco.execute("select modelo, sucesso, codigo_erro from requisicoes_provedores")).rows.map((l) => ({ ...l }));
        expect(linhas).toEqual([{ modelo: "modelo-preso", sucesso: 0, codigo_erro: "provedor_erro" }]);
      } finally {
        banco.close();
      }
    } finally {
      await app.parar();
      for (const falso of presos) await falso.parar();
    }
  });
});
