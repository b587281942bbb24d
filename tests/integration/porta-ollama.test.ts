import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { clienteApi } from "../support/cliente-api";
import { app as appCompartilhado } from "../support/contexto";
import { esperarAte } from "../support/portas";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// Ollama's native API at the app's root, driven by the official `ollama` client over real HTTP, on an app of
// its own (a fresh database: /api/tags lists every active provider): translated to OpenAI for llama.cpp and
// LM Studio, passed through to a real Ollama's own routes.

const RESPOSTA = "Olá! Sou um modelo servido pela porta do Ollama.";
const PALAVRAS = RESPOSTA.split(" ").length;
let app: ServidorApp;
const falsos: ServidorFalso[] = [];
let llama: LlamaCppFalso;
let lms: LmStudioFalso;
let ollamaFalso: OllamaFalso;
let llamaId: number;
let ollamaId: number;

const rest = () => clienteApi(`${app.url}/api/provedores-llm`);
const cliente = () => new Ollama({ host: app.url });

async function servidor<S extends ServidorFalso>(falso: S): Promise<S> {
  falsos.push(falso);
  return falso.iniciar();
}

async function provedor(nome: string, tipo: TipoProvedor, falso: ServidorFalso): Promise<number> {
  const { id } = (await rest().pedir<{ id: number }>("", { json: { nome, tipo, base_url: falso.url, timeout_segundos: 5 } })).corpo;
  expect((await rest().pedir(`/${id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });
  return id;
}

/** A raw POST with JSON, read whole. */
async function postar(caminho: string, corpo: unknown): Promise<Response> {
  return fetch(`${app.url}${caminho}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(corpo) });
}

/** The last body a test server received on `caminho`, parsed. */
function ultimoCorpo(falso: ServidorFalso, caminho: string): Record<string, unknown> {
  const r = falso.recebidas.filter((x) => x.caminho === caminho).at(-1);
  expect(r, `o servidor recebeu ${caminho}`).toBeDefined();
  return JSON.parse(r!.corpoTexto) as Record<string, unknown>;
}

const DURACOES = ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration", "prompt_eval_count", "eval_count"];

beforeAll(async () => {
  app = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado" });
  llama = await servidor(new LlamaCppFalso({ modelos: [{ id: "ol-tiny", contexto: 4096 }], resposta: RESPOSTA }));
  lms = await servidor(
    new LmStudioFalso({ modelos: [{ id: "ol-comum", carregado: true, contexto: 8192, quantizacao: "Q4_K_M" }], resposta: RESPOSTA }),
  );
  ollamaFalso = await servidor(
    new OllamaFalso({
      modelos: [
        { id: "ol-llama3.2:latest", carregado: true, contexto: 131072, capacidades: ["completion", "tools"] },
        { id: "ol-embed:latest", capacidades: ["embedding"] },
      ],
      resposta: RESPOSTA,
    }),
  );
  ollamaFalso.passoPullMs = 5;
  ollamaFalso.passosPorCamada = 3;
  llamaId = await provedor("llama.cpp da porta", "llama_cpp", llama);
  await provedor("LM Studio da porta", "lm_studio", lms);
  ollamaId = await provedor("Ollama da porta", "ollama", ollamaFalso);
}, 60_000);
afterAll(async () => {
  await Promise.all(falsos.map((f) => f.parar()));
  await app?.parar();
});

describe("the probe and the model lists", () => {
  it("GET and HEAD / answer Ollama's text to a client, the home page to a browser", async () => {
    const sonda = await fetch(`${app.url}/`);
    expect([sonda.status, await sonda.text()]).toEqual([200, "Ollama is running"]);
    expect((await fetch(`${app.url}/`, { method: "HEAD" })).status).toBe(200);
    const navegador = await fetch(`${app.url}/`, { headers: { accept: "text/html,application/xhtml+xml" }, redirect: "manual" });
    expect(navegador.status).toBeGreaterThanOrEqual(300);
    expect(navegador.status).toBeLessThan(400);
    // Both answers at / name what they depend on, so a cache keeps them apart.
    expect([sonda.headers.get("vary"), navegador.headers.get("vary")].map((v) => /\bAccept\b/.test(v ?? ""))).toEqual([true, true]);
    expect(await cliente().version()).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it("Next's own requests to / (router navigations, prefetches, server actions, page loads) get the page, not the probe", async () => {
    const sonda = await fetch(`${app.url}/`);
    expect(sonda.headers.get("vary")).toContain("Accept");
    for (const cabecalhos of <Record<string, string>[]>[
      { rsc: "1" },
      { "next-router-prefetch": "1", rsc: "1" },
      { accept: "text/x-component" },
      // (fetch sets sec-fetch-mode itself: `navigate` is checked in tests/unit/traducao-ollama.test.ts)
      { "sec-fetch-dest": "document" },
    ]) {
      const r = await fetch(`${app.url}/`, { headers: cabecalhos, redirect: "manual" });
      const texto = await r.text();
      expect(texto, JSON.stringify(cabecalhos)).not.toBe("Ollama is running");
      expect(r.headers.get("content-type") ?? "", JSON.stringify(cabecalhos)).not.toContain("text/plain");
    }
    // A POST is no probe either: the page's answer, not the door's 405 {error}.
    const post = await fetch(`${app.url}/`, { method: "POST", redirect: "manual" });
    expect(await post.text()).not.toBe("Ollama is running");
    expect(post.headers.get("content-type") ?? "").not.toContain("json");
  });

  it("list: every model of every server as name:tag, an untagged id with :latest", async () => {
    const { models } = await cliente().list();
    const nomes = models.map((m) => m.name);
    expect(nomes).toEqual(expect.arrayContaining(["ol-tiny:latest", "ol-comum:latest", "ol-llama3.2:latest", "ol-embed:latest"]));
    expect(nomes.filter((n) => n === "ol-llama3.2:latest")).toHaveLength(1);
    const comum = models.find((m) => m.name === "ol-comum:latest")!;
    expect(comum).toMatchObject({ model: "ol-comum:latest", details: { quantization_level: "Q4_K_M", format: "gguf" } });
    expect(typeof comum.digest).toBe("string");
  });

  it("the same model on two servers is one entry", async () => {
    const ida = await servidor(new LlamaCppFalso({ modelos: [{ id: "ol-comum" }], resposta: RESPOSTA }));
    const id = await provedor("llama.cpp segundo", "llama_cpp", ida);
    try {
      const { models } = await cliente().list();
      expect(models.filter((m) => m.name === "ol-comum:latest")).toHaveLength(1);
      // Routed like any door's call: with LM Studio down, the other server answers, and the call is counted.
      await lms.definirFalha("recusar");
      try {
        const r = await cliente().chat({ model: "ol-comum:latest", messages: [{ role: "user", content: "Oi" }], stream: false });
        expect(r.message.content).toBe(RESPOSTA);
        expect(ida.recebidas.filter((x) => x.caminho === "/v1/chat/completions")).toHaveLength(1);
        // The statistics row is written once the answer is out.
        const estatisticas = () =>
          rest().pedir<{ total_requisicoes: number; requisicoes_sucesso: number }>(`/${id}/estatisticas?periodo=1h`);
        await esperarAte(async () => (await estatisticas()).corpo.total_requisicoes === 1, 5000, "a estatística da chamada");
        expect((await estatisticas()).corpo).toMatchObject({ total_requisicoes: 1, requisicoes_sucesso: 1 });
      } finally {
        await lms.definirFalha(null);
      }
    } finally {
      await rest().pedir(`/${id}`, { method: "DELETE" });
    }
  });

  it("llama.cpp's `ol-tiny` and an Ollama's `ol-tiny:latest` are two entries, each routed to what it lists", async () => {
    const outro = await servidor(new OllamaFalso({ modelos: [{ id: "ol-tiny:latest" }], resposta: RESPOSTA }));
    const id = await provedor("Ollama do tiny", "ollama", outro);
    try {
      const nomes = (await cliente().list()).models.map((m) => m.name);
      expect(nomes).toEqual(expect.arrayContaining(["ol-tiny:latest", "llama-cpp-da-porta/ol-tiny:latest"]));
      const antes = llama.recebidas.length;
      const r = await cliente().chat({
        model: "llama-cpp-da-porta/ol-tiny:latest",
        messages: [{ role: "user", content: "Oi" }],
        stream: false,
      });
      expect(r).toMatchObject({ model: "llama-cpp-da-porta/ol-tiny:latest", message: { content: RESPOSTA } });
      expect(llama.recebidas.slice(antes).map((x) => x.caminho)).toContain("/v1/chat/completions");
      await cliente().chat({ model: "ol-tiny:latest", messages: [{ role: "user", content: "Oi" }], stream: false });
      expect(ultimoCorpo(outro, "/api/chat")).toMatchObject({ model: "ol-tiny:latest" });
    } finally {
      await rest().pedir(`/${id}`, { method: "DELETE" });
    }
  });

  it("ps: the loaded models; show: context length, family, capabilities", async () => {
    const { models } = await cliente().ps();
    const nomes = models.map((m) => m.name);
    expect(nomes).toEqual(expect.arrayContaining(["ol-comum:latest", "ol-llama3.2:latest"]));
    expect(nomes).not.toContain("ol-embed:latest");
    const show = await cliente().show({ model: "ol-llama3.2:latest" });
    expect(show.capabilities).toEqual(["completion", "tools"]);
    expect(show.model_info).toMatchObject({ "llama.context_length": 131072 });
    const tiny = await cliente().show({ model: "ol-tiny:latest" });
    // llama.cpp's model list says nothing of tools or images: only what the app knows is claimed.
    expect(tiny.capabilities).toEqual(["completion"]);
    expect(Object.entries(tiny.model_info ?? {}).find(([k]) => k.endsWith(".context_length"))?.[1]).toBe(4096);
    await expect(cliente().show({ model: "nao-existe:1b" })).rejects.toMatchObject({
      status_code: 404,
      error: expect.stringMatching(/^model 'nao-existe:1b' not found: nenhum provedor ativo tem este modelo\. .*GET \/api\/tags/),
    });
  });
});

describe("chat and generate over every server type", () => {
  it("chat, not streamed, translated (llama.cpp): the text, the name the client used, the server's own timings", async () => {
    const r = await cliente().chat({ model: "ol-tiny:latest", messages: [{ role: "user", content: "Oi" }], stream: false });
    expect(r).toMatchObject({
      model: "ol-tiny:latest",
      done: true,
      done_reason: "stop",
      message: { role: "assistant", content: RESPOSTA },
    });
    expect(r.eval_count).toBe(PALAVRAS);
    // llama-server's timings: prompt_ms 3.016, predicted_ms 1.821.
    expect([r.prompt_eval_duration, r.eval_duration]).toEqual([3_016_000, 1_821_000]);
    expect(ultimoCorpo(llama, "/v1/chat/completions")).toMatchObject({ model: "ol-tiny", stream: false });
  });

  it("chat, streamed by default, translated (LM Studio): the deltas, then done with the counts", async () => {
    let texto = "";
    let ultimo: Record<string, unknown> = {};
    for await (const parte of await cliente().chat({ model: "ol-comum", messages: [{ role: "user", content: "Oi" }], stream: true })) {
      texto += parte.message.content;
      ultimo = parte as unknown as Record<string, unknown>;
    }
    expect(texto).toBe(RESPOSTA);
    expect(ultimo).toMatchObject({ done: true, done_reason: "stop", eval_count: PALAVRAS, model: "ol-comum" });
  });

  it("chat natively on a real Ollama: its own route, its lines, streamed and not", async () => {
    const antes = ollamaFalso.recebidas.filter((r) => r.caminho === "/api/chat").length;
    const inteira = await cliente().chat({ model: "ol-llama3.2", messages: [{ role: "user", content: "Oi" }], stream: false });
    expect(inteira).toMatchObject({ model: "ol-llama3.2", message: { content: RESPOSTA }, done: true, eval_count: PALAVRAS });
    let texto = "";
    for await (const p of await cliente().chat({ model: "ol-llama3.2:latest", messages: [{ role: "user", content: "Oi" }], stream: true }))
      texto += p.message.content;
    expect(texto).toBe(RESPOSTA);
    expect(ollamaFalso.recebidas.filter((r) => r.caminho === "/api/chat").length).toBe(antes + 2);
    expect(ultimoCorpo(ollamaFalso, "/api/chat")).toMatchObject({ model: "ol-llama3.2:latest", stream: true });
    // The untagged name, streamed: every line of Ollama's own carries the name the client sent.
    const linhas: Record<string, unknown>[] = [];
    for await (const p of await cliente().chat({ model: "ol-llama3.2", messages: [{ role: "user", content: "Oi" }], stream: true }))
      linhas.push(p as unknown as Record<string, unknown>);
    expect(linhas.length).toBeGreaterThan(PALAVRAS);
    expect(linhas.every((l) => l.model === "ol-llama3.2")).toBe(true);
    expect(linhas.at(-1)).toMatchObject({ done: true, eval_count: PALAVRAS });
  });

  it("a tag alias of a model pulled outside the app, unknown to the model lists, is found after one refresh", async () => {
    ollamaFalso.modelos.push({ id: "ol-novo:latest" });
    // The refresh an unknown name starts is limited to one a second (an earlier test's unknown name may have just
    // had one): past that second, the first ask must find it (asking twice would find it in the refreshed list).
    await new Promise((r) => setTimeout(r, 1100));
    const r = await cliente().chat({ model: "ol-novo", messages: [{ role: "user", content: "Oi" }], stream: false });
    expect(r).toMatchObject({ model: "ol-novo", message: { content: RESPOSTA }, done: true });
    expect(ultimoCorpo(ollamaFalso, "/api/chat")).toMatchObject({ model: "ol-novo:latest" });
  });

  it("no messages on a real Ollama: the request itself, through the pipeline, with the client's keep_alive", async () => {
    const descarregar = await cliente().chat({ model: "ol-llama3.2:latest", messages: [], keep_alive: 0, stream: false });
    expect(descarregar).toMatchObject({ model: "ol-llama3.2:latest", done: true, done_reason: "unload" });
    expect(ultimoCorpo(ollamaFalso, "/api/chat")).toMatchObject({ model: "ol-llama3.2:latest", keep_alive: 0, messages: [] });
    expect((await cliente().ps()).models.map((m) => m.name)).not.toContain("ol-llama3.2:latest");
    // `ollama run`'s preload with the client's default 5m: Ollama gets 5m (never a -1 that pins the model forever).
    const carregar = await cliente().generate({ model: "ol-llama3.2", prompt: "", keep_alive: "5m", stream: false });
    expect(carregar).toMatchObject({ model: "ol-llama3.2", done: true, done_reason: "load" });
    expect(ultimoCorpo(ollamaFalso, "/api/generate")).toMatchObject({ model: "ol-llama3.2:latest", keep_alive: "5m", prompt: "" });
    expect((await cliente().ps()).models.map((m) => m.name)).toContain("ol-llama3.2:latest");
    // Counted like any call of the door: one statistics row on that provider.
    const estatisticas = () => rest().pedir<{ total_requisicoes: number }>(`/${ollamaId}/estatisticas?periodo=1h`);
    const antes = (await estatisticas()).corpo.total_requisicoes;
    await cliente().generate({ model: "ol-llama3.2", prompt: "", stream: false });
    await esperarAte(async () => (await estatisticas()).corpo.total_requisicoes === antes + 1, 5000, "a estatística do preload");
  });

  it("a preload on LM Studio of a model it has loaded loads no second instance", async () => {
    const antes = lms.recebidas.length;
    const r = await cliente().generate({ model: "ol-comum", prompt: "", stream: false });
    expect(r).toMatchObject({ model: "ol-comum", done: true, done_reason: "load" });
    expect(lms.recebidas.slice(antes).map((x) => `${x.metodo} ${x.caminho}`)).not.toContain("POST /api/v1/models/load");
  });

  it("an OpenAI-compatible server that refuses unknown fields: only OpenAI's fields are sent (no top_k, no num_ctx)", async () => {
    const estrito = await servidor(new OpenAICompativelFalso({ modelos: [{ id: "ol-proxy" }], resposta: RESPOSTA }));
    estrito.falha = "estrito";
    const id = await provedor("Proxy estrito", "openai_compativel", estrito);
    try {
      let texto = "";
      const opcoes = { temperature: 0.3, top_k: 5, num_ctx: 4096 };
      for await (const p of await cliente().chat({
        model: "ol-proxy",
        messages: [{ role: "user", content: "Oi" }],
        options: opcoes,
        stream: true,
      }))
        texto += p.message.content;
      expect(texto).toBe(RESPOSTA);
      const enviado = ultimoCorpo(estrito, "/v1/chat/completions");
      expect(enviado).toMatchObject({ model: "ol-proxy", temperature: 0.3, stream: true });
      expect(Object.keys(enviado)).not.toEqual(expect.arrayContaining(["top_k"]));
      expect(enviado).not.toHaveProperty("num_ctx");
    } finally {
      await rest().pedir(`/${id}`, { method: "DELETE" });
    }
  });

  it("options, format and images reach a translated server in OpenAI's fields", async () => {
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const r = await cliente().chat({
      model: "ol-tiny:latest",
      messages: [{ role: "user", content: "O que é isto?", images: [png] }],
      stream: false,
      format: { type: "object", properties: { resposta: { type: "string" } } },
      options: { temperature: 0.2, top_p: 0.9, top_k: 20, num_predict: 3, stop: ["\n"], seed: 7, num_ctx: 8192 },
    });
    expect(r.done_reason).toBe("length");
    const enviado = ultimoCorpo(llama, "/v1/chat/completions");
    expect(enviado).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      top_k: 20,
      max_tokens: 3,
      stop: ["\n"],
      seed: 7,
      response_format: { type: "json_schema", json_schema: { schema: { type: "object" } } },
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "O que é isto?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
    });
    expect(enviado).not.toHaveProperty("num_ctx");
  });

  it("a tool call round trip, translated: arguments as an object, then the tool's result answered", async () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "clima",
          description: "O clima de uma cidade",
          parameters: { type: "object", properties: { cidade: { type: "string" } }, required: ["cidade"] },
        },
      },
    ];
    const pergunta = { role: "user", content: "Recife" };
    const r = await cliente().chat({ model: "ol-tiny:latest", messages: [pergunta], tools, stream: false });
    expect(r.message.tool_calls).toEqual([{ function: { name: "clima", arguments: { cidade: "teste" } } }]);
    // Streamed: the call whole in one line (OpenAI streamed its arguments in pieces).
    const chamadas: unknown[] = [];
    for await (const p of await cliente().chat({ model: "ol-tiny:latest", messages: [pergunta], tools, stream: true }))
      chamadas.push(...(p.message.tool_calls ?? []));
    expect(chamadas).toEqual([{ function: { name: "clima", arguments: { cidade: "teste" } } }]);
    const final = await cliente().chat({
      model: "ol-tiny:latest",
      messages: [pergunta, r.message, { role: "tool", content: '{"temperatura": 30}', tool_name: "clima" }],
      tools,
      stream: false,
    });
    // The test model quotes the tool's result (tests/servidores/openai-chat.ts).
    expect(final.message.content).toBe('Resultado da ferramenta: {"temperatura": 30}');
    const mensagens = ultimoCorpo(llama, "/v1/chat/completions").messages as Record<string, unknown>[];
    const idDaChamada = (mensagens[1]!.tool_calls as { id: string; function: { arguments: string } }[])[0]!;
    expect(idDaChamada.function.arguments).toBe('{"cidade":"teste"}');
    expect(mensagens[2]).toEqual({ role: "tool", content: '{"temperatura": 30}', tool_call_id: idDaChamada.id });
  });

  it("generate: translated to chat with the system text, and natively on Ollama", async () => {
    const r = await cliente().generate({ model: "ol-tiny:latest", prompt: "Oi", system: "Seja breve.", stream: false });
    expect(r).toMatchObject({ model: "ol-tiny:latest", response: RESPOSTA, done: true });
    expect(ultimoCorpo(llama, "/v1/chat/completions").messages).toEqual([
      { role: "system", content: "Seja breve." },
      { role: "user", content: "Oi" },
    ]);
    let texto = "";
    for await (const p of await cliente().generate({ model: "ol-llama3.2:latest", prompt: "Oi", stream: true })) texto += p.response;
    expect(texto).toBe(RESPOSTA);
    expect(ultimoCorpo(ollamaFalso, "/api/generate")).toMatchObject({ prompt: "Oi", stream: true });
    const cru = await cliente().generate({ model: "ol-tiny:latest", prompt: "[INST] Oi [/INST]", raw: true, stream: false });
    expect(cru.response).toBe(RESPOSTA);
    expect(ultimoCorpo(llama, "/v1/completions")).toMatchObject({ prompt: "[INST] Oi [/INST]" });
  });

  it("embed and the legacy embeddings: translated (llama.cpp) and native (Ollama)", async () => {
    const traduzido = await cliente().embed({ model: "ol-tiny:latest", input: ["um", "dois"] });
    expect(traduzido.embeddings).toHaveLength(2);
    expect(traduzido.embeddings[0]!.length).toBeGreaterThan(0);
    const nativo = await cliente().embed({ model: "ol-embed:latest", input: "um" });
    expect(nativo).toMatchObject({ model: "ol-embed:latest", embeddings: [expect.any(Array)] });
    expect(nativo.embeddings[0]).toEqual(traduzido.embeddings[0]);
    const legado = await cliente().embeddings({ model: "ol-tiny", prompt: "um" });
    expect(legado.embedding).toEqual(traduzido.embeddings[0]);
    // On a real Ollama, its own legacy route with `prompt` (whose vectors Ollama does not normalise).
    const legadoNativo = await cliente().embeddings({ model: "ol-embed:latest", prompt: "um" });
    expect(legadoNativo.embedding).toEqual(traduzido.embeddings[0]);
    expect(ultimoCorpo(ollamaFalso, "/api/embeddings")).toMatchObject({ model: "ol-embed:latest", prompt: "um" });
  });

  it("the NDJSON framing, line by line: one JSON object per line, done:true last with integer durations", async () => {
    for (const modelo of ["ol-tiny:latest", "ol-comum:latest", "ol-llama3.2:latest"]) {
      const r = await postar("/api/chat", { model: modelo, messages: [{ role: "user", content: "Oi" }] });
      expect(r.status, modelo).toBe(200);
      expect(r.headers.get("content-type"), modelo).toBe("application/x-ndjson");
      expect([r.headers.get("cache-control"), r.headers.get("x-accel-buffering")], modelo).toEqual(["no-cache, no-transform", "no"]);
      const texto = await r.text();
      expect(texto.endsWith("\n"), modelo).toBe(true);
      const linhas = texto
        .slice(0, -1)
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(linhas.length, modelo).toBeGreaterThan(PALAVRAS);
      expect(
        linhas.slice(0, -1).every((l) => l.done === false && l.model === modelo),
        modelo,
      ).toBe(true);
      const ultima = linhas.at(-1)!;
      expect(ultima, modelo).toMatchObject({ done: true, done_reason: "stop", model: modelo, message: { role: "assistant", content: "" } });
      for (const campo of DURACOES) expect(Number.isInteger(ultima[campo]), `${modelo} ${campo}`).toBe(true);
      expect(ultima.eval_count, modelo).toBe(PALAVRAS);
    }
  });

  it("an error after the first byte is a final {error} line", async () => {
    await ollamaFalso.definirFalha("erro_no_stream");
    try {
      const r = await postar("/api/chat", { model: "ol-llama3.2:latest", messages: [{ role: "user", content: "Oi" }] });
      const linhas = (await r.text())
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(r.status).toBe(200);
      expect(linhas.at(-1)).toEqual({ error: expect.stringContaining("out of memory") });
      expect(linhas.some((l) => l.done === true)).toBe(false);
    } finally {
      await ollamaFalso.definirFalha(null);
    }
  });
});

