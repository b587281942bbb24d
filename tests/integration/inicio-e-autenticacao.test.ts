import { createClient } from "@libsql/client";
import { spawn } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clienteApi, type OpcoesCliente } from "../support/cliente-api";
import { entrarSemJs } from "../support/login";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

const raiz = path.resolve(import.meta.dirname, "../..");
/** An app's REST contract, as a client with this token, cookie or headers calls it. */
const rest = (s: ServidorApp, opcoes?: OpcoesCliente) => clienteApi(`${s.url}/api/provedores-llm`, opcoes);
const MENSAGENS = { mensagens: [{ role: "user", content: "oi" }] };

/** Runs `npm start`'s script and collects what it prints until it exits (or the limit). */
function rodarInicio(env: Record<string, string>, limiteMs = 30_000): Promise<{ codigo: number | null; saida: string }> {
  return new Promise((resolve) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "provedores-inicio-"));
    const p = spawn(process.execPath, [path.join(raiz, "scripts/start.mjs")], {
      cwd: raiz,
      env: { ...process.env, PULAR_BUILD: "1", PORT: "0", DATA_DIR: dataDir, AUTH_TOKEN: "", ...env },
    });
    let saida = "";
    p.stdout.on("data", (d: Buffer) => (saida += d));
    p.stderr.on("data", (d: Buffer) => (saida += d));
    const t = setTimeout(() => p.kill("SIGKILL"), limiteMs);
    p.on("exit", (codigo) => {
      clearTimeout(t);
      resolve({ codigo, saida });
    });
  });
}

describe("start-up safety", () => {
  it("refuses to listen beyond loopback without AUTH_TOKEN, saying why", async () => {
    const r = await rodarInicio({ HOST: "0.0.0.0" });
    expect(r.codigo).toBe(1);
    expect(r.saida).toContain("AUTH_TOKEN");
    expect(r.saida).toContain("HOST=0.0.0.0");
  });

  it("on Vercel, refuses a file database and a missing APP_SECRET at start", async () => {
    const r = await rodarInicio({ VERCEL: "1", HOST: "127.0.0.1", DATABASE_URL: "", APP_SECRET: "" });
    expect(r.codigo).toBe(1);
    expect(r.saida).toContain("DATABASE_URL");
    expect(r.saida).toContain("APP_SECRET");
  });
});

describe("with AUTH_TOKEN set", () => {
  const token = "token-de-teste-bem-comprido-123";
  let servidor: ServidorApp;
  beforeAll(async () => {
    servidor = await iniciarApp({ AUTH_TOKEN: token });
  });
  afterAll(() => servidor?.parar());

  it("REST calls without the Bearer token get 401 nao_autorizado", async () => {
    for (const cabecalhos of [{}, { authorization: "Bearer errado" }, { authorization: token }] as Record<string, string>[]) {
      const r = await rest(servidor, { cabecalhos }).pedir<{ erro: { codigo: string; mensagem: string } }>("");
      expect(r.status).toBe(401);
      expect(r.corpo.erro.codigo).toBe("nao_autorizado");
      expect(r.corpo.erro.mensagem).toContain("Authorization: Bearer");
    }
    const post = await rest(servidor).pedir("", { json: { nome: "x", tipo: "ollama" } });
    expect(post.status).toBe(401);
  });

  it("REST calls with the token work", async () => {
    const comToken = rest(servidor, { token });
    const criado = await comToken.pedir("", { json: { nome: "Com token", tipo: "ollama" } });
    expect(criado.status).toBe(201);
    const lista = await comToken.pedir<unknown[]>("");
    expect(lista.corpo.length).toBe(1);
  });

  it("the request hot path (served ahead of Next by npm start) asks for the token too", async () => {
    const sem = await rest(servidor).pedir<{ erro: { codigo: string } }>("/987654/requisicao", { json: MENSAGENS });
    expect(sem.status).toBe(401);
    expect(sem.corpo.erro.codigo).toBe("nao_autorizado");
    const com = await rest(servidor, { token }).pedir<{ erro: { codigo: string } }>("/987654/requisicao", { json: MENSAGENS });
    expect(com.status).toBe(404);
    expect(com.corpo.erro.codigo).toBe("nao_encontrado");
  });

  it("pages send a visitor without the session cookie to /login", async () => {
    const paginas = clienteApi(servidor.url);
    const r = await paginas.pedir("/provedores-llm/novo", { redirect: "manual" });
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toContain("/login?proximo=%2Fprovedores-llm%2Fnovo");
    const login = await paginas.pedir("/login");
    expect(login.status).toBe(200);
    expect(login.texto).toContain("Token de acesso");
  });
});

