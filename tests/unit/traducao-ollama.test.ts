import { describe, expect, it } from "vitest";
import { ErroApp } from "@/lib/errors";
import type { Catalogo, ModeloNoProvedor, ProvedorRoteavel } from "@/lib/gateway/catalogo";
import { dialetoOllama } from "@/lib/gateway/dialetos/ollama";
import { FIM, PASSAR } from "@/lib/gateway/pedido";
import { idDoCatalogo, nomeOllama } from "@/lib/portas/ollama/nomes";
import { linhasDoPull } from "@/lib/portas/ollama/progresso-pull";
import { comNome, quadrosTraduzidos } from "@/lib/portas/ollama/quadros";
import { sondaDaRaiz } from "@/lib/http/prefixos";
import {
  chatParaOpenAI,
  ehDescarregar,
  generateParaOpenAI,
  geracaoParaOpenAI,
  mensagensParaOpenAI,
  metricasOllama,
  respostaParaOllama,
} from "@/lib/portas/ollama/traduzir";
import { CorpoChatOllama, CorpoGenerateOllama } from "@/lib/schemas/corpos-ollama";
import type { DownloadModelo } from "@/lib/schemas/llm";

// The Ollama door's pure parts: names, the request and answer mappings to and from OpenAI, the NDJSON framing of
// a translated stream, and the pull's progress lines.

const provedor = (id: number, slug: string): ProvedorRoteavel => ({
  id,
  nome: slug,
  tipo: "llama_cpp",
  slug,
  status: "online",
  falhas_seguidas: 0,
  intervalo_verificacao_segundos: 30,
  latencia: null,
});

function catalogo(modelos: [string, ProvedorRoteavel][]): Catalogo {
  const porModelo = new Map<string, ModeloNoProvedor[]>();
  for (const [modelo, p] of modelos) {
    porModelo.set(modelo, [...(porModelo.get(modelo) ?? []), { provedor: p, modelo, carregado: true, embedding: false, criadoEm: 0 }]);
  }
  const provedores = [...new Set(modelos.map(([, p]) => p))];
  return { provedores, porSlug: new Map(provedores.map((p) => [p.slug, p])), porModelo };
}

describe("model names", () => {
  it("an id without a tag gets :latest; a tag, a namespace or a registry port are kept", () => {
    expect(nomeOllama("tiny")).toBe("tiny:latest");
    expect(nomeOllama("llama3.2:1b")).toBe("llama3.2:1b");
    expect(nomeOllama("google/gemma-3")).toBe("google/gemma-3:latest");
    expect(nomeOllama("registro:5000/modelo")).toBe("registro:5000/modelo:latest");
  });

  it("a client's name finds the catalogue id: exact, without the added :latest, with :latest, pinned", () => {
    const a = provedor(1, "casa");
    const c = catalogo([
      ["tiny", a],
      ["llama3.2:latest", a],
    ]);
    expect(idDoCatalogo(c, "tiny:latest").id).toBe("tiny");
    expect(idDoCatalogo(c, "tiny").id).toBe("tiny");
    expect(idDoCatalogo(c, "llama3.2").id).toBe("llama3.2:latest");
    expect(idDoCatalogo(c, "casa/tiny:latest")).toMatchObject({ id: "casa/tiny", entradas: [{ modelo: "tiny" }] });
    expect(idDoCatalogo(c, "outro:7b")).toEqual({ id: "outro:7b", entradas: [] });
  });
});

