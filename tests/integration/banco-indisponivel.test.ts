import { createClient } from "@libsql/client";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { type ClienteApi, clienteApi, clientesDoApp, type RespostaApi } from "../support/cliente-api";
import { MENSAGENS } from "../support/llm";
import { esperarAte, portaLivre } from "../support/portas";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";
import { iniciarSqld } from "../support/sqld";

// The database as a dependency that fails: a libSQL server that stops answering (paused with SIGSTOP) while
// the app runs, and a database that cannot be opened at all when it starts.

const raiz = path.resolve(import.meta.dirname, "../..");
const AVISO_FORA = "banco de dados indisponível";
const AVISO_VOLTOU = "banco de dados respondeu de novo";
/** The per-call deadline of these tests: short enough to wait for, long enough for a busy machine's normal query. */
const PRAZO_S = 3;

describe("a libSQL server that stops answering", () => {
  let sqld: Awaited<ReturnType<typeof iniciarSqld>>;
  let app: ServidorApp;
  let rest: ClienteApi;
  let raiz: ClienteApi;
  let falso: LlamaCppFalso;
  let id: number;
  beforeAll(async () => {
    sqld = await iniciarSqld();
    falso = await new LlamaCppFalso({ modelos: [{ id: "modelo-da-pausa" }], resposta: "Respondo mesmo sem banco." }).iniciar();
    app = await iniciarApp({ DATABASE_URL: sqld.url, DATABASE_TIMEOUT_SEGUNDOS: String(PRAZO_S) });
    ({ rest, raiz } = clientesDoApp(app.url));
    const criado = await rest.pedir<{ id: number }>("", {
      json: { nome: "Llama da pausa", tipo: "llama_cpp", base_url: falso.url, intervalo_verificacao_segundos: 5 },
    });
    expect(criado.status).toBe(201);
    id = criado.corpo.id;
    expect((await rest.resposta(`/${id}/testar`, { method: "POST" })).status).toBe(200);
  });
  afterAll(async () => {
    if (sqld) process.kill(sqld.pid, "SIGCONT");
    await app?.parar();
    await falso?.parar();
    await sqld?.parar();
  });

  const chatV1 = () =>
    raiz.pedir<{ choices: { message: { content: string } }[] }>("/v1/chat/completions", {
      json: { model: "modelo-da-pausa", messages: MENSAGENS },
    });
  const requisicao = () =>
    rest.pedir<{ conteudo: string }>(`/${id}/requisicao`, {
      json: { mensagens: MENSAGENS, modelo: "modelo-da-pausa" },
    });
  const linhasDoLog = (texto: string) =>
    readFileSync(app.arquivoLog, "utf8")
      .split("\n")
      .filter((l) => l.includes(texto)).length;
  /** The log is written by a stream: wait for the line to be there rather than read it at once. */
  const esperarLinhas = (texto: string, n: number) =>
    esperarAte(async () => linhasDoLog(texto) >= n, 5000, `${n} linha(s) "${texto}" no log`);

  it("one call past its deadline is a 503 for that call only: a probe that answers keeps the app out of outage mode", async () => {
    process.kill(sqld.pid, "SIGSTOP");
    let lista: RespostaApi;
    try {
      lista = await rest.pedir("");
    } finally {
      // At once, while the probe sent at the deadline still waits for its answer.
      process.kill(sqld.pid, "SIGCONT");
    }
    expect(lista.status).toBe(503);
    // The next call is served as usual, and no outage was declared.
    expect((await rest.pedir("")).status).toBe(200);
    expect((await raiz.pedir("/api/metrics")).status).toBe(200);
    expect(linhasDoLog(AVISO_FORA)).toBe(0);
  });

  it("answers 503 banco_indisponivel within the deadline, routes /v1 from memory, logs once, and writes the statistics once it is back", async () => {
    const banco = createClient({ url: sqld.url });
    const contarRequisicoes = async () =>
      Number(
        (await banco.execute({ sql: "select count(*) as n from requisicoes_provedores where provedor_id = ?", args: [id] })).rows[0]!.n,
      );
    // Before the pause: both doors answer, and their requests are rows.
    expect((await chatV1()).status).toBe(200);
    expect((await requisicao()).status).toBe(200);
    await esperarAte(async () => (await contarRequisicoes()) === 2, 10_000, "as duas requisições no banco");

    process.kill(sqld.pid, "SIGSTOP");
    try {
      // Right after the pause: answered from memory, its statistics batch sent to the paused server and cut by
      // the deadline — it is written when the server resumes, so it must not be sent a second time.
      expect((await chatV1()).status).toBe(200);

      const inicio = Date.now();
      const lista = await rest.pedir<{ erro: { codigo: string; mensagem: string } }>("");
      expect(lista.status).toBe(503);
      expect(lista.headers.get("retry-after")).toBe("5");
      const corpo = lista.corpo;
      expect(corpo.erro.codigo).toBe("banco_indisponivel");
      expect(corpo.erro.mensagem).toContain("banco de dados não respondeu");
      // The deadline; a loaded machine may add some.
      expect(Date.now() - inicio).toBeLessThan(PRAZO_S * 1000 + 10_000);
      // The probe sent at the deadline gets no answer either: the outage is declared, once.
      await esperarLinhas(AVISO_FORA, 1);

      // Now away: answered at once, without waiting for the deadline.
      const antes = Date.now();
      const metricas = await raiz.pedir<{ erro: { codigo: string } }>("/api/metrics");
      expect(metricas.status).toBe(503);
      expect(metricas.corpo.erro.codigo).toBe("banco_indisponivel");
      expect(Date.now() - antes).toBeLessThan(1500);

      // The gateway and the request door route with the catalogue and provider row this process already had.
      const modelos = await raiz.pedir<{ data: { id: string }[] }>("/v1/models");
      expect(modelos.status).toBe(200);
      expect(modelos.corpo.data.map((m) => m.id)).toContain("modelo-da-pausa");
      const chat = await chatV1();
      expect(chat.status).toBe(200);
      expect(chat.corpo.choices[0]!.message.content).toBe("Respondo mesmo sem banco.");
      const pelaRequisicao = await requisicao();
      expect(pelaRequisicao.status, pelaRequisicao.texto).toBe(200);
      expect(pelaRequisicao.corpo.conteudo).toBe("Respondo mesmo sem banco.");

      // A model id the last catalogue lacks cannot be told unknown without the database: 503, not 404, and
      // no refresh is tried (each provider's would only fail on the database).
      const desconhecido = await raiz.pedir<{ error: { code: string } }>("/v1/chat/completions", {
        json: { model: "modelo-baixado-na-pausa", messages: MENSAGENS },
      });
      expect(desconhecido.status).toBe(503);
      expect(desconhecido.corpo.error.code).toBe("banco_indisponivel");

      // Still away, and the outage is one log line, not one per request.
      expect((await rest.pedir("")).status).toBe(503);
      expect(linhasDoLog(AVISO_FORA)).toBe(1);

      // The monitor goes on checking the server meanwhile (every 5 s; a loaded machine delays a round past its own
      // calls to the database, each bounded by the deadline).
      const checagens = falso.recebidas.filter((r) => r.metodo === "GET").length;
      await esperarAte(async () => falso.recebidas.filter((r) => r.metodo === "GET").length > checagens, 30_000, "uma checagem do monitor");
    } finally {
      process.kill(sqld.pid, "SIGCONT");
    }

    await esperarAte(async () => (await rest.pedir("")).status === 200, 20_000, "as rotas de volta");
    await esperarLinhas(AVISO_VOLTOU, 1);
    expect(linhasDoLog(AVISO_FORA)).toBe(1);
    // The id asked for during the outage is not held back: now on the server (a llama-server lists the one
    // model it runs), the first request finds it. Then the server runs its first model again, which a request
    // for it finds the same way once the refresh's 1 s spacing has passed.
    falso.modelos.unshift({ id: "modelo-baixado-na-pausa" });
    const achado = await raiz.pedir("/v1/chat/completions", {
      json: { model: "modelo-baixado-na-pausa", messages: MENSAGENS },
    });
    expect(achado.status, achado.texto).toBe(200);
    falso.modelos.shift();
    await esperarAte(async () => (await chatV1()).status === 200, 10_000, "o modelo de antes roteável de novo");
    // Two before the pause, the one whose batch the pause cut (written once, when the server resumed), the
    // two answered during the outage (kept in the queue, written once it was back) and the two just now: once
    // each, nothing twice.
    await esperarAte(async () => (await contarRequisicoes()) >= 7, 15_000, "as requisições da pausa no banco");
    // A reader of the statistics first writes what is queued (lib/estatisticas/registrar.ts): after it, a batch
    // sent twice would be there too. Exactly seven.
    expect((await rest.pedir(`/${id}/estatisticas`)).status).toBe(200);
    expect(await contarRequisicoes()).toBe(7);
    expect(linhasDoLog("sem confirmação de gravação")).toBe(0);
    banco.close();
  }, 60_000);

  it("during an outage a status change reaches the live page from memory, and the row gets it once the database is back", async () => {
    const banco = createClient({ url: sqld.url });
    const sse = await rest.resposta("/eventos");
    expect(sse.status).toBe(200);
    const leitor = sse.body!.getReader();
    let recebido = "";
    void (async () => {
      for (;;) {
        const { value, done } = await leitor.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        recebido += new TextDecoder().decode(value);
      }
    })();
    const mudancaNoStream = () => /event: status\ndata: (\{.*\})/.exec(recebido)?.[1];
    try {
      process.kill(sqld.pid, "SIGSTOP");
      try {
        expect((await rest.pedir("")).status).toBe(503);
        await esperarLinhas(AVISO_FORA, 2);
        // The server stops answering too: a request (or the monitor's check) sees it, the status changes.
        await falso.definirFalha("recusar");
        await chatV1();
        await esperarAte(async () => mudancaNoStream() !== undefined, 15_000, "a mudança de status no stream");
        expect(JSON.parse(mudancaNoStream()!)).toMatchObject({ provedor_id: id, de: "online" });
      } finally {
        process.kill(sqld.pid, "SIGCONT");
      }
      await esperarLinhas(AVISO_VOLTOU, 2);
      const status = async () =>
        String((await banco.execute({ sql: "select status from provedores_llm where id = ?", args: [id] })).rows[0]!.status);
      await esperarAte(async () => (await status()) !== "online", 10_000, "o status gravado depois da volta do banco");
    } finally {
      await leitor.cancel().catch(() => {});
      await falso.definirFalha(null);
      banco.close();
    }
  });
});