describe("sessions", () => {
  it("are capped per token: past 20 logins the oldest ends", { timeout: 90_000 }, async () => {
    const token = "token-das-sessoes-123";
    const servidor = await iniciarApp({ DATABASE_URL: "", AUTH_TOKEN: token });
    try {
      const cookies: string[] = [];
      for (let i = 0; i < 23; i++) cookies.push((await entrarSemJs(servidor.url, token))!);
      expect(cookies.every((c) => /^provedores_llm_sessao=/.test(c))).toBe(true);
      const comCookie = (cookie: string) => rest(servidor, { cookie }).pedir("");
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

  it("a session survives a restart with the same AUTH_TOKEN and ends when the token changes", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "provedores-sessoes-"));
    const primeiro = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", AUTH_TOKEN: "token-um-bem-comprido" });
    let cookie: string | null;
    try {
      expect(await entrarSemJs(primeiro.url, "token-errado")).toBeNull();
      cookie = await entrarSemJs(primeiro.url, "token-um-bem-comprido");
      expect(cookie).toMatch(/^provedores_llm_sessao=[A-Za-z0-9_-]{43}$/);
      expect((await rest(primeiro, { cookie: cookie! }).pedir("")).status).toBe(200);
      // The same cookie still works after a restart with the same token: sessions live in the database.
      await primeiro.parar();
      const mesmo = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", AUTH_TOKEN: "token-um-bem-comprido" });
      expect((await rest(mesmo, { cookie: cookie! }).pedir("")).status).toBe(200);
      await mesmo.parar();
    } finally {
      await primeiro.parar();
    }
    const trocado = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", AUTH_TOKEN: "token-dois-bem-comprido" });
    try {
      const r = await rest(trocado, { cookie: cookie! }).pedir("");
      expect(r.status).toBe(401);
      const pagina = await clienteApi(trocado.url, { cookie: cookie! }).pedir("/provedores-llm", { redirect: "manual" });
      expect(pagina.status).toBe(307);
      expect(pagina.headers.get("location")).toContain("/login");
    } finally {
      await trocado.parar();
    }
    // three starts and stops of the app: on a busy machine that outlasts the default 20 s
  }, 60_000);
});

describe("stopping", () => {
  it("SIGTERM right after a burst: every answered request is in the statistics after a restart", async () => {
    const { LlamaCppFalso } = await import("../servidores/llama-cpp");
    const falso = await new LlamaCppFalso().iniciar();
    const dataDir = mkdtempSync(path.join(tmpdir(), "provedores-sigterm-"));
    const primeiro = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
    try {
      const criado = await rest(primeiro).pedir<{ id: number }>("", {
        json: { nome: "Rajada", tipo: "llama_cpp", base_url: falso.url, modelo_padrao: "modelo-teste" },
      });
      const { id } = criado.corpo;
      const respostas = await Promise.all(Array.from({ length: 60 }, () => rest(primeiro).pedir(`/${id}/requisicao`, { json: MENSAGENS })));
      expect(respostas.every((r) => r.status === 200)).toBe(true);
      await primeiro.parar();
      const segundo = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
      try {
        const e = (await rest(segundo).pedir<{ total_requisicoes: number }>(`/${id}/estatisticas?periodo=1h`)).corpo;
        expect(e.total_requisicoes).toBe(60);
      } finally {
        await segundo.parar();
      }
    } finally {
      await primeiro.parar();
      await falso.parar();
    }
  });
});

describe("the embedded default", () => {
  it("creates and migrates its database on first start, and keeps everything across a restart", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "provedores-reinicio-"));
    // Without the monitor: its first check would change the status this test compares (nothing listens on 11434).
    const primeiro = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", APP_SECRET: "", MONITOR: "desligado" });
    const criado = await rest(primeiro).pedir("", {
      json: { nome: "Sobrevive", tipo: "ollama", api_key: "sk-reinicio", configuracao: { temperatura: 0.5 } },
    });
    expect(criado.status).toBe(201);
    const antes = criado.corpo;
    await primeiro.parar();

    const segundo = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", APP_SECRET: "", MONITOR: "desligado" });
    try {
      const lista = (await rest(segundo).pedir<unknown[]>("")).corpo;
      expect(lista).toEqual([antes]);
      expect(statSync(path.join(dataDir, "provedores-llm.db")).size).toBeGreaterThan(0);
      expect(statSync(path.join(dataDir, "segredo.key")).mode & 0o777).toBe(0o600);
    } finally {
      await segundo.parar();
    }
  });
});
