import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clienteApi } from "../support/cliente-api";
import { app } from "../support/contexto";
import { codigoDe, cru } from "../support/http-cru";
import { esperarAte, portaLivre } from "../support/portas";

const raiz = path.resolve(import.meta.dirname, "../..");
const JSON_ = { "content-type": "application/json" };

// `npm run dev` has no servidor.ts: Next's proxy is the only gate there. The same probes must hold.
// Once per suite run (on the libSQL file project): `next dev` compiles each route on first use.
describe.runIf(app().modoBanco === "arquivo")("the gate under next dev", () => {
  let processo: ChildProcess;
  let url = "";
  beforeAll(async () => {
    const porta = await portaLivre();
    url = `http://127.0.0.1:${porta}`;
    processo = spawn(
      process.execPath,
      [path.join(raiz, "node_modules/next/dist/bin/next"), "dev", "-H", "127.0.0.1", "-p", String(porta)],
      {
        cwd: raiz,
        env: { ...process.env, DATA_DIR: mkdtempSync(path.join(tmpdir(), "provedores-dev-")), AUTH_TOKEN: "", NODE_ENV: "development" },
        stdio: "ignore",
      },
    );
    await esperarAte(async () => (await clienteApi(url).resposta("/api/provedores-llm")).status === 200, 150_000, "o next dev");
  }, 180_000);
  afterAll(() => {
    processo?.kill("SIGTERM");
  });

  it("foreign Host → 403 on API and UI; text/plain write → 415; foreign Origin and cross-site → 403", { timeout: 120_000 }, async () => {
    const host = await cru(url, "/api/provedores-llm", { cabecalhos: { host: "evil.example:3000" }, limiteMs: 60_000 });
    expect([host.status, codigoDe(host)]).toEqual([403, "host_nao_permitido"]);
    const pagina = await cru(url, "/provedores-llm", { cabecalhos: { host: "evil.example:3000" }, limiteMs: 60_000 });
    expect(pagina.status).toBe(403);
    expect(pagina.corpo).toContain("ALLOWED_HOSTS");
    const corpo = JSON.stringify({ nome: "Via dev", tipo: "ollama" });
    const texto = await cru(url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { "content-type": "text/plain", origin: "http://evil.example" },
      corpo,
      limiteMs: 60_000,
    });
    expect([texto.status, codigoDe(texto)]).toEqual([415, "tipo_de_conteudo"]);
    const origem = await cru(url, "/api/provedores-llm", {
      metodo: "POST",
      cabecalhos: { ...JSON_, origin: "http://evil.example" },
      corpo,
      limiteMs: 60_000,
    });
    expect([origem.status, codigoDe(origem)]).toEqual([403, "origem_nao_permitida"]);
    const site = await cru(url, "/api/provedores-llm", { cabecalhos: { "sec-fetch-site": "cross-site" }, limiteMs: 60_000 });
    expect([site.status, codigoDe(site)]).toEqual([403, "origem_nao_permitida"]);
    const lista = (await (await clienteApi(url).resposta("/api/provedores-llm")).json()) as unknown[];
    expect(lista).toEqual([]);
  });

  it("the request route (the route table, through an App Router shell) is behind the same gate", { timeout: 120_000 }, async () => {
    const caminho = "/api/provedores-llm/987654/requisicao";
    const texto = await cru(url, caminho, { metodo: "POST", cabecalhos: { "content-type": "text/plain" }, corpo: "{}", limiteMs: 90_000 });
    expect([texto.status, codigoDe(texto)]).toEqual([415, "tipo_de_conteudo"]);
    const host = await cru(url, caminho, { metodo: "POST", cabecalhos: { ...JSON_, host: "evil.example" }, corpo: "{}", limiteMs: 90_000 });
    expect([host.status, codigoDe(host)]).toEqual([403, "host_nao_permitido"]);
    const proprio = await cru(url, caminho, {
      metodo: "POST",
      cabecalhos: { ...JSON_, origin: url },
      corpo: JSON.stringify({ mensagens: [{ role: "user", content: "oi" }] }),
      limiteMs: 90_000,
    });
    expect([proprio.status, codigoDe(proprio)]).toEqual([404, "nao_encontrado"]);
  });

  it("pages carry the nonce CSP (with eval only because this is dev) and frame-ancestors 'none'", { timeout: 120_000 }, async () => {
    const r = await cru(url, "/provedores-llm", { limiteMs: 90_000 });
    expect(r.status).toBe(200);
    const csp = String(r.cabecalhos["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'unsafe-eval'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.cabecalhos["x-content-type-options"]).toBe("nosniff");
  });
});