describe("access keys while the libSQL server is away", () => {
  let sqld: Awaited<ReturnType<typeof iniciarSqld>>;
  let app: ServidorApp;
  let falso: LlamaCppFalso;
  beforeAll(async () => {
    sqld = await iniciarSqld();
    falso = await new LlamaCppFalso({ modelos: [{ id: "modelo-das-chaves" }], resposta: "Com chave." }).iniciar();
    app = await iniciarApp({ DATABASE_URL: sqld.url, DATABASE_TIMEOUT_SEGUNDOS: String(PRAZO_S), MONITOR: "desligado" });
    const { rest } = clientesDoApp(app.url);
    const criado = await rest.pedir<{ id: number }>("", { json: { nome: "Llama das chaves", tipo: "llama_cpp", base_url: falso.url } });
    expect(criado.status).toBe(201);
    expect((await rest.resposta(`/${criado.corpo.id}/testar`, { method: "POST" })).status).toBe(200);
  });
  afterAll(async () => {
    if (sqld) process.kill(sqld.pid, "SIGCONT");
    await app?.parar();
    await falso?.parar();
    await sqld?.parar();
  });

  it("a key read before the outage holds only a few seconds past its 5 s; then the key is 503 banco_indisponivel, and a caller without one still a 401", async () => {
    const { raiz } = clientesDoApp(app.url);
    const criada = await raiz.pedir<{ chave: string }>("/api/chaves", { json: { nome: "Chave da pausa" } });
    expect(criada.status, criada.texto).toBe(201);
    const chat = (token: string | null) =>
      clienteApi(app.url, token === null ? {} : { token }).pedir<{ error: { code: string } }>("/v1/chat/completions", {
        json: { model: "modelo-das-chaves", messages: MENSAGENS },
      });
    expect((await chat(criada.corpo.chave)).status).toBe(200);
    expect((await chat(null)).status).toBe(401);
    // Both readings (the key, "a key exists") were made by now: 5 s remembered, at most 3 s more with the database away.
    const lidasAte = Date.now() + 5000 + 3000;
    process.kill(sqld.pid, "SIGSTOP");
    try {
      expect((await raiz.pedir("/api/chaves")).status).toBe(503);
      await esperarAte(async () => readFileSync(app.arquivoLog, "utf8").includes(AVISO_FORA), 15_000, "o banco dado como fora");
      // Waited, not asserted: past the bound, what was read no longer stands in for the database.
      await new Promise((r) => setTimeout(r, Math.max(0, lidasAte - Date.now()) + 200));
      const r = await chat(criada.corpo.chave);
      expect(r.status, r.texto).toBe(503);
      expect(r.corpo.error.code).toBe("banco_indisponivel");
      // "A key exists" grants nothing: its last reading stands, so the doors stay closed to a caller without one.
      expect((await chat(null)).status).toBe(401);
    } finally {
      process.kill(sqld.pid, "SIGCONT");
    }
    await esperarAte(async () => (await chat(criada.corpo.chave)).status === 200, 20_000, "a chave de volta com o banco");
  });
});

