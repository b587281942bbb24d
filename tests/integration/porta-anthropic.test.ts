import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TipoProvedor } from "@/db/schema";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { clienteApi } from "../support/cliente-api";
import { app as appCompartilhado } from "../support/contexto";
import { iniciarApp, type ServidorApp } from "../support/servidor-app";

// Anthropic's Messages door, driven by the official `@anthropic-ai/sdk` over real HTTP, on an app of its own
// (AUTH_TOKEN on: the SDK's x-api-key, or Bearer, is the app's token). Each behaviour is checked through a server
// that speaks /v1/messages natively (llama.cpp) and through translation to OpenAI chat (an Ollama 0.12 and a
// generic OpenAI-compatible server).

const TOKEN = "token-da-porta-anthropic-123";
const ORIGEM = "https://cliente.example";
const RESPOSTA = "Olá! Sou um modelo servido pela porta Anthropic.";
let app: ServidorApp;
const falsos: ServidorFalso[] = [];

const rest = () => clienteApi(`${app.url}/api/provedores-llm`, { token: TOKEN });

async function servidor<S extends ServidorFalso>(falso: S): Promise<S> {
  falsos.push(falso);
  return falso.iniciar();
}

async function provedor(nome: string, tipo: TipoProvedor, falso: ServidorFalso): Promise<number> {
  const { id } = (await rest().pedir<{ id: number }>("", { json: { nome, tipo, base_url: falso.url, timeout_segundos: 3 } })).corpo;
  expect((await rest().pedir(`/${id}/testar`, { method: "POST" })).corpo).toMatchObject({ sucesso: true });
  return id;
}

const cliente = (extra: { apiKey?: string | null; authToken?: string } = {}) =>
  new Anthropic({
    baseURL: app.url,
    apiKey: extra.apiKey === undefined ? TOKEN : extra.apiKey,
    authToken: extra.authToken ?? null,
    maxRetries: 0,
    timeout: 15_000,
  });

