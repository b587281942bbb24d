import { createClient } from "@libsql/client";
import { spawn } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entrarSemJs } from "../support/login";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

const raiz = path.resolve(import.meta.dirname, "../..");
const JSON_ = { "content-type": "application/json" };

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
      const r = await fetch(`${servidor.url}/api/provedores-llm`, { headers: cabecalhos });
      expect(r.status).toBe(401);
      const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string } };
      expect(corpo.erro.codigo).toBe("nao_autorizado");
      expect(corpo.erro.mensagem).toContain("Authorization: Bearer");
    }
    const post = await fetch(`${servidor.url}/api/provedores-llm`, {
      method: "POST",
      headers: JSON_,
      body: JSON.stringify({ nome: "x", tipo: "ollama" }),
    });
    expect(post.status).toBe(401);
  });

  it("REST calls with the token work", async () => {
    const auth = { authorization: `Bearer ${token}`, ...JSON_ };
    const criado = await fetch(`${servidor.url}/api/provedores-llm`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ nome: "Com token", tipo: "ollama" }),
    });
    expect(criado.status).toBe(201);
    const lista = await fetch(`${servidor.url}/api/provedores-llm`, { headers: auth });
    expect(((await lista.json()) as unknown[]).length).toBe(1);
  });

  it("the request hot path (served ahead of Next by npm start) asks for the token too", async () => {
    const corpo = JSON.stringify({ mensagens: [{ role: "user", content: "oi" }] });
    const sem = await fetch(`${servidor.url}/api/provedores-llm/987654/requisicao`, { method: "POST", headers: JSON_, body: corpo });
    expect(sem.status).toBe(401);
    expect(((await sem.json()) as { erro: { codigo: string } }).erro.codigo).toBe("nao_autorizado");
    const com = await fetch(`${servidor.url}/api/provedores-llm/987654/requisicao`, {
      method: "POST",
      body: corpo,
      headers: { authorization: `Bearer ${token}`, ...JSON_ },
    });
    expect(com.status).toBe(404);
    expect(((await com.json()) as { erro: { codigo: string } }).erro.codigo).toBe("nao_encontrado");
  });

  it("pages send a visitor without the session cookie to /login", async () => {
    const r = await fetch(`${servidor.url}/provedores-llm/novo`, { redirect: "manual" });
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toContain("/login?proximo=%2Fprovedores-llm%2Fnovo");
    const login = await fetch(`${servidor.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Token de acesso");
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

  it("a session survives a restart with the same AUTH_TOKEN and ends when the token changes", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "provedores-sessoes-"));
    const primeiro = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", AUTH_TOKEN: "token-um-bem-comprido" });
    let cookie: string | null;
    try {
      expect(await entrarSemJs(primeiro.url, "token-errado")).toBeNull();
      cookie = await entrarSemJs(primeiro.url, "token-um-bem-comprido");
      expect(cookie).toMatch(/^provedores_llm_sessao=[A-Za-z0-9_-]{43}$/);
      expect((await fetch(`${primeiro.url}/api/provedores-llm`, { headers: { cookie: cookie! } })).status).toBe(200);
      // The same cookie still works after a restart with the same token: sessions live in the database.
      await primeiro.parar();
      const mesmo = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", AUTH_TOKEN: "token-um-bem-comprido" });
      expect((await fetch(`${mesmo.url}/api/provedores-llm`, { headers: { cookie: cookie! } })).status).toBe(200);
      await mesmo.parar();
    } finally {
      await primeiro.parar();
    }
    const trocado = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", AUTH_TOKEN: "token-dois-bem-comprido" });
    try {
      const r = await fetch(`${trocado.url}/api/provedores-llm`, { headers: { cookie: cookie! } });
      expect(r.status).toBe(401);
      const pagina = await fetch(`${trocado.url}/provedores-llm`, { headers: { cookie: cookie! }, redirect: "manual" });
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
      const criado = await fetch(`${primeiro.url}/api/provedores-llm`, {
        method: "POST",
        headers: JSON_,
        body: JSON.stringify({ nome: "Rajada", tipo: "llama_cpp", base_url: falso.url, modelo_padrao: "modelo-teste" }),
      });
      const { id } = (await criado.json()) as { id: number };
      const corpo = JSON.stringify({ mensagens: [{ role: "user", content: "oi" }] });
      const respostas = await Promise.all(
        Array.from({ length: 60 }, () =>
          fetch(`${primeiro.url}/api/provedores-llm/${id}/requisicao`, { method: "POST", headers: JSON_, body: corpo }),
        ),
      );
      expect(respostas.every((r) => r.status === 200)).toBe(true);
      await primeiro.parar();
      const segundo = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
      try {
        const e = (await (await fetch(`${segundo.url}/api/provedores-llm/${id}/estatisticas?periodo=1h`)).json()) as {
          total_requisicoes: number;
        };
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
    const criado = await fetch(`${primeiro.url}/api/provedores-llm`, {
      method: "POST",
      headers: JSON_,
      body: JSON.stringify({ nome: "Sobrevive", tipo: "ollama", api_key: "sk-reinicio", configuracao: { temperatura: 0.5 } }),
    });
    expect(criado.status).toBe(201);
    const antes = await criado.json();
    await primeiro.parar();

    const segundo = await iniciarApp({ DATA_DIR: dataDir, DATABASE_URL: "", APP_SECRET: "", MONITOR: "desligado" });
    try {
      const lista = (await (await fetch(`${segundo.url}/api/provedores-llm`)).json()) as unknown[];
      expect(lista).toEqual([antes]);
      expect(statSync(path.join(dataDir, "provedores-llm.db")).size).toBeGreaterThan(0);
      expect(statSync(path.join(dataDir, "segredo.key")).mode & 0o777).toBe(0o600);
    } finally {
      await segundo.parar();
    }
  });
});
