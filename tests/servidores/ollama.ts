import type { ServerResponse } from "node:http";
import { lerJson, ServidorFalso, type Requisicao } from "./base";
import { tokensDoPrompt } from "./openai-chat";

type PedidoOllama = {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  options?: { temperature?: number; num_predict?: number; top_p?: number; stop?: string[]; seed?: number };
};

/** Ollama's own API (shared/provider-apis.md): errors `{"error": "…"}`, chat streams NDJSON by default. */
export class OllamaFalso extends ServidorFalso {
  versao = "0.12.3";
  /** Pretend to be an Ollama older than 0.1.38, without /api/ps. */
  semApiPs = false;

  protected async rotear(r: Requisicao, res: ServerResponse): Promise<void> {
    // Ollama has no auth of its own; a reverse proxy in front of it answers 401 for a wrong key.
    if (!this.chaveConfere(r)) return this.json(res, 401, { error: "unauthorized" });
    if (this.falha === "erro_500") return this.json(res, 500, { error: "llama runner process has terminated: exit status 2" });
    const rota = `${r.metodo} ${r.caminho}`;
    switch (rota) {
      case "GET /":
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        return void res.end("Ollama is running");
      case "GET /api/version":
        return this.json(res, 200, { version: this.versao });
      case "GET /api/tags":
        return this.json(res, 200, {
          models: this.modelos.map((m) => ({
            name: m.id,
            model: m.id,
            modified_at: "2025-05-04T17:37:44-07:00",
            size: m.tamanho ?? 2019393189,
            digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
            details: { parent_model: "", format: "gguf", family: m.familia ?? "llama", families: [m.familia ?? "llama"], parameter_size: m.parametros ?? "3.2B", quantization_level: m.quantizacao ?? "Q4_K_M" },
          })),
        });
      case "GET /api/ps":
        if (this.semApiPs) break;
        return this.json(res, 200, {
          models: this.modelos
            .filter((m) => m.carregado)
            .map((m) => ({ name: m.id, model: m.id, size: m.tamanho ?? 2019393189, digest: "a80c4f17", details: { family: m.familia ?? "llama" }, expires_at: "2099-06-04T14:38:31-07:00", size_vram: 5137025024, context_length: m.contexto ?? 4096 })),
        });
      case "POST /api/chat":
        return this.chat(r, res);
    }
    // Gin's answer for a route it does not have.
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404 page not found");
  }

  private async chat(r: Requisicao, res: ServerResponse): Promise<void> {
    if (!r.corpoTexto) return this.json(res, 400, { error: "missing request body" });
    const lido = lerJson(r.corpoTexto);
    if (!lido.ok) return this.json(res, 400, { error: "invalid character 'x' looking for beginning of value" });
    const pedido = lido.valor as PedidoOllama;
    if (!pedido.model) return this.json(res, 400, { error: "model is required" });
    if (!this.modelos.some((m) => m.id === pedido.model)) return this.json(res, 404, { error: `model '${pedido.model}' not found` });

    let tokens = this.tokens();
    let motivo = "stop";
    const limite = pedido.options?.num_predict;
    if (limite !== undefined && limite >= 0 && tokens.length > limite) {
      tokens = tokens.slice(0, limite);
      motivo = "length";
    }
    const prompt = tokensDoPrompt({ messages: pedido.messages });
    const criado = new Date().toISOString();
    const metricas = { total_duration: 4883583458, load_duration: 1334875, prompt_eval_count: prompt, prompt_eval_duration: 342546000, eval_count: tokens.length, eval_duration: tokens.length * 20_000_000 };

    // stream defaults to true
    if (pedido.stream === false) {
      return this.json(res, 200, { model: pedido.model, created_at: criado, message: { role: "assistant", content: tokens.join("") }, done: true, done_reason: motivo, ...metricas });
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    if (this.falha === "erro_no_stream") {
      // An error after output started: a final {"error"} line, and the status stays 200.
      const inicio = tokens.slice(0, 2).map((t) => `${JSON.stringify({ model: pedido.model, created_at: criado, message: { role: "assistant", content: t }, done: false })}\n`);
      if (await this.escreverPedacos(res, [...inicio, `${JSON.stringify({ error: "an error was encountered while running the model: CUDA error: out of memory" })}\n`])) res.end();
      return;
    }
    const linhas = [
      ...tokens.map((t) => `${JSON.stringify({ model: pedido.model, created_at: criado, message: { role: "assistant", content: t }, done: false })}\n`),
      `${JSON.stringify({ model: pedido.model, created_at: criado, message: { role: "assistant", content: "" }, done: true, done_reason: motivo, ...metricas })}\n`,
    ];
    if (await this.escreverPedacos(res, linhas)) res.end();
  }
}