/** A raw POST to the door, as a client that is not the SDK sends it. */
function postar(caminho: string, corpo: string, cabecalhos: Record<string, string> = {}) {
  return fetch(`${app.url}${caminho}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": TOKEN, "anthropic-version": "2023-06-01", ...cabecalhos },
    body: corpo,
  });
}

/** An SSE body's events in order: each `event:` name with its parsed `data`. */
function eventosSSE(texto: string): { evento: string; dados: Record<string, unknown> }[] {
  return texto
    .split("\n\n")
    .filter((b) => b.trim())
    .map((bloco) => {
      const evento = /^event: (.*)$/m.exec(bloco)?.[1] ?? "";
      const dados = bloco
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      return { evento, dados: JSON.parse(dados) as Record<string, unknown> };
    });
}

type Recente = { modelo: string | null; sucesso: boolean; stream: boolean; tokens_prompt: number | null; codigo_erro: string | null };
/** The last request the app POSTed to a test server (a request, not a health check). */
const ultimoPost = (falso: ServidorFalso) => falso.recebidas.filter((r) => r.metodo === "POST").at(-1)!;
const recentes = async (id: number) => (await rest().pedir<{ requisicoes: Recente[]; total: number }>(`/${id}/requisicoes`)).corpo;

const FERRAMENTA = {
  name: "clima",
  description: "O tempo agora numa cidade",
  input_schema: { type: "object" as const, properties: { cidade: { type: "string" } }, required: ["cidade"] },
};
/** A 1×1 PNG. */
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==";

beforeAll(async () => {
  // No monitor: its checks would land in the test servers' logs and could catch a fault meant for one request.
  app = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, AUTH_TOKEN: TOKEN, ALLOWED_ORIGINS: ORIGEM, MONITOR: "desligado" });
});
afterAll(async () => {
  await Promise.all(falsos.map((f) => f.parar()));
  await app?.parar();
});

type Caso = {
  nome: string;
  modelo: string;
  /** The server route the door's request must reach. */
  rota: string;
  criar: () => ServidorFalso;
  tipo: TipoProvedor;
};

const CASOS: Caso[] = [
  {
    nome: "native: llama.cpp with /v1/messages",
    modelo: "an-tiny",
    rota: "/v1/messages",
    tipo: "llama_cpp",
    criar: () => new LlamaCppFalso({ modelos: [{ id: "an-tiny" }], resposta: RESPOSTA }),
  },
  {
    nome: "translated: Ollama 0.12 (no /v1/messages)",
    modelo: "an-ollama:latest",
    rota: "/v1/chat/completions",
    tipo: "ollama",
    criar: () => new OllamaFalso({ modelos: [{ id: "an-ollama:latest", carregado: true }], resposta: RESPOSTA }),
  },
  {
    nome: "translated: an OpenAI-compatible server",
    modelo: "an-proxy",
    rota: "/v1/chat/completions",
    tipo: "openai_compativel",
    criar: () => new OpenAICompativelFalso({ modelos: [{ id: "an-proxy" }], resposta: RESPOSTA }),
  },
];

describe.each(CASOS)("POST /v1/messages — $nome", (caso) => {
  let falso: ServidorFalso;
  let id: number;
  const rotasRecebidas = () => falso.recebidas.filter((r) => r.metodo === "POST").map((r) => r.caminho);
  const ultimoCorpo = () =>
    JSON.parse(falso.recebidas.filter((r) => r.caminho === caso.rota).at(-1)!.corpoTexto) as Record<string, unknown>;

  beforeAll(async () => {
    falso = await servidor(caso.criar());
    id = await provedor(`Anthropic ${caso.tipo}`, caso.tipo, falso);
  });

  it("messages.create: Anthropic's message, the model as asked, its usage, who served it; one statistics row", async () => {
    const antes = (await recentes(id)).total;
    const { data, response } = await cliente()
      .messages.create({ model: caso.modelo, max_tokens: 200, messages: [{ role: "user", content: "Oi, tudo bem?" }] })
      .withResponse();
    expect(data).toMatchObject({
      type: "message",
      role: "assistant",
      model: caso.modelo,
      content: [{ type: "text", text: RESPOSTA }],
      stop_reason: "end_turn",
      stop_sequence: null,
    });
    expect(data.id).toMatch(/\S/);
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBe(RESPOSTA.split(" ").length);
    expect(response.headers.get("x-provedor-id")).toBe(String(id));
    expect(rotasRecebidas().at(-1)).toBe(caso.rota);
    const { requisicoes, total } = await recentes(id);
    expect(total).toBe(antes + 1);
    expect(requisicoes[0]).toMatchObject({ modelo: caso.modelo, sucesso: true, stream: false, tokens_prompt: data.usage.input_tokens });
  });

  it("max_tokens reached → stop_reason max_tokens, the text cut there", async () => {
    const data = await cliente().messages.create({ model: caso.modelo, max_tokens: 2, messages: [{ role: "user", content: "Oi" }] });
    expect(data.stop_reason).toBe("max_tokens");
    expect(data.content).toEqual([{ type: "text", text: RESPOSTA.split(" ").slice(0, 2).join(" ") }]);
  });

  it("streamed: Anthropic's events in order, the text whole, the final usage", async () => {
    const stream = cliente().messages.stream({ model: caso.modelo, max_tokens: 200, messages: [{ role: "user", content: "Oi" }] });
    const tipos: string[] = [];
    stream.on("streamEvent", (e) => tipos.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: "text", text: RESPOSTA }]);
    expect(final.model).toBe(caso.modelo);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(RESPOSTA.split(" ").length);
    // Translated, the prompt's count comes with the server's usage chunk, in the final message_delta.
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    // The relay's order: a start, one text block with its deltas, the stop reason, the end.
    const semPing = tipos.filter((t) => t !== "ping");
    expect(semPing[0]).toBe("message_start");
    expect(semPing[1]).toBe("content_block_start");
    expect(semPing.slice(2, -3).every((t) => t === "content_block_delta")).toBe(true);
    expect(semPing.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect(semPing.filter((t) => t === "content_block_delta")).toHaveLength(RESPOSTA.split(" ").length);
    expect(ultimoCorpo().stream).toBe(true);
    const [linha] = (await recentes(id)).requisicoes;
    expect(linha).toMatchObject({ modelo: caso.modelo, sucesso: true, stream: true });
  });

  it("a tool call round trip: the server asks for the tool (plain and streamed), the client answers with tool_result", async () => {
    const pergunta = { role: "user" as const, content: "Como está o tempo em Lisboa?" };
    const pedido = await cliente().messages.create({ model: caso.modelo, max_tokens: 200, tools: [FERRAMENTA], messages: [pergunta] });
    expect(pedido.stop_reason).toBe("tool_use");
    const uso = pedido.content.find((b) => b.type === "tool_use");
    expect(uso).toMatchObject({ type: "tool_use", name: "clima", input: { cidade: "teste" } });

    const stream = cliente().messages.stream({ model: caso.modelo, max_tokens: 200, tools: [FERRAMENTA], messages: [pergunta] });
    const pedacos: string[] = [];
    stream.on("inputJson", (parcial) => pedacos.push(parcial));
    const streamed = await stream.finalMessage();
    expect(streamed.stop_reason).toBe("tool_use");
    expect(streamed.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "clima", input: { cidade: "teste" } });
    expect(pedacos.length).toBeGreaterThan(1);

    const resposta = await cliente().messages.create({
      model: caso.modelo,
      max_tokens: 200,
      tools: [FERRAMENTA],
      messages: [
        pergunta,
        { role: "assistant", content: pedido.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: uso!.type === "tool_use" ? uso!.id : "", content: "23 graus e sol" }],
        },
      ],
    });
    expect(resposta.stop_reason).toBe("end_turn");
    expect(resposta.content).toEqual([{ type: "text", text: "Resultado da ferramenta: 23 graus e sol" }]);
  });

  it("an image block reaches the server (as an image block natively, as an image_url data URL translated)", async () => {
    const data = await cliente().messages.create({
      model: caso.modelo,
      max_tokens: 200,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            { type: "text", text: "O que há nesta imagem?" },
          ],
        },
      ],
    });
    expect(data.content).toEqual([{ type: "text", text: RESPOSTA }]);
    const enviado = JSON.stringify(ultimoCorpo().messages);
    if (caso.rota === "/v1/messages") expect(enviado).toContain(`"source":{"type":"base64","media_type":"image/png","data":"${PNG}"}`);
    else expect(enviado).toContain(`"image_url":{"url":"data:image/png;base64,${PNG}"}`);
  });

  it("document blocks (a text file, a PDF, one inside a tool_result) are accepted: as they came natively, as text translated", async () => {
    const texto = { type: "document", source: { type: "text", media_type: "text/plain", data: "O prazo é sexta." }, title: "notas.txt" };
    const pdf = {
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" },
      title: "contrato.pdf",
    };
    const mensagens = [
      { role: "user", content: [texto, pdf, { type: "text", text: "Resuma." }] },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "clima", input: { cidade: "teste" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "lido:" }, texto] }] },
    ] as Anthropic.MessageParam[];
    const data = await cliente().messages.create({ model: caso.modelo, max_tokens: 200, messages: mensagens });
    expect(data.stop_reason).toBe("end_turn");
    const enviado = ultimoCorpo().messages;
    if (caso.rota === "/v1/messages") expect(enviado).toEqual(mensagens);
    else {
      expect(enviado).toEqual([
        { role: "user", content: "[document: notas.txt]\n\nO prazo é sexta.\n\n[document: contrato.pdf omitted]\n\nResuma." },
        expect.objectContaining({ role: "assistant" }),
        { role: "tool", tool_call_id: "toolu_1", content: "lido:\n\n[document: notas.txt]\n\nO prazo é sexta." },
      ]);
    }
  });

  it("count_tokens: the server's own count natively; an estimate flagged as such otherwise, nothing sent upstream", async () => {
    // The monitor's checks (GETs) come and go meanwhile: only what was POSTed counts.
    const posts = () => falso.recebidas.filter((r) => r.metodo === "POST");
    const postsAntes = posts().length;
    const linhasAntes = (await recentes(id)).total;
    const contar = () =>
      cliente()
        .messages.countTokens({
          model: caso.modelo,
          system: "Seja breve.",
          messages: [{ role: "user", content: "Quantos tokens tem isto?" }],
        })
        .withResponse();
    const { data, response } = await contar();
    expect(data.input_tokens).toBeGreaterThan(0);
    if (caso.rota === "/v1/messages") {
      expect(response.headers.get("x-provedores-llm-estimativa")).toBeNull();
      expect(rotasRecebidas().at(-1)).toBe("/v1/messages/count_tokens");
      // The test server's count: words of the system and the message, plus a turn's framing each.
      expect(data.input_tokens).toBe(2 + 4 + 4 * 2);
      // A call upstream like any other: one statistics row (no tokens spent).
      expect((await recentes(id)).total).toBe(linhasAntes + 1);
    } else {
      expect(response.headers.get("x-provedores-llm-estimativa")).toBe("true");
      // Only the one probe that learns the server lacks the route (an empty body); never the request itself.
      expect(
        posts()
          .slice(postsAntes)
          .map((r) => `${r.caminho} ${r.corpoTexto}`),
      ).toEqual(["/v1/messages/count_tokens {}"]);
      const outra = await contar();
      expect(outra.data.input_tokens).toBe(data.input_tokens);
      expect(posts().length).toBe(postsAntes + 1);
      // Through the pipeline, but a provider without a count of its own declines it: no attempt, no row, no failure.
      expect((await recentes(id)).total).toBe(linhasAntes);
    }
  });

  it("a busy server (503) → 529 OverloadedError; a failing one → InternalServerError (api_error); counted as errors", async () => {
    falso.falha = caso.tipo === "llama_cpp" ? "carregando" : null;
    try {
      if (caso.tipo === "llama_cpp") {
        const ocupado = await cliente()
          .messages.create({ model: caso.modelo, max_tokens: 20, messages: [{ role: "user", content: "Oi" }] })
          .catch((e: unknown) => e);
        expect(ocupado).toBeInstanceOf(OverloadedError);
        expect((ocupado as APIError).status).toBe(529);
        expect((ocupado as APIError).error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
      }
      falso.falha = "erro_500";
      const falhou = await cliente()
        .messages.create({ model: caso.modelo, max_tokens: 20, messages: [{ role: "user", content: "Oi" }] })
        .catch((e: unknown) => e);
      expect(falhou).toBeInstanceOf(InternalServerError);
      expect((falhou as APIError).error).toMatchObject({ type: "error", error: { type: "api_error" } });
    } finally {
      falso.falha = null;
    }
    expect((await recentes(id)).requisicoes[0]).toMatchObject({ sucesso: false, codigo_erro: "provedor_erro" });
  });

  it("a failure after the first byte is an `error` event, which the SDK raises", async () => {
    falso.falha = "erro_no_stream";
    try {
      const stream = cliente().messages.stream({ model: caso.modelo, max_tokens: 200, messages: [{ role: "user", content: "Oi" }] });
      const erro = await stream.finalMessage().catch((e: unknown) => e);
      expect(erro).toBeInstanceOf(APIError);
      expect(String((erro as Error).message)).toContain("llama_decode failed");
      const bruto = await postar(
        "/v1/messages",
        JSON.stringify({ model: caso.modelo, max_tokens: 50, stream: true, messages: [{ role: "user", content: "Oi" }] }),
      );
      const eventos = eventosSSE(await bruto.text());
      expect(eventos[0]!.evento).toBe("message_start");
      expect(eventos.at(-1)).toMatchObject({ evento: "error", dados: { type: "error", error: { type: "api_error" } } });
    } finally {
      falso.falha = null;
    }
  });

  it.runIf(caso.rota === "/v1/messages")("a native server's mid-stream overloaded_error reaches the client with its type", async () => {
    falso.falha = "sobrecarga_no_stream";
    try {
      const bruto = await postar(
        "/v1/messages",
        JSON.stringify({ model: caso.modelo, max_tokens: 50, stream: true, messages: [{ role: "user", content: "Oi" }] }),
      );
      const eventos = eventosSSE(await bruto.text());
      expect(eventos[0]!.evento).toBe("message_start");
      expect(eventos.at(-1)).toMatchObject({
        evento: "error",
        dados: { type: "error", error: { type: "overloaded_error", message: expect.stringContaining("too many requests in queue") } },
      });
    } finally {
      falso.falha = null;
    }
  });
});

describe("POST /v1/messages — bad input: Anthropic's 4xx, nothing sent upstream", () => {
  let falso: LlamaCppFalso;
  beforeAll(async () => {
    falso = await servidor(new LlamaCppFalso({ modelos: [{ id: "an-estrito" }], resposta: RESPOSTA }));
    await provedor("Anthropic estrito", "llama_cpp", falso);
  });
  const posts = () => falso.recebidas.filter((r) => r.metodo === "POST").length;

  it("no max_tokens (which llama-server would take) → 400 invalid_request_error naming it; the server gets nothing", async () => {
    const antes = posts();
    const erro = await cliente()
      .messages.create({
        model: "an-estrito",
        messages: [{ role: "user", content: "Oi" }],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(erro).toBeInstanceOf(BadRequestError);
    expect((erro as APIError).error).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect((erro as APIError).message).toContain("max_tokens");
    expect(posts()).toBe(antes);
  });

  it("the llama.cpp test server is as lax as the real one: it takes a body without max_tokens, and answers bad JSON with 500", async () => {
    const semMax = await fetch(`${falso.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "an-estrito", messages: [{ role: "user", content: "Oi" }] }),
    });
    expect(semMax.status).toBe(200);
    expect(await semMax.json()).toMatchObject({ type: "message", content: [{ type: "text", text: RESPOSTA }] });
    const ruim = await fetch(`${falso.url}/v1/messages`, { method: "POST", body: "{" });
    expect(ruim.status).toBe(500);
    expect(await ruim.json()).toMatchObject({ error: { code: 500, type: "server_error" } });
    // As llama-server refuses a chat without messages: the route probe's `{}` gets this 400 (it has the route).
    for (const rota of ["/v1/messages", "/v1/messages/count_tokens"]) {
      const semMensagens = await fetch(`${falso.url}${rota}`, { method: "POST", body: "{}" });
      expect(semMensagens.status, rota).toBe(400);
      expect(await semMensagens.json()).toMatchObject({
        error: { code: 400, type: "invalid_request_error", message: "'messages' is required" },
      });
    }
  });

  it("malformed JSON (llama-server's 500) → 400 invalid_request_error in Anthropic's shape; the server gets nothing", async () => {
    const antes = posts();
    for (const caminho of ["/v1/messages", "/v1/messages/count_tokens"]) {
      const r = await postar(caminho, '{"model": "an-estrito", "max_tokens": 5,');
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    }
    expect(posts()).toBe(antes);
  });

  it("wrong types, an unknown block type, an empty stop sequence, empty content → 400; an unknown model → 404 NotFoundError", async () => {
    const antes = posts();
    const ruins = [
      { model: "an-estrito", max_tokens: "10", messages: [{ role: "user", content: "Oi" }] },
      { model: "an-estrito", max_tokens: 10, messages: [{ role: "user", content: [{ type: "video", url: "x" }] }] },
      { model: "an-estrito", max_tokens: 10, stop_sequences: [""], messages: [{ role: "user", content: "Oi" }] },
      { model: "an-estrito", max_tokens: 10, messages: [] },
      // Anthropic's own refusals, which a laxer server would take: empty content, an empty text block.
      { model: "an-estrito", max_tokens: 10, messages: [{ role: "user", content: [] }] },
      { model: "an-estrito", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "" }] }] },
      {
        model: "an-estrito",
        max_tokens: 10,
        messages: [
          { role: "user", content: "" },
          { role: "assistant", content: "Oi" },
        ],
      },
    ];
    for (const corpo of ruins) {
      const r = await postar("/v1/messages", JSON.stringify(corpo));
      expect(r.status, JSON.stringify(corpo)).toBe(400);
      expect(await r.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    }
    const desconhecido = await cliente()
      .messages.create({ model: "nao-existe-aqui", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] })
      .catch((e: unknown) => e);
    expect(desconhecido).toBeInstanceOf(NotFoundError);
    expect((desconhecido as APIError).error).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    expect(posts()).toBe(antes);
  });

  it("a foreign Origin → 403 PermissionDeniedError; a listed origin's preflight allows Anthropic's headers", async () => {
    const erro = await new Anthropic({
      baseURL: app.url,
      apiKey: TOKEN,
      maxRetries: 0,
      defaultHeaders: { origin: "https://mal.example" },
    }).messages
      .create({ model: "an-estrito", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] })
      .catch((e: unknown) => e);
    expect(erro).toBeInstanceOf(PermissionDeniedError);
    expect((erro as APIError).error).toMatchObject({ type: "error", error: { type: "permission_error" } });
    const preflight = await fetch(`${app.url}/v1/messages`, {
      method: "OPTIONS",
      headers: { origin: ORIGEM, "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-api-key");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("anthropic-version");
  });

  it("an unknown /v1 path stays OpenAI's 404; a wrong method on /v1/messages is Anthropic's", async () => {
    const r = await postar("/v1/messages/nao-existe", "{}");
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    const get = await fetch(`${app.url}/v1/messages`, { headers: { "x-api-key": TOKEN } });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });
});

