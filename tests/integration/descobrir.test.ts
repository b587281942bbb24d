import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DescobertaServidores } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LlamaCppRoteadorFalso } from "../servidores/llama-cpp-roteador";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { api } from "../support/contexto";
import { criarProvedor } from "../support/llm";

const falsos = {
  ollama: new OllamaFalso(),
  lmStudio: new LmStudioFalso(),
  lmStudioAntigo: Object.assign(new LmStudioFalso(), { semApiV0: true }),
  llama: new LlamaCppFalso(),
  roteador: new LlamaCppRoteadorFalso(),
};
// A bare OpenAI-compatible server: only /v1/models.
const generico = http.createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  if (req.url === "/v1/models") return res.end(JSON.stringify({ object: "list", data: [{ id: "gpt-local", object: "model" }] }));
  res.statusCode = 404;
  res.end(JSON.stringify({ error: { message: "not found" } }));
});
let portaGenerica = 0;
const ouvir = (servidor: http.Server, host = "127.0.0.1") =>
  new Promise<number>((resolve, reject) => {
    servidor.once("error", reject).listen(0, host, () => resolve((servidor.address() as AddressInfo).port));
  });
const fechar = (servidor: http.Server) => new Promise((r) => servidor.close(r));
// A port nothing listens on.
let portaVazia = 0;

beforeAll(async () => {
  await Promise.all(Object.values(falsos).map((f) => f.iniciar()));
  await new Promise<void>((r) => generico.listen(0, "127.0.0.1", () => r()));
  portaGenerica = (generico.address() as AddressInfo).port;
  const vazio = http.createServer();
  await new Promise<void>((r) => vazio.listen(0, "127.0.0.1", () => r()));
  portaVazia = (vazio.address() as AddressInfo).port;
  await new Promise((r) => vazio.close(r));
});
afterAll(async () => {
  await Promise.all(Object.values(falsos).map((f) => f.parar()));
  await new Promise((r) => generico.close(r));
});