describe("SIGTERM while the libSQL server is paused", () => {
  let sqld: Awaited<ReturnType<typeof iniciarSqld>>;
  let falso: LlamaCppFalso;
  beforeAll(async () => {
    sqld = await iniciarSqld();
    falso = await new LlamaCppFalso({ modelos: [{ id: "modelo-da-saida" }] }).iniciar();
  });
  afterAll(async () => {
    if (sqld) process.kill(sqld.pid, "SIGCONT");
    await falso?.parar();
    await sqld?.parar();
  });

  it("exits 0 without waiting on the database past its deadline, saying which statistics are unconfirmed", async () => {
    const app = await iniciarApp({ DATABASE_URL: sqld.url, DATABASE_TIMEOUT_SEGUNDOS: String(PRAZO_S), MONITOR: "desligado" });
    const { rest, raiz } = clientesDoApp(app.url);
    try {
      const criado = await rest.pedir<{ id: number }>("", {
        json: { nome: "Llama da saída", tipo: "llama_cpp", base_url: falso.url },
      });
      const { id } = criado.corpo;
      expect((await rest.resposta(`/${id}/testar`, { method: "POST" })).status).toBe(200);
      const chat = () =>
        raiz.pedir("/v1/chat/completions", {
          json: { model: "modelo-da-saida", messages: MENSAGENS },
        });
      expect((await chat()).status).toBe(200);
      process.kill(sqld.pid, "SIGSTOP");
      // Answered from memory; its statistics wait for a server that does not answer.
      expect((await chat()).status).toBe(200);
      const inicio = Date.now();
      expect(await app.parar()).toEqual({ codigo: 0, sinal: null });
      // Grace (2 s in tests), the doors' second, the last write's 2 s at most: far below the database's deadline added up.
      expect(Date.now() - inicio).toBeLessThan(2000 + 3000 + 4000);
      await esperarAte(
        async () => /estatísticas? .*sem confirmação de gravação na saída/.test(readFileSync(app.arquivoLog, "utf8")),
        5000,
        "o aviso de estatísticas sem confirmação",
      );
    } finally {
      process.kill(sqld.pid, "SIGCONT");
      await app.parar();
    }
  });
});