describe("native where the server has it, learned per server: Ollama 0.14, LM Studio 0.4.1 and older", () => {
  it("Ollama 0.14 and LM Studio 0.4.1 get /v1/messages; an older LM Studio gets OpenAI chat", async () => {
    const ollama = new OllamaFalso({ modelos: [{ id: "an-ollama14:latest", carregado: true }], resposta: RESPOSTA });
    ollama.versao = "0.14.0";
    const lm = new LmStudioFalso({ modelos: [{ id: "an-lm-novo", carregado: true }], resposta: RESPOSTA });
    const antigo = new LmStudioFalso({ modelos: [{ id: "an-lm-velho", carregado: true }], resposta: RESPOSTA });
    antigo.semMensagensAnthropic = true;
    const casos = [
      { falso: ollama, tipo: "ollama" as const, modelo: "an-ollama14:latest", rota: "/v1/messages" },
      { falso: lm, tipo: "lm_studio" as const, modelo: "an-lm-novo", rota: "/v1/messages" },
      { falso: antigo, tipo: "lm_studio" as const, modelo: "an-lm-velho", rota: "/v1/chat/completions" },
    ];
    for (const c of casos) {
      await provedor(`Anthropic ${c.modelo}`, c.tipo, await servidor(c.falso));
      const data = await cliente().messages.create({ model: c.modelo, max_tokens: 100, messages: [{ role: "user", content: "Oi" }] });
      expect(data, c.modelo).toMatchObject({ model: c.modelo, content: [{ type: "text", text: RESPOSTA }], stop_reason: "end_turn" });
      // The request itself (not the one probe per provider, whose body is empty).
      const posts = c.falso.recebidas.filter((r) => r.metodo === "POST" && r.corpoTexto.includes('"max_tokens":100'));
      expect(posts.at(-1)?.caminho, c.modelo).toBe(c.rota);
    }
  });
});