describe("bad input and routes the app cannot serve", () => {
  it("bad input is Ollama's {error} with a 4xx, and nothing goes upstream", async () => {
    const antes = llama.recebidas.length + lms.recebidas.length + ollamaFalso.recebidas.length;
    const casos: [string, unknown, number][] = [
      ["/api/chat", { messages: [{ role: "user", content: "Oi" }] }, 400],
      ["/api/chat", { model: "ol-tiny", messages: [{ role: "robo", content: "Oi" }] }, 400],
      ["/api/chat", { model: "ol-tiny", messages: "Oi" }, 400],
      ["/api/generate", { model: "ol-tiny", prompt: 3 }, 400],
      ["/api/chat", { model: "ol-tiny", messages: [{ role: "user", content: "Oi" }], options: { num_predict: "muitos" } }, 400],
      ["/api/embed", { model: "ol-tiny" }, 400],
      ["/api/chat", { model: "ol-tiny", messages: [{ role: "user", content: "Oi", images: ["/home/eu/foto.png"] }] }, 400],
      ["/api/generate", { model: "ol-tiny", prompt: "Oi", images: ["https://exemplo.com/a.png"] }, 400],
      ["/api/show", {}, 400],
    ];
    for (const [caminho, corpo, status] of casos) {
      const r = await postar(caminho, corpo);
      expect(r.status, JSON.stringify(corpo)).toBe(status);
      expect(await r.json()).toEqual({ error: expect.any(String) });
    }
    const quebrado = await fetch(`${app.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{model",
    });
    expect(quebrado.status).toBe(400);
    expect(await quebrado.json()).toEqual({ error: expect.any(String) });
    expect(llama.recebidas.length + lms.recebidas.length + ollamaFalso.recebidas.length).toBe(antes);
  });

  it("a server failing before the first byte is Ollama's {error} with a 5xx of the gateway, never a 500", async () => {
    await ollamaFalso.definirFalha("erro_500");
    try {
      const r = await postar("/api/chat", { model: "ol-llama3.2:latest", messages: [{ role: "user", content: "Oi" }] });
      expect(r.status).toBe(502);
      expect(await r.json()).toEqual({ error: expect.stringContaining("llama runner process has terminated") });
    } finally {
      await ollamaFalso.definirFalha(null);
    }
  });

  it("an unknown model is a 404 the client raises", async () => {
    const erro = await cliente()
      .chat({ model: "nao-existe:7b", messages: [{ role: "user", content: "Oi" }], stream: false })
      .catch((e: unknown) => e);
    // The client's ResponseError (not exported by its types): the status and Ollama's message.
    expect(erro).toMatchObject({
      name: "ResponseError",
      status_code: 404,
      error: expect.stringMatching(/^model 'nao-existe:7b' not found: .*GET \/api\/tags/),
    });
  });

  it("create, copy, push and blobs answer 501 {error}; the app's own /api stays the contract's", async () => {
    for (const [metodo, caminho] of [
      ["POST", "/api/create"],
      ["POST", "/api/copy"],
      ["POST", "/api/push"],
      ["HEAD", "/api/blobs/sha256:abc"],
      ["POST", "/api/blobs/sha256:abc"],
    ] as const) {
      const r = await fetch(`${app.url}${caminho}`, {
        method: metodo,
        headers: { "content-type": "application/json" },
        body: metodo === "HEAD" ? undefined : "{}",
      });
      expect(r.status, caminho).toBe(501);
      if (metodo !== "HEAD") expect(await r.json()).toEqual({ error: expect.any(String) });
    }
    const contrato = await fetch(`${app.url}/api/nada`);
    expect([contrato.status, ((await contrato.json()) as { erro: { codigo: string } }).erro.codigo]).toEqual([404, "nao_encontrado"]);
  });
});

describe("the gate applies to the Ollama door", () => {
  it("with AUTH_TOKEN on, a call without the token is Ollama's 401 {error}; with it, the client works", async () => {
    const protegido = await iniciarApp({
      APP_SECRET: appCompartilhado().segredoApp,
      MONITOR: "desligado",
      AUTH_TOKEN: "token-da-porta-ollama-0123",
    });
    try {
      for (const caminho of ["/", "/api/tags", "/api/version"]) {
        const r = await fetch(`${protegido.url}${caminho}`);
        expect(r.status, caminho).toBe(401);
        expect(await r.json()).toEqual({ error: expect.any(String) });
      }
      const comToken = new Ollama({ host: protegido.url, headers: { authorization: "Bearer token-da-porta-ollama-0123" } });
      expect(await comToken.list()).toEqual({ models: [] });
    } finally {
      await protegido.parar();
    }
  });
});

describe("pull and delete through the servers' model management", () => {
  it("pull streams Ollama's progress (manifest, each layer, success), then delete removes the model", async () => {
    const estados: string[] = [];
    let completou = 0;
    for await (const p of await cliente().pull({ model: "llama3.2:1b", stream: true })) {
      estados.push(p.status);
      if (p.completed) completou = Math.max(completou, p.completed);
    }
    expect(estados[0]).toBe("pulling manifest");
    expect(estados).toContain("pulling sha256:74701a8c35f6c8d9a4b91f3f3497643001d63e0c7a84e085bed452548fa88d45");
    expect(estados.at(-1)).toBe("success");
    expect(completou).toBe(1_321_082_688);
    expect((await cliente().list()).models.map((m) => m.name)).toContain("llama3.2:1b");
    expect((await rest().pedir<{ modelos: { modelo: string }[] }>(`/${ollamaId}/modelos`)).corpo.modelos.map((m) => m.modelo)).toContain(
      "llama3.2:1b",
    );

    expect(await cliente().delete({ model: "llama3.2:1b" })).toEqual({ status: "success" });
    expect(ollamaFalso.modelos.map((m) => m.id)).not.toContain("llama3.2:1b");
    expect((await cliente().list()).models.map((m) => m.name)).not.toContain("llama3.2:1b");
  });

  it("a failed pull ends with an {error} line; delete of an unknown model is a 404", async () => {
    const linhas: Record<string, unknown>[] = [];
    const r = await postar("/api/pull", { model: "nao-existe:1b" });
    for (const l of (await r.text()).trim().split("\n")) linhas.push(JSON.parse(l) as Record<string, unknown>);
    expect(linhas[0]).toEqual({ status: "pulling manifest" });
    expect(linhas.at(-1)).toEqual({ error: expect.stringContaining("file does not exist") });
    await expect(cliente().delete({ model: "nao-existe:1b" })).rejects.toMatchObject({ status_code: 404 });
  });

  it("a pull pinned to a provider that cannot download is refused with {error}", async () => {
    const r = await postar("/api/pull", { model: "llama-cpp-da-porta/qualquer:1b", stream: false });
    expect(r.status).toBe(409);
    expect(await r.json()).toEqual({ error: expect.any(String) });
    // Nothing was started there: no download on the provider's list, no download request to its server.
    expect((await rest().pedir<{ downloads: unknown[] }>(`/${llamaId}/modelos/downloads`)).corpo).toEqual({ downloads: [] });
    expect(llama.recebidas.filter((x) => x.metodo === "POST" && !x.caminho.startsWith("/v1/"))).toEqual([]);
  });

  it("delete of a model two providers have is a 409 asking for a pin; nothing is deleted", async () => {
    const outro = await servidor(new OllamaFalso({ modelos: [{ id: "ol-llama3.2:latest" }], resposta: RESPOSTA }));
    const id = await provedor("Ollama segundo", "ollama", outro);
    try {
      const r = await fetch(`${app.url}/api/delete`, {
        method: "DELETE",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "ol-llama3.2:latest" }),
      });
      expect(r.status).toBe(409);
      expect(await r.json()).toEqual({ error: expect.stringContaining("ollama-da-porta/ol-llama3.2:latest") });
      expect(ollamaFalso.modelos.map((m) => m.id)).toContain("ol-llama3.2:latest");
      expect(outro.modelos.map((m) => m.id)).toContain("ol-llama3.2:latest");
      expect((await cliente().list()).models.map((m) => m.name)).toContain("ol-llama3.2:latest");
    } finally {
      await rest().pedir(`/${id}`, { method: "DELETE" });
    }
  });

  it("a pull of a model a provider already has goes to that provider (an update), not to an Ollama as a second copy", async () => {
    const antes = ollamaFalso.recebidas.filter((x) => x.caminho === "/api/pull").length;
    const r = await postar("/api/pull", { model: "ol-comum", stream: false });
    expect([r.status, await r.json()]).toEqual([200, { status: "success" }]);
    expect(ultimoCorpo(lms, "/api/v1/models/download")).toMatchObject({ model: "ol-comum" });
    expect(ollamaFalso.recebidas.filter((x) => x.caminho === "/api/pull")).toHaveLength(antes);
  });
});

describe("a pull at the app's shutdown", () => {
  it("a live pull stream ends at once with an {error} line, not cut at the end of the grace period", { timeout: 30_000 }, async () => {
    const outroApp = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, MONITOR: "desligado", ENCERRAMENTO_SEGUNDOS: "5" });
    const lento = await servidor(new OllamaFalso({ modelos: [{ id: "ol-x:latest" }], resposta: RESPOSTA }));
    // About 30 s of download: still running when the app is stopped.
    lento.passoPullMs = 100;
    lento.passosPorCamada = 100;
    try {
      const { id } = (
        await clienteApi(`${outroApp.url}/api/provedores-llm`).pedir<{ id: number }>("", {
          json: { nome: "Ollama lento", tipo: "ollama", base_url: lento.url, timeout_segundos: 5 },
        })
      ).corpo;
      expect(id).toBeGreaterThan(0);
      const r = await fetch(`${outroApp.url}/api/pull`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "llama3.2:1b" }),
      });
      const leitor = r.body!.getReader();
      const decodificador = new TextDecoder();
      let texto = "";
      while (!texto.includes("pulling sha256")) {
        const { value, done } = await leitor.read();
        if (done) break;
        texto += decodificador.decode(value, { stream: true });
      }
      const inicio = Date.now();
      const parada = outroApp.parar();
      for (;;) {
        const { value, done } = await leitor.read();
        if (done) break;
        texto += decodificador.decode(value, { stream: true });
      }
      const linhas = texto
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(linhas.at(-1)).toEqual({ error: expect.stringContaining("encerrado") });
      // Ended by the shutdown, not by the grace period's end (5 s).
      expect(Date.now() - inicio).toBeLessThan(4000);
      expect((await parada).sinal).toBeNull();
    } finally {
      await outroApp.parar();
    }
  });
});

describe("pull destinations", () => {
  it("an Ollama known offline is skipped, and an Ollama name never goes to LM Studio unpinned", async () => {
    await ollamaFalso.definirFalha("recusar");
    try {
      const teste = await rest().pedir<{ sucesso: boolean }>(`/${ollamaId}/testar`, { method: "POST" });
      expect(teste.corpo.sucesso).toBe(false);
      const antes = lms.recebidas.length;
      const r = await postar("/api/pull", { model: "llama3.2:1b", stream: false });
      expect(r.status).toBe(409);
      expect(await r.json()).toEqual({ error: expect.stringContaining('"lm-studio-da-porta/<modelo>"') });
      expect(lms.recebidas.slice(antes).filter((x) => x.caminho.includes("download"))).toEqual([]);
    } finally {
      await ollamaFalso.definirFalha(null);
      await rest().pedir(`/${ollamaId}/testar`, { method: "POST" });
    }
  });
});