describe("requests to OpenAI", () => {
  it("images become image parts with their media type; tool calls get ids and JSON arguments; a tool answers its call", () => {
    const mensagens = CorpoChatOllama.parse({
      model: "m",
      messages: [
        { role: "user", content: "Veja", images: ["/9j/4AAQ", "iVBORw0K"] },
        {
          role: "assistant",
          content: "",
          tool_calls: [{ function: { name: "a", arguments: { x: 1 } } }, { function: { name: "b", arguments: {} } }],
        },
        { role: "tool", content: "B", tool_name: "b" },
        { role: "tool", content: "A" },
      ],
    }).messages;
    expect(mensagensParaOpenAI(mensagens)).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Veja" },
          { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0K" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_0", type: "function", function: { name: "a", arguments: '{"x":1}' } },
          { id: "call_1", type: "function", function: { name: "b", arguments: "{}" } },
        ],
      },
      { role: "tool", content: "B", tool_call_id: "call_1" },
      { role: "tool", content: "A", tool_call_id: "call_0" },
    ]);
  });

  it("options map to OpenAI's fields; num_predict -1 is no limit; top_k only where the server takes it; num_ctx ignored", () => {
    const options = { temperature: 0.1, top_p: 0.5, top_k: 9, num_predict: -1, stop: ["x"], seed: 3, num_ctx: 9000 };
    expect(geracaoParaOpenAI({ options, format: "json" }, "llama_cpp")).toEqual({
      temperature: 0.1,
      top_p: 0.5,
      top_k: 9,
      stop: ["x"],
      seed: 3,
      response_format: { type: "json_object" },
    });
    expect(geracaoParaOpenAI({ options: { num_predict: 5, top_k: 9 } }, "openai_compativel")).toEqual({ max_tokens: 5 });
    expect(geracaoParaOpenAI({ think: false }, "llama_cpp")).toEqual({ chat_template_kwargs: { enable_thinking: false } });
    expect(geracaoParaOpenAI({ think: "high" }, "lm_studio")).toEqual({});
    const corpo = chatParaOpenAI(CorpoChatOllama.parse({ model: "m", messages: [{ role: "user", content: "Oi" }] }), "lm_studio", true);
    expect(corpo).toEqual({ messages: [{ role: "user", content: "Oi" }], stream: true });
  });

  it("generate: a chat of system and prompt; raw and suffix go to completions", () => {
    const g = (c: object) => generateParaOpenAI(CorpoGenerateOllama.parse({ model: "m", ...c }), "llama_cpp", false);
    expect(g({ prompt: "Oi", system: "S" })).toEqual({
      rota: "/v1/chat/completions",
      corpo: {
        messages: [
          { role: "system", content: "S" },
          { role: "user", content: "Oi" },
        ],
        stream: false,
      },
    });
    expect(g({ prompt: "Oi", raw: true, system: "ignorado" })).toEqual({ rota: "/v1/completions", corpo: { prompt: "Oi", stream: false } });
    expect(g({ prompt: "def f(", suffix: "return 1" })).toEqual({
      rota: "/v1/completions",
      corpo: { prompt: "def f(", suffix: "return 1", stream: false },
    });
  });

  it("keep_alive 0 (or a zero duration) unloads; anything else keeps the model", () => {
    expect([0, "0", "0s", "0m"].map(ehDescarregar)).toEqual([true, true, true, true]);
    expect([undefined, -1, "5m", 300, "10s"].map(ehDescarregar)).toEqual([false, false, false, false, false]);
  });
});