describe("count_tokens when the server cannot be asked", () => {
  it("an unreachable server's count is estimated (flagged), and the server's own once it is back", async () => {
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: "an-conta" }], resposta: RESPOSTA }));
    await provedor("Anthropic contagem", "llama_cpp", falso);
    const contar = () =>
      cliente()
        .messages.countTokens({ model: "an-conta", messages: [{ role: "user", content: "Quantos tokens tem isto?" }] })
        .withResponse();
    await falso.definirFalha("recusar");
    const estimada = await contar();
    expect(estimada.response.headers.get("x-provedores-llm-estimativa")).toBe("true");
    expect(estimada.data.input_tokens).toBeGreaterThan(0);
    await falso.definirFalha(null);
    const doServidor = await contar();
    expect(doServidor.response.headers.get("x-provedores-llm-estimativa")).toBeNull();
    expect(doServidor.data.input_tokens).toBe(4 + 4 * 2);
  });
});

describe("Claude Code's request shapes, replayed against a llama.cpp build without /v1/messages", () => {
  let falso: LlamaCppFalso;
  let id: number;
  beforeAll(async () => {
    falso = new LlamaCppFalso({ modelos: [{ id: "an-velho" }], resposta: RESPOSTA });
    falso.semMensagensAnthropic = true;
    id = await provedor("llama.cpp antigo", "llama_cpp", await servidor(falso));
  });

  /** What Claude Code sends: system blocks with cache_control, tools, metadata, streaming, its beta headers. */
  const pedidoDoClaudeCode = (mensagens: unknown[]) =>
    JSON.stringify({
      model: "an-velho",
      max_tokens: 32000,
      stream: true,
      temperature: 1,
      metadata: { user_id: "user_abc_account__session_123" },
      thinking: { type: "enabled", budget_tokens: 1024 },
      tool_choice: { type: "auto" },
      system: [
        { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: "ephemeral" } },
        { type: "text", text: "Responda em português.", cache_control: { type: "ephemeral" } },
      ],
      tools: [
        FERRAMENTA,
        {
          name: "Bash",
          description: "Executes a bash command",
          input_schema: {
            type: "object",
            properties: { command: { type: "string" } },
            required: ["command"],
            additionalProperties: false,
            $schema: "http://json-schema.org/draft-07/schema#",
          },
        },
      ],
      messages: mensagens,
    });
  const CABECALHOS = {
    "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14",
    "anthropic-dangerous-direct-browser-access": "true",
    "x-app": "cli",
    "user-agent": "claude-cli/2.0.0 (external, cli)",
  };

  it("x-api-key: the streamed tool call, then its tool_result (with cache_control) answered, over OpenAI chat", async () => {
    const pergunta = { role: "user", content: [{ type: "text", text: "Como está o tempo?", cache_control: { type: "ephemeral" } }] };
    const r1 = await postar("/v1/messages?beta=true", pedidoDoClaudeCode([pergunta]), CABECALHOS);
    expect(r1.status).toBe(200);
    expect(r1.headers.get("content-type")).toContain("text/event-stream");
    const eventos = eventosSSE(await r1.text());
    // The tool's input arrives in pieces: at least one delta between the block's start and stop.
    expect(eventos.length).toBeGreaterThan(6);
    expect(eventos.map((e) => e.evento)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      ...eventos.slice(3, -3).map(() => "content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const e of eventos) expect(e.dados.type).toBe(e.evento);
    const bloco = eventos[1]!.dados.content_block as { type: string; id: string; name: string };
    expect(bloco).toMatchObject({ type: "tool_use", name: "clima" });
    const json = eventos
      .filter((e) => e.evento === "content_block_delta")
      .map((e) => (e.dados.delta as { type: string; partial_json: string }).partial_json)
      .join("");
    expect(JSON.parse(json)).toEqual({ cidade: "teste" });
    expect(eventos.at(-2)!.dados).toMatchObject({ delta: { stop_reason: "tool_use" } });
    // The server got OpenAI chat: the system blocks joined, the tools as functions, no Anthropic field.
    const enviado = JSON.parse(ultimoPost(falso).corpoTexto) as Record<string, unknown>;
    expect(ultimoPost(falso).caminho).toBe("/v1/chat/completions");
    expect(enviado.messages).toEqual([
      { role: "system", content: "You are Claude Code, Anthropic's official CLI for Claude.\n\nResponda em português." },
      { role: "user", content: "Como está o tempo?" },
    ]);
    expect((enviado.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(["clima", "Bash"]);
    expect(enviado.tool_choice).toBe("auto");
    expect(enviado.max_tokens).toBe(32000);
    expect(enviado).not.toHaveProperty("metadata");
    expect(enviado).not.toHaveProperty("thinking");
    expect(enviado).not.toHaveProperty("system");

    const r2 = await postar(
      "/v1/messages?beta=true",
      pedidoDoClaudeCode([
        pergunta,
        { role: "assistant", content: [{ type: "tool_use", id: bloco.id, name: "clima", input: { cidade: "teste" } }] },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: bloco.id,
              content: [{ type: "text", text: "chuva fraca" }],
              cache_control: { type: "ephemeral" },
            },
          ],
        },
      ]),
      CABECALHOS,
    );
    const texto = eventosSSE(await r2.text())
      .filter((e) => e.evento === "content_block_delta")
      .map((e) => (e.dados.delta as { text: string }).text)
      .join("");
    expect(texto).toBe("Resultado da ferramenta: chuva fraca");
    const segundo = JSON.parse(ultimoPost(falso).corpoTexto) as { messages: unknown[] };
    expect(segundo.messages.slice(2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: bloco.id, type: "function", function: { name: "clima", arguments: '{"cidade":"teste"}' } }],
      },
      { role: "tool", tool_call_id: bloco.id, content: "chuva fraca" },
    ]);
  });

  it("ANTHROPIC_AUTH_TOKEN (Bearer) with the SDK: the streamed text whole; counted once for the provider", async () => {
    const antes = (await recentes(id)).total;
    const stream = cliente({ apiKey: null, authToken: TOKEN }).messages.stream(
      {
        model: "an-velho",
        max_tokens: 1000,
        system: [{ type: "text", text: "Seja breve.", cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: "Oi" }],
      },
      { headers: { "anthropic-beta": "claude-code-20250219" } },
    );
    expect(await stream.finalText()).toBe(RESPOSTA);
    expect((await recentes(id)).total).toBe(antes + 1);
  });

  it("a busy server answered through translation (503 Loading model) → 529 OverloadedError", async () => {
    falso.falha = "carregando";
    try {
      const erro = await cliente()
        .messages.create({ model: "an-velho", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] })
        .catch((e: unknown) => e);
      expect(erro).toBeInstanceOf(OverloadedError);
      expect((erro as APIError).error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
      expect(ultimoPost(falso).caminho).toBe("/v1/chat/completions");
    } finally {
      falso.falha = null;
    }
  });

  it("past ten wrong keys the address is throttled: 401 AuthenticationError, then 429 RateLimitError", async () => {
    // On an app of its own: the throttled address (this machine's) would leave the shared app refusing every test after it.
    const proprio = await iniciarApp({ APP_SECRET: appCompartilhado().segredoApp, AUTH_TOKEN: TOKEN, MONITOR: "desligado" });
    try {
      const errado = new Anthropic({ baseURL: proprio.url, apiKey: "chave-errada", maxRetries: 0, timeout: 15_000 });
      const pedir = () =>
        errado.messages.create({ model: "an-velho", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] }).catch((e: unknown) => e);
      const primeiro = await pedir();
      expect(primeiro).toBeInstanceOf(AuthenticationError);
      expect((primeiro as APIError).error).toMatchObject({ type: "error", error: { type: "authentication_error" } });
      let ultimo: unknown = primeiro;
      for (let i = 0; i < 12 && ultimo instanceof AuthenticationError; i++) ultimo = await pedir();
      expect(ultimo).toBeInstanceOf(RateLimitError);
      expect((ultimo as APIError).error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    } finally {
      await proprio.parar();
    }
    // The file's app still serves this address.
    const data = await cliente().messages.create({ model: "an-velho", max_tokens: 10, messages: [{ role: "user", content: "Oi" }] });
    expect(data.type).toBe("message");
  });
});

