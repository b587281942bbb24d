import { createClient } from "@libsql/client";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { type ClienteApi, clientesDoApp } from "../support/cliente-api";
import { MENSAGENS } from "../support/llm";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// What the shutdown itself cuts says nothing about the servers (no status written from it), and every request
// it ends is still recorded, even one that settles only when the connections are closed.

describe("shutdown with a connection test open", () => {
  let app: ServidorApp;
  let rest: ClienteApi;
  let servidor: LlamaCppFalso;
  let id: number;
  beforeAll(async () => {
    servidor = await new LlamaCppFalso({ modelos: [{ id: "modelo" }] }).iniciar();
    app = await iniciarApp({ ENCERRAMENTO_SEGUNDOS: "1", MONITOR: "desligado" });
    ({ rest } = clientesDoApp(app.url));
    const r = await rest.pedir<{ id: number }>("", {
      json: { nome: "Teste no encerramento", tipo: "llama_cpp", base_url: servidor.url },
    });
    expect(r.status).toBe(201);
    ({ id } = r.corpo);
    const teste = (await rest.pedir<{ sucesso: boolean }>(`/${id}/testar`, { method: "POST" })).corpo;
    expect(teste.sucesso).toBe(true);
  });
  afterAll(async () => {
    await app?.parar();
    await servidor?.parar();
  });

  it("a test the grace's end cuts writes no failure: the provider stays online, with no status event from it", async () => {
    // Answers long after the 1 s grace: only the shutdown ends this test.
    await servidor.definirFalha("lento", 20_000);
    const pedidos = servidor.recebidas.length;
    const teste = rest.resposta(`/${id}/testar`, { method: "POST" }).then(
      (r) => r.text(),
      (e: unknown) => `[cortada: ${(e as Error).message}]`,
    );
    // The test has reached the server before the signal.
    for (let i = 0; i < 100 && servidor.recebidas.length === pedidos; i++) await new Promise((r) => setTimeout(r, 50));
    expect(servidor.recebidas.length).toBeGreaterThan(pedidos);
    const saida = new Promise<number | null>((resolve) => app.processo.once("exit", (codigo) => resolve(codigo)));
    app.processo.kill("SIGTERM");
    expect(await saida).toBe(0);
    await teste;
    await servidor.definirFalha(null);

    const banco = createClient({ url: `file:${path.join(app.dataDir, "provedores-llm.db")}` });
    try {
      const linha = (await banco.execute({ sql: "select status, falhas_seguidas from provedores_llm where id = ?", args: [id] })).rows[0];
      expect({ ...linha }).toEqual({ status: "online", falhas_seguidas: 0 });
      const eventos = (await banco.execute({ sql: "select de, para from eventos_status where provedor_id = ? order by id", args: [id] }))
        .rows;
      expect(eventos.map((e) => ({ ...e }))).toEqual([{ de: "desconhecido", para: "online" }]);
    } finally {
      banco.close();
    }
  });
});

describe("shutdown with a client that stopped reading", () => {
  let app: ServidorApp;
  let rest: ClienteApi;
  let servidor: LlamaCppFalso;
  let id: number;
  beforeAll(async () => {
    // Its longest piece, repeated without end, is then a text delta (the app stops at 8 MiB of text: more than
    // the loopback socket buffers a client that does not read can hold, so the writer waits for it first).
    servidor = await new LlamaCppFalso({ modelos: [{ id: "modelo-sem-fim" }], resposta: "x".repeat(16 * 1024) }).iniciar();
    app = await iniciarApp({ ENCERRAMENTO_SEGUNDOS: "1", MONITOR: "desligado" });
    ({ rest } = clientesDoApp(app.url));
    const r = await rest.pedir<{ id: number }>("", {
      json: { nome: "Leitor parado", tipo: "llama_cpp", base_url: servidor.url },
    });
    expect(r.status).toBe(201);
    ({ id } = r.corpo);
    expect((await rest.resposta(`/${id}/testar`, { method: "POST" })).status).toBe(200);
  });
  afterAll(async () => {
    await app?.parar();
    await servidor?.parar();
  });

  it("a stream whose writer waits for the client until the connections close is still a row after exit", async () => {
    // Deltas without end, and a client that reads the headers and then nothing: the app's writer waits for
    // the socket to drain, past the grace and the doors' second, until closeAllConnections ends it.
    await servidor.definirFalha("deltas_sem_fim");
    const r = await rest.resposta(`/${id}/requisicao`, {
      json: { mensagens: MENSAGENS, modelo: "modelo-sem-fim", stream: true },
    });
    expect(r.status).toBe(200);
    const saida = new Promise<number | null>((resolve) => app.processo.once("exit", (codigo) => resolve(codigo)));
    app.processo.kill("SIGTERM");
    expect(await saida).toBe(0);
    await r.body?.cancel().catch(() => {});
    await servidor.definirFalha(null);

    const banco = createClient({ url: `file:${path.join(app.dataDir, "provedores-llm.db")}` });
    try {
      const linhas = (await banco.execute("select modelo, stream, sucesso from requisicoes_provedores")).rows.map((l) => ({ ...l }));
      expect(linhas).toEqual([{ modelo: "modelo-sem-fim", stream: 1, sucesso: 0 }]);
    } finally {
      banco.close();
    }
  });
});