describe("answers from OpenAI", () => {
  const medidas = { inicio: 1000, primeiro: 1010, fim: 1030 };

  it("a whole chat answer: text, tool calls with object arguments, the reason, the server's timings in ns", () => {
    const dados = {
      choices: [
        {
          finish_reason: "tool_calls",
          message: { content: "", tool_calls: [{ id: "c", function: { name: "clima", arguments: '{"cidade":"Recife"}' } }] },
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 3 },
      timings: { prompt_ms: 3.016, predicted_ms: 1.821 },
    };
    expect(respostaParaOllama(dados, "chat", "m:latest", medidas, false)).toEqual({
      model: "m:latest",
      created_at: expect.any(String),
      message: { role: "assistant", content: "", tool_calls: [{ function: { name: "clima", arguments: { cidade: "Recife" } } }] },
      done: true,
      done_reason: "stop",
      total_duration: 30_000_000,
      load_duration: 0,
      prompt_eval_count: 12,
      prompt_eval_duration: 3_016_000,
      eval_count: 3,
      eval_duration: 1_821_000,
    });
    expect(() => respostaParaOllama({ choices: [] }, "chat", "m", medidas, false)).toThrow(/choices/);
  });

  it("the server's reasoning becomes `thinking` when the client asked to think, and is left out otherwise", () => {
    const dados = { choices: [{ finish_reason: "stop", message: { content: "42", reasoning_content: "Pensando…" } }] };
    expect(respostaParaOllama(dados, "chat", "m", medidas, true)).toMatchObject({ message: { content: "42", thinking: "Pensando…" } });
    expect(respostaParaOllama(dados, "chat", "m", medidas, false).message).toEqual({ role: "assistant", content: "42" });
    expect(respostaParaOllama(dados, "generate", "m", medidas, true)).toMatchObject({ response: "42", thinking: "Pensando…" });
  });

  it("without the server's timings the durations are measured: prompt until the first token, eval after", () => {
    expect(metricasOllama(null, null, medidas)).toEqual({
      total_duration: 30_000_000,
      load_duration: 0,
      prompt_eval_count: 0,
      prompt_eval_duration: 10_000_000,
      eval_count: 0,
      eval_duration: 20_000_000,
    });
  });

  it("a translated stream: one line per delta, the tool call whole, the last line done with the usage", () => {
    const quadros = quadrosTraduzidos("chat", "m:latest", performance.now(), false);
    const chunk = (delta: object, finish: string | null = null) =>
      JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] });
    const bytes = quadros([
      { tipo: "chunk", dados: chunk({ role: "assistant", content: null }) },
      { tipo: "chunk", dados: chunk({ content: "Olá" }) },
      { tipo: "chunk", dados: chunk({ tool_calls: [{ index: 0, id: "c", function: { name: "clima", arguments: '{"cid' } }] }) },
      { tipo: "chunk", dados: chunk({ tool_calls: [{ index: 0, function: { arguments: 'ade":"Recife"}' } }] }) },
      { tipo: "chunk", dados: chunk({}, "tool_calls") },
      { tipo: "chunk", dados: JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } }) },
      { tipo: "fim", resposta: null },
    ]);
    const linhas = new TextDecoder()
      .decode(bytes)
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(linhas).toHaveLength(3);
    expect(linhas[0]).toMatchObject({ model: "m:latest", message: { role: "assistant", content: "Olá" }, done: false });
    expect(linhas[1]).toMatchObject({
      message: { tool_calls: [{ function: { name: "clima", arguments: { cidade: "Recife" } } }] },
      done: false,
    });
    expect(linhas[2]).toMatchObject({ done: true, done_reason: "stop", prompt_eval_count: 5, eval_count: 2, message: { content: "" } });
    for (const campo of ["total_duration", "prompt_eval_duration", "eval_duration"]) expect(Number.isInteger(linhas[2]![campo])).toBe(true);
  });

  it("generate's lines carry `response`; an error after the first byte is an {error} line", () => {
    const quadros = quadrosTraduzidos("generate", "m", performance.now(), false);
    const texto = new TextDecoder().decode(
      quadros([
        { tipo: "chunk", dados: JSON.stringify({ choices: [{ index: 0, text: "Oi", finish_reason: null }] }) },
        { tipo: "erro", erro: new ErroApp("provedor_erro", "caiu") },
      ]),
    );
    expect(
      texto
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual([{ model: "m", created_at: expect.any(String), response: "Oi", done: false }, { error: "caiu" }]);
  });
});

describe("pull progress as Ollama's lines", () => {
  const base: DownloadModelo = {
    id: "d",
    provedor_id: 1,
    modelo: "llama3.2:1b",
    estado: "baixando",
    status: "",
    total_bytes: 100,
    baixados_bytes: 10,
    velocidade_bps: null,
    restante_segundos: null,
    camadas: [{ id: "sha256:aa", total_bytes: 100, baixados_bytes: 10 }],
    erro: null,
    iniciado_em: new Date(0),
    terminado_em: null,
  };
  const linhas = (a: DownloadModelo | null, b: DownloadModelo) =>
    linhasDoPull(a, b)
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown);

  it("a layer that grew is one `pulling <digest>` line; an unchanged one none; the end success or an error", () => {
    expect(linhas(null, base)).toEqual([{ status: "pulling sha256:aa", digest: "sha256:aa", total: 100, completed: 10 }]);
    expect(linhas(base, { ...base })).toEqual([]);
    const feito = { ...base, estado: "concluido" as const, camadas: [{ id: "sha256:aa", total_bytes: 100, baixados_bytes: 100 }] };
    expect(linhas(base, feito).map((l) => (l as { status: string }).status)).toEqual([
      "pulling sha256:aa",
      "verifying sha256 digest",
      "writing manifest",
      "success",
    ]);
    expect(linhas(base, { ...base, estado: "falhou", erro: "sem espaço" })).toEqual([{ error: "sem espaço" }]);
  });

  it("a server without layers (LM Studio) reports the whole model under its name", () => {
    expect(linhas(null, { ...base, camadas: [] })).toEqual([
      { status: "pulling llama3.2:1b", digest: "llama3.2:1b", total: 100, completed: 10 },
    ]);
  });
});