describe("the embedded file held by another connection's write", () => {
  let falso: LlamaCppFalso;
  let app: ServidorApp;
  let rest: ClienteApi;
  let raiz: ClienteApi;
  beforeAll(async () => {
    falso = await new LlamaCppFalso({ modelos: [{ id: "modelo-do-arquivo" }] }).iniciar();
    // busy_timeout follows the deadline: 1 s of waiting for the lock.
    app = await iniciarApp({ DATABASE_TIMEOUT_SEGUNDOS: "1", MONITOR: "desligado" });
    ({ rest, raiz } = clientesDoApp(app.url));
  });
  afterAll(async () => {
    await app?.parar();
    await falso?.parar();
  });

  it("a write answers 503 banco_indisponivel (not 500) past busy_timeout, and a statistics batch refused so is written once the lock is gone", async () => {
    const criado = await rest.pedir<{ id: number }>("", {
      json: { nome: "Llama do arquivo", tipo: "llama_cpp", base_url: falso.url },
    });
    const { id } = criado.corpo;
    expect((await rest.resposta(`/${id}/testar`, { method: "POST" })).status).toBe(200);
    const banco = createClient({ url: `file:${path.join(app.dataDir, "provedores-llm.db")}` });
    const contar = async () =>
      Number(
        (await banco.execute({ sql: "select count(*) as n from requisicoes_provedores where provedor_id = ?", args: [id] })).rows[0]!.n,
      );
    const tx = await banco.transaction("write");
    try {
      await tx.execute("update provedores_llm set nome = nome where id = 0");
      const chat = await raiz.pedir("/v1/chat/completions", {
        json: { model: "modelo-do-arquivo", messages: MENSAGENS },
      });
      expect(chat.status).toBe(200);
      const escrita = await rest.pedir<{ erro: { codigo: string } }>("", {
        json: { nome: "Outro", tipo: "llama_cpp", base_url: falso.url },
      });
      expect(escrita.status, escrita.texto).toBe(503);
      expect(escrita.corpo.erro.codigo).toBe("banco_indisponivel");
      expect(escrita.headers.get("retry-after")).toBe("5");
    } finally {
      await tx.rollback();
      tx.close();
    }
    await esperarAte(async () => (await contar()) >= 1, 10_000, "a requisição gravada depois do bloqueio");
    expect((await rest.pedir(`/${id}/estatisticas`)).status).toBe(200);
    expect(await contar()).toBe(1);
    banco.close();
  });
});