describe("a server's own 4xx (llama-server's exceed_context_size_error) is Anthropic's 400 invalid_request_error", () => {
  it.each([
    { nome: "native", modelo: "an-curto", nativo: true },
    { nome: "translated", modelo: "an-curto-velho", nativo: false },
  ])("$nome", async ({ modelo, nativo }) => {
    const falso = new LlamaCppFalso({ modelos: [{ id: modelo, contexto: 5 }], resposta: RESPOSTA });
    falso.semMensagensAnthropic = !nativo;
    await provedor(`Anthropic contexto ${modelo}`, "llama_cpp", await servidor(falso));
    const erro = await cliente()
      .messages.create({ model: modelo, max_tokens: 10, messages: [{ role: "user", content: "uma frase com palavras demais para caber" }] })
      .catch((e: unknown) => e);
    expect(erro).toBeInstanceOf(BadRequestError);
    expect((erro as APIError).error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("exceeds the available context size") },
    });
    expect(ultimoPost(falso).caminho).toBe(nativo ? "/v1/messages" : "/v1/chat/completions");
  });
});

describe("count_tokens over the pipeline, routed by model", () => {
  it("the first provider in routing order cannot count: the next one's own count answers, not an estimate", async () => {
    const modelo = "an-duplo:latest";
    // Ollama 0.12 has no count; the llama.cpp server, slow at its connection test, routes after it.
    const semContagem = await servidor(new OllamaFalso({ modelos: [{ id: modelo, carregado: true }], resposta: RESPOSTA }));
    const comContagem = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    await provedor("Anthropic sem contagem", "ollama", semContagem);
    await comContagem.definirFalha("lento", 300);
    await provedor("Anthropic com contagem", "llama_cpp", comContagem);
    await comContagem.definirFalha(null);
    const { data, response } = await cliente()
      .messages.countTokens({ model: modelo, messages: [{ role: "user", content: "Quantos tokens tem isto?" }] })
      .withResponse();
    expect(response.headers.get("x-provedores-llm-estimativa")).toBeNull();
    expect(data.input_tokens).toBe(4 + 4 * 2);
    expect(ultimoPost(comContagem).caminho).toBe("/v1/messages/count_tokens");
  });
});

describe("the Ollama 0.14 test server is faithful: its /v1/messages takes no tool_choice", () => {
  it("tool_choice none is ignored (the tool is still called), as Ollama's docs list no tool_choice", async () => {
    const ollama = await servidor(new OllamaFalso({ modelos: [{ id: "an-o14:latest", carregado: true }], resposta: RESPOSTA }));
    ollama.versao = "0.14.0";
    const r = await fetch(`${ollama.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({
        model: "an-o14:latest",
        max_tokens: 50,
        tools: [FERRAMENTA],
        tool_choice: { type: "none" },
        messages: [{ role: "user", content: "Oi" }],
      }),
    });
    expect(await r.json()).toMatchObject({ stop_reason: "tool_use", content: [{ type: "tool_use", name: "clima" }] });
  });
});