describe("GET /api/provedores-llm/descobrir", () => {
  it("tells each server type apart by its native answers, on the default ports plus the ones asked for", async () => {
    const jaCadastrado = await criarProvedor("ollama", falsos.ollama.url.replace("127.0.0.1", "localhost"));
    expect(jaCadastrado).toBeGreaterThan(0);
    const portas = [...Object.values(falsos).map((f) => f.porta), portaGenerica, portaVazia];
    const r = await api(`/descobrir?portas=${portas.join(",")}`);
    expect(r.status).toBe(200);
    const d = (await r.json()) as DescobertaServidores;
    expect(d.hosts).toEqual(["127.0.0.1"]);
    expect(d.portas).toEqual(expect.arrayContaining([11434, 1234, 8080, ...portas]));
    const porPorta = new Map(d.servidores.map((s) => [Number(new URL(s.base_url).port), s]));
    expect(porPorta.get(falsos.ollama.porta)).toMatchObject({ tipo: "ollama", versao: "0.12.3", cadastrado: true });
    expect(porPorta.get(falsos.lmStudio.porta)).toMatchObject({ tipo: "lm_studio", cadastrado: false });
    expect(porPorta.get(falsos.lmStudioAntigo.porta)).toMatchObject({ tipo: "lm_studio" });
    expect(porPorta.get(falsos.llama.porta)).toMatchObject({ tipo: "llama_cpp", versao: "b1-de3ff81" });
    expect(porPorta.get(falsos.roteador.porta)).toMatchObject({ tipo: "llama_cpp" });
    expect(porPorta.get(portaGenerica)).toMatchObject({
      tipo: "openai_compativel",
      nome_sugerido: `servidor OpenAI-compatível (localhost:${portaGenerica})`,
    });
    expect(porPorta.has(portaVazia)).toBe(false);
    // what it found registers as is
    const lm = porPorta.get(falsos.lmStudio.porta)!;
    expect((await api("", { method: "POST", json: { nome: lm.nome_sugerido, tipo: lm.tipo, base_url: lm.base_url } })).status).toBe(201);
  });

  it("bad lists are a 400; a list that would turn into a port scan too", async () => {
    for (const q of ["portas=abc", "portas=70000", "hosts=a%20b", `portas=${Array.from({ length: 70 }, (_, i) => 20000 + i).join(",")}`]) {
      const r = await api(`/descobrir?${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { erro: { codigo: string } }).erro.codigo).toBe("validacao");
    }
  });
});

describe("discovery probes: each once, a bounded body, repeated parameters", () => {
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
  // An OpenAI-compatible router of 3 000 models: a /v1/models of some 200 KiB, and nothing else.
  const roteadorGrande = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/v1/models") {
      const data = Array.from({ length: 3000 }, (_, i) => ({
        id: `org/modelo-${i}`,
        object: "model",
        created: 1795533450,
        owned_by: "org",
      }));
      return res.end(JSON.stringify({ object: "list", data }));
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { message: "not found" } }));
  });
  // A llama-server whose model has a tool-calling chat template of 100 KiB: /props passes 64 KiB.
  const llamaTemplateGrande = new LlamaCppFalso({ modelos: [{ id: "qwen-tools", carregado: true }] });
  llamaTemplateGrande.templateDoChat = `{%- if tools %}${"{{- tool | tojson }}\n".repeat(5000)}{%- endif %}`;
  const ipv6 = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ version: "0.12.3" }));
  });
  const portas = { contador: 0, gigante: 0, roteador: 0, ipv6: 0 };
  let temIpv6 = false;
  beforeAll(async () => {
    portas.contador = await ouvir(contador);
    portas.gigante = await ouvir(gigante);
    portas.roteador = await ouvir(roteadorGrande);
    await llamaTemplateGrande.iniciar();
    // Some hosts have no IPv6 loopback: the IPv6 forms are then checked for their validation only.
    portas.ipv6 = await ouvir(ipv6, "::1").catch(() => 0);
    temIpv6 = portas.ipv6 > 0;
  });
  afterAll(async () => {
    await Promise.all([
      fechar(contador),
      fechar(gigante),
      fechar(roteadorGrande),
      temIpv6 ? fechar(ipv6) : null,
      llamaTemplateGrande.parar(),
    ]);
  });

  const descobrir = async (consulta: string) => {
    const r = await api(`/descobrir?${consulta}`);
    return { status: r.status, corpo: (await r.json()) as DescobertaServidores & { erro: { codigo: string; mensagem: string } } };
  };

  it("a host named twice is probed once, and the cap counts distinct probes", async () => {
    pedidos.length = 0;
    const r = await descobrir(`hosts=127.0.0.1&hosts=127.0.0.1,127.0.0.1&portas=${portas.contador}`);
    expect(r.status).toBe(200);
    expect(r.corpo.hosts).toEqual(["127.0.0.1"]);
    expect(r.corpo.servidores.filter((s) => s.base_url === `http://127.0.0.1:${portas.contador}`)).toHaveLength(1);
    expect(pedidos.filter((p) => p === "/v1/models")).toHaveLength(1);

    // 40 times one host is one host; 17 distinct hosts by 4 ports is past 64
    expect((await descobrir(`hosts=${Array(40).fill("127.0.0.1").join(",")}&portas=${portas.contador}`)).status).toBe(200);
    const muitos = Array.from({ length: 17 }, (_, i) => `127.0.0.${i + 2}`).join(",");
    const recusado = await descobrir(`hosts=${muitos}&portas=${portas.contador}`);
    expect(recusado.status).toBe(400);
    expect(recusado.corpo.erro.mensagem).toMatch(/\d+ combinações/);
  });

  it("a probe reads a bounded body: a huge one is cut, not read", async () => {
    const r = await descobrir(`portas=${portas.gigante}`);
    expect(r.status).toBe(200);
    expect(r.corpo.servidores.some((s) => s.base_url.endsWith(`:${portas.gigante}`))).toBe(false);
    // The socket buffers hold some MiB; a reader that took 16 MiB would have let far more through.
    await vi.waitFor(() => expect(enorme.fechou).toBe(true), { timeout: 5000 });
    expect(enorme.enviados).toBeLessThan(8 * 1024 * 1024);
  });

  it("a long /v1/models list is a server, and a llama-server with a large chat template is a llama-server", async () => {
    const r = await descobrir(`portas=${portas.roteador},${llamaTemplateGrande.porta}`);
    expect(r.status).toBe(200);
    expect(r.corpo.servidores).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tipo: "openai_compativel", base_url: `http://127.0.0.1:${portas.roteador}` }),
        expect.objectContaining({ tipo: "llama_cpp", base_url: `http://127.0.0.1:${llamaTemplateGrande.porta}`, versao: "b1-de3ff81" }),
      ]),
    );
  });

  it("portas and hosts may repeat or be comma-separated; host:port works; bad forms are a 400", async () => {
    const ambos = await descobrir(`portas=${portas.contador}&portas=${falsos.ollama.porta}`);
    expect(ambos.status).toBe(200);
    expect(ambos.corpo.servidores.map((s) => s.base_url)).toEqual(
      expect.arrayContaining([`http://127.0.0.1:${portas.contador}`, `http://127.0.0.1:${falsos.ollama.porta}`]),
    );
    expect(ambos.corpo.portas).toEqual(expect.arrayContaining([portas.contador, falsos.ollama.porta]));
    const comPorta = await descobrir(`hosts=127.0.0.1:${falsos.ollama.porta}`);
    expect(comPorta.corpo.servidores).toEqual([
      expect.objectContaining({ tipo: "ollama", base_url: `http://127.0.0.1:${falsos.ollama.porta}` }),
    ]);

    for (const ruim of ["[::1", "maquina:99999", "maquina:abc", "a:b:c", "[::1]:0"]) {
      const r = await descobrir(`hosts=${encodeURIComponent(ruim)}`);
      expect(r.status, ruim).toBe(400);
      expect(r.corpo.erro.codigo).toBe("validacao");
      expect(r.corpo.erro.mensagem).toContain(ruim);
    }
  });

  it("IPv6 loopback: ::1, [::1] and [::1]:port", async ({ skip }) => {
    skip(!temIpv6, "this host has no IPv6 loopback");
    const formas = await descobrir(`hosts=[::1]:${portas.ipv6}&hosts=127.0.0.1:${falsos.ollama.porta}`);
    expect(formas.status).toBe(200);
    expect(formas.corpo.hosts).toEqual(["::1", "127.0.0.1"]);
    expect(formas.corpo.servidores).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tipo: "ollama",
          base_url: `http://[::1]:${portas.ipv6}`,
          nome_sugerido: `Ollama ([::1]:${portas.ipv6})`,
        }),
      ]),
    );
    for (const host of ["::1", "[::1]"]) {
      const r = await descobrir(`hosts=${host}&portas=${portas.ipv6}`);
      expect(
        r.corpo.servidores.map((s) => s.base_url),
        host,
      ).toContain(`http://[::1]:${portas.ipv6}`);
    }
  });
});