describe("a libSQL server slow at start-up", () => {
  let sqld: Awaited<ReturnType<typeof iniciarSqld>>;
  beforeAll(async () => {
    sqld = await iniciarSqld();
  });
  afterAll(async () => {
    if (sqld) process.kill(sqld.pid, "SIGCONT");
    await sqld?.parar();
  });

  it("start-up waits longer than the per-call deadline: a server that answers after 3 s still gets the app up", async () => {
    process.kill(sqld.pid, "SIGSTOP");
    const retomar = setTimeout(() => process.kill(sqld.pid, "SIGCONT"), 3000);
    let app: ServidorApp | undefined;
    try {
      app = await iniciarApp({ DATABASE_URL: sqld.url, DATABASE_TIMEOUT_SEGUNDOS: "1", MONITOR: "desligado" });
      expect((await clientesDoApp(app.url).rest.pedir("")).status).toBe(200);
    } finally {
      clearTimeout(retomar);
      process.kill(sqld.pid, "SIGCONT");
      await app?.parar();
    }
  });
});

/** Runs `npm start`'s script with these variables and collects what it prints until it exits (or the limit). */
function rodarInicio(
  env: Record<string, string>,
  limiteMs = 30_000,
): Promise<{ codigo: number | null; saida: string; erros: string; ms: number }> {
  return new Promise((resolve) => {
    const inicio = Date.now();
    const p = spawn(process.execPath, [path.join(raiz, "scripts/start.mjs")], {
      cwd: raiz,
      env: { ...process.env, PULAR_BUILD: "1", HOST: "127.0.0.1", PORT: "0", AUTH_TOKEN: "", MONITOR: "desligado", ...env },
    });
    let saida = "";
    let erros = "";
    p.stdout.on("data", (d: Buffer) => (saida += d));
    p.stderr.on("data", (d: Buffer) => {
      saida += d;
      erros += d;
    });
    const t = setTimeout(() => p.kill("SIGKILL"), limiteMs);
    p.on("exit", (codigo) => {
      clearTimeout(t);
      resolve({ codigo, saida, erros, ms: Date.now() - inicio });
    });
  });
}