describe("a real Ollama's NDJSON, read by its dialect", () => {
  it("lines pass; done:true ends with the usage; an {error} line is the server's error; never whole without done", () => {
    const leitor = dialetoOllama.leitor();
    expect(leitor.ler(JSON.stringify({ message: { role: "assistant", content: "Oi" }, done: false }))).toBe(PASSAR);
    expect(leitor.comTexto).toBe(true);
    expect(leitor.inteira).toBe(false);
    const fim = JSON.stringify({ message: { content: "" }, done: true, done_reason: "stop", prompt_eval_count: 26, eval_count: 282 });
    expect(leitor.ler(fim)).toBe(PASSAR | FIM);
    expect(leitor.uso).toEqual({ prompt: 26, resposta: 282 });
    expect(() => dialetoOllama.leitor().ler(JSON.stringify({ error: "CUDA error: out of memory" }))).toThrow(/out of memory/);
    expect(dialetoOllama.usoDoJson({ prompt_eval_count: 4 })).toEqual({ prompt: 4, resposta: null });
  });
});

describe("native lines, images and the root probe", () => {
  it("comNome swaps Ollama's leading model field as text, and parses only a line of another shape", () => {
    const linha = '{"model":"llama3.2:latest","created_at":"x","message":{"role":"assistant","content":"\\"model\\""},"done":false}';
    expect(comNome(linha, "llama3.2", "llama3.2:latest")).toBe(linha.replace('"llama3.2:latest"', '"llama3.2"'));
    expect(JSON.parse(comNome('{"done":true,"model":"a:latest"}', "a", "a:latest"))).toEqual({ done: true, model: "a" });
    expect(comNome(linha, "x", "x")).toBe(linha);
  });

  it("images must be base64 or a data URL", () => {
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const com = (img: string) =>
      CorpoChatOllama.safeParse({ model: "m", messages: [{ role: "user", content: "Oi", images: [img] }] }).success;
    expect([com(png), com(`data:image/png;base64,${png}`)]).toEqual([true, true]);
    expect([com("/tmp/foto.png"), com("https://x.example/a.png"), com("não é base64"), com("data:image/png;base64,@@")]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(CorpoGenerateOllama.safeParse({ model: "m", prompt: "Oi", images: ["./a.jpg"] }).success).toBe(false);
  });

  it("the root probe: GET/HEAD/OPTIONS from a client; never a browser, Next's router or a POST", () => {
    const de = (c: Record<string, string>) => (n: string) => c[n];
    expect(sondaDaRaiz("/", "GET", de({ accept: "*/*" }))).toBe(true);
    expect(sondaDaRaiz("/", "HEAD", de({}))).toBe(true);
    expect(sondaDaRaiz("/?x=1", "OPTIONS", de({}))).toBe(true);
    expect(sondaDaRaiz("/", "POST", de({}))).toBe(false);
    for (const c of <Record<string, string>[]>[
      { accept: "text/html" },
      { accept: "text/x-component" },
      { rsc: "1" },
      { "next-router-prefetch": "1" },
      { "next-router-state-tree": "%5B%5D" },
      { "sec-fetch-dest": "document" },
      { "sec-fetch-mode": "navigate" },
    ])
      expect(sondaDaRaiz("/", "GET", de(c)), JSON.stringify(c)).toBe(false);
    expect(sondaDaRaiz("/provedores", "GET", de({}))).toBe(false);
  });
});