describe("a database that cannot be opened at start", () => {
  it("a file under a path that is a file: exits non-zero, one line naming DATABASE_URL and why, never 'pronto'", async () => {
    // Root may write anywhere chmod forbids, but no one can make a folder inside a regular file.
    const arquivo = path.join(mkdtempSync(path.join(tmpdir(), "provedores-banco-")), "um-arquivo");
    writeFileSync(arquivo, "não é uma pasta");
    const url = `file:${arquivo}/dados/provedores-llm.db`;
    const r = await rodarInicio({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "provedores-banco-")), DATABASE_URL: url });
    expect(r.codigo, r.saida).not.toBe(0);
    expect(r.codigo).not.toBeNull();
    expect(r.saida).not.toContain("pronto");
    const linhas = r.saida.split("\n").filter((l) => l.includes("DATABASE_URL"));
    expect(linhas).toHaveLength(1);
    expect(linhas[0]).toContain(`DATABASE_URL=${url}`);
    expect(linhas[0]).toContain("não foi possível abrir o banco de dados");
    expect(linhas[0]).toContain("ENOTDIR");
    expect(r.erros.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a file that is an existing directory (SQLITE_CANTOPEN, even as root): exits non-zero, stderr is exactly one line", async () => {
    const pasta = mkdtempSync(path.join(tmpdir(), "provedores-banco-pasta-"));
    const url = `file:${pasta}`;
    const r = await rodarInicio({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "provedores-banco-")), DATABASE_URL: url });
    expect(r.codigo, r.saida).not.toBe(0);
    expect(r.codigo).not.toBeNull();
    expect(r.saida).not.toContain("pronto");
    const linhas = r.erros.trimEnd().split("\n");
    expect(linhas, r.erros).toHaveLength(1);
    expect(linhas[0]).toContain(`DATABASE_URL=${url}`);
    expect(linhas[0]).toContain("SQLITE_CANTOPEN");
    expect(linhas[0]).not.toMatch(/\.\.$/);
  });

  it("a libSQL server nobody listens on: exits non-zero within seconds, naming the URL and the refused connection", async () => {
    const url = `http://127.0.0.1:${await portaLivre()}`;
    const r = await rodarInicio({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "provedores-banco-")), DATABASE_URL: url });
    expect(r.codigo, r.saida).not.toBe(0);
    expect(r.codigo).not.toBeNull();
    expect(r.saida).not.toContain("pronto");
    const linhas = r.saida.split("\n").filter((l) => l.includes("DATABASE_URL"));
    expect(linhas).toHaveLength(1);
    expect(linhas[0]).toContain(`DATABASE_URL=${url}`);
    expect(linhas[0]).toContain("conexão recusada");
    expect(r.erros.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("a database the migration opens but whose backfill fails at start", () => {
  it("exits non-zero with one line saying the backfill failed, not that the database could not be opened", async () => {
    // A database the app migrated, with a row as migration 0005 leaves it and a trigger refusing every update.
    const app = await iniciarApp({ MONITOR: "desligado" });
    let id: number;
    try {
      const r = await clientesDoApp(app.url).rest.pedir<{ id: number }>("", {
        json: { nome: "Da migração", tipo: "ollama", base_url: "http://127.0.0.1:9" },
      });
      expect(r.status).toBe(201);
      ({ id } = r.corpo);
    } finally {
      await app.parar();
    }
    const url = `file:${path.join(app.dataDir, "provedores-llm.db")}`;
    const banco = createClient({ url });
    try {
      await banco.execute({ sql: "update provedores_llm set slug = char(1) || id, nome_chave = char(1) || id where id = ?", args: [id] });
      await banco.execute(
        "create trigger recusar_atualizacao before update on provedores_llm begin select raise(abort, 'atualização recusada'); end",
      );
    } finally {
      banco.close();
    }
    const r = await rodarInicio({ DATA_DIR: app.dataDir, DATABASE_URL: url });
    expect(r.codigo, r.saida).not.toBe(0);
    expect(r.codigo).not.toBeNull();
    expect(r.saida).not.toContain("pronto");
    const linhas = r.erros.trimEnd().split("\n");
    expect(linhas, r.erros).toHaveLength(1);
    expect(linhas[0]).toContain(`DATABASE_URL=${url}`);
    expect(linhas[0]).toContain("não foi possível completar os slugs e chaves de nome");
    expect(linhas[0]).not.toContain("não foi possível abrir");
    expect(linhas[0]).toContain("atualização recusada");
  });
});
