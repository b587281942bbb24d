import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
// The test servers are plain Node (Playwright, the bench): they take only a leaf of the app, never its server modules.
import { escoar } from "@/lib/protocolo/escoar";
import type { Velocidade } from "./velocidade";

/**
 * Faults a test can switch on, each as a real server would show it on the wire:
 * - recusar: nothing listens on the port (connection refused)
 * - travar: the request is read and never answered
 * - lento: the first byte only after `atrasoMs`
 * - erro_500: the server's own 500 body
 * - lixo: 200 with a body that is not the API's (an HTML page)
 * - nao_autorizado: the server's own 401 body, as with a wrong key
 * - cortar_stream: a streamed answer whose socket is destroyed after two pieces
 * - carregando: (llama.cpp) 503 "Loading model" on every route
 * - erro_no_stream: status 200, two pieces, then the error: (Ollama's /api/chat) a final `{"error": "…"}` line;
 *   (OpenAI-style streams) `data: {"error": {…}}` in the same write as the pieces, and no [DONE]; (Anthropic's
 *   /v1/messages streams, tests/servidores/anthropic-nativo.ts) an `error` event after the first delta, no message_stop;
 *   (a native /v1/responses stream) two text deltas, then llama-server's `data: {"error": {…}}` (no event name)
 * - sobrecarga_no_stream: (Anthropic's /v1/messages streams) status 200, the first delta, then an `error` event
 *   of type `overloaded_error` (a native server's queue full mid-answer), no message_stop
 * - segurar: a streamed answer stops after its first two pieces (the role chunk and one token) and waits,
 *   connection open, until the test calls `soltar()` (or the client leaves); `segurando` counts the waiting
 * The generic OpenAI-compatible proxy (tests/servidores/openai-compativel.ts) only:
 * - chave_no_stream: status 200, the role chunk and one token, then an error event quoting the key the
 *   request carried (`{"error":{"message":"Incorrect API key provided: sk-…"}}`, OpenAI's wording, as a proxy
 *   relays its upstream's refusal of the key it forwarded), no [DONE]
 * - erro_imediato: status 200 and a stream whose only event is an error (`{"error":{"message":"Upstream
 *   model is overloaded…"}}`), as a proxy sends when its upstream fails after the proxy answered 200
 * - corpo_nulo: a whole (not streamed) chat answer of status 200 whose body is the JSON `null`
 * - estrito: a 400 to any body field the server does not know (`stream_options` among them), as a server
 *   that validates strictly does ("Unrecognized request argument supplied: stream_options")
 * Hostile servers (what a broken or malicious upstream can do to the app):
 * - corte_limpo: (OpenAI-style streams) status 200, the role chunk and one token, then the answer ends cleanly
 *   (a whole chunked body), with no finish_reason and no [DONE]: a cut a proxy or a crashed worker leaves
 * - sem_done: (OpenAI-style streams) the whole answer up to its finish chunk (and usage chunk), then a clean
 *   close without `data: [DONE]`
 * - dados_multilinha: (OpenAI-style streams) every event's JSON split over two `data:` lines (legal SSE: a
 *   reader joins them with "\n")
 * - linha_sem_fim: a streamed answer that is one line of 100 MiB, never a newline
 * - deltas_sem_fim: a streamed answer that repeats its longest piece (a valid delta) until the client leaves
 * - gotejar: every answer (whole or streamed) sent one byte every `atrasoMs` (1 s by default)
 * - chave_ecoada: 401 quoting the key it was sent, as OpenAI's API does ("Incorrect API key provided: sk-…")
 * Faults of one server are fields of its class: (llama.cpp, LM Studio) semResponses (a version from before
 * /v1/responses: llama-server's 404 "File Not Found", LM Studio's 200 "Unexpected endpoint");
 * (Ollama) falhaPull, passoPullMs, showQuebrado, semApiPs;
 * (llama.cpp router) falhamAoCarregar (a load that crashes: `unloaded` with `exit_code`/`failed`), corridaNaCarga
 * (a second load of a model still loading, racing on the router: at capacity it evicts the least recently used).
 * Versions without Anthropic's /v1/messages (each answers it as any unknown path): (llama.cpp, LM Studio)
 * semMensagensAnthropic; (Ollama) versao below 0.14.
 */
export type Falha =
  | "recusar"
  | "travar"
  | "lento"
  | "erro_500"
  | "lixo"
  | "nao_autorizado"
  | "cortar_stream"
  | "carregando"
  | "erro_no_stream"
  | "sobrecarga_no_stream"
  | "linha_sem_fim"
  | "deltas_sem_fim"
  | "gotejar"
  | "chave_ecoada"
  | "chave_no_stream"
  | "corte_limpo"
  | "sem_done"
  | "dados_multilinha"
  | "estrito"
  | "erro_imediato"
  | "corpo_nulo"
  | "segurar";

export type ModeloFalso = {
  id: string;
  tamanho?: number;
  familia?: string;
  parametros?: string;
  quantizacao?: string;
  /** The context window the model was trained for. */
  contexto?: number;
  /** (Ollama) the window it was loaded with; 4096 by default, as Ollama's own default. */
  contextoCarregado?: number;
  /** (Ollama) what /api/show lists under `capabilities`. */
  capacidades?: string[];
  carregado?: boolean;
};

export type OpcoesServidorFalso = {
  modelos?: ModeloFalso[];
  /** The text every chat answers (split into word tokens). */
  resposta?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  atrasoEntreTokensMs?: number;
  /** A set speed for generations (see `ServidorFalso.velocidade`). */
  velocidade?: Velocidade | null;
};

export type Requisicao = {
  metodo: string;
  caminho: string;
  /** The query string's parameters (`/props?model=ID`). */
  consulta: URLSearchParams;
  cabecalhos: IncomingMessage["headers"];
  corpoTexto: string;
  /** The body's `model`, when it is JSON naming one. */
  modelo: string | undefined;
  /** When it arrived (Date.now()). */
  em: number;
};

/**
 * A server's parallel slots (llama-server's `-np`, Ollama's OLLAMA_NUM_PARALLEL): a request beyond them is not
 * refused, it waits inside the server, in arrival order, until a slot is free; one whose client leaves while
 * waiting leaves the line. `total` 0: no limit.
 */
export class Vagas {
  /** Requests holding a slot now, and the most at once so far. */
  ocupadas = 0;
  maxOcupadas = 0;
  /** The most requests waiting inside the server for a slot at once so far (0: none ever waited here). */
  maxEsperando = 0;
  private readonly fila: (() => void)[] = [];

  constructor(private readonly limite: () => number) {}

  get total(): number {
    return this.limite();
  }

  get esperando(): number {
    return this.fila.length;
  }

  /**
   * Takes a slot for this answer, waiting for one if none is free: the release, or null when the client left
   * first (`fechada` says whether it already has). A released slot passes straight to the next in line.
   */
  tomar(res: ServerResponse, fechada: () => boolean): Promise<(() => void) | null> {
    if (fechada()) return Promise.resolve(null);
    let solta = false;
    const liberar = () => {
      if (solta) return;
      solta = true;
      const proxima = this.fila.shift();
      if (proxima) proxima();
      else this.ocupadas -= 1;
    };
    const total = this.total;
    if (total <= 0 || this.ocupadas < total) {
      this.ocupadas += 1;
      this.maxOcupadas = Math.max(this.maxOcupadas, this.ocupadas);
      return Promise.resolve(liberar);
    }
    return new Promise((resolve) => {
      const vez = () => {
        res.off("close", saiu);
        resolve(liberar);
      };
      const saiu = () => {
        const i = this.fila.indexOf(vez);
        if (i >= 0) this.fila.splice(i, 1);
        resolve(null);
      };
      this.fila.push(vez);
      this.maxEsperando = Math.max(this.maxEsperando, this.fila.length);
      res.once("close", saiu);
    });
  }
}

export abstract class ServidorFalso {
  falha: Falha | null = null;
  atrasoMs = 0;
  modelos: ModeloFalso[];
  resposta: string;
  apiKey: string | undefined;
  atrasoEntreTokensMs: number;
  /** A streamed answer pauses this long after its first two pieces (the role chunk and one token), then ends. */
  pausaNoStreamMs = 0;
  /**
   * A set speed (tests/servidores/velocidade.ts), null for today's immediate answers. When set, a generation
   * (chat and completions; Ollama's /api/chat and /api/generate) holds its slot, spends prompt tokens /
   * prefillTokensS before its first token, emits exactly the asked number of tokens (128 when none is asked) at
   * geracaoTokensS on absolute times, and reports the timings it measured in the server's own format (none with
   * `comTimings: false`). Faults that shape a stream (cortar_stream, segurar…) do not apply to such answers.
   */
  velocidade: Velocidade | null;
  /** Every request received, for tests that check what the app sent. */
  readonly recebidas: Requisicao[] = [];
  /** Streams whose client went away before the end (the app cancelled upstream). */
  streamsAbandonados = 0;
  /** Streams waiting under the `segurar` fault, each released by `soltar()` or by its client leaving. */
  private readonly segurados = new Set<() => void>();
  /** Requests holding a slot (processing) now, over all the server's slots, and the most at once so far. */
  emVooAgora = 0;
  maxEmVoo = 0;
  /** Answers whose connection has closed (ended, or the client left). */
  private readonly fechadas = new WeakSet<ServerResponse>();

  private servidor: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted so far: a client that reuses its connections opens few. */
  conexoes = 0;
  porta = 0;

  constructor(opcoes: OpcoesServidorFalso = {}) {
    // Each server keeps its own copies: a model it loads in one test is not loaded in the next one's server.
    this.modelos = (opcoes.modelos ?? [{ id: "modelo-teste", carregado: true, contexto: 4096 }]).map((m) => ({ ...m }));
    this.resposta = opcoes.resposta ?? "Olá! Sou um servidor de teste.";
    this.apiKey = opcoes.apiKey;
    this.atrasoEntreTokensMs = opcoes.atrasoEntreTokensMs ?? 0;
    this.velocidade = opcoes.velocidade ?? null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.porta}`;
  }

  /** Word tokens of the answer, spaces kept, as servers stream them. */
  tokens(): string[] {
    return this.resposta.match(/\s*\S+/g) ?? [];
  }

  async iniciar(porta = this.porta): Promise<this> {
    const servidor = http.createServer((req, res) => void this.atender(req, res));
    servidor.keepAliveTimeout = 5000;
    servidor.on("connection", (s: Socket) => {
      this.conexoes += 1;
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      servidor.once("error", reject);
      servidor.listen(porta, "127.0.0.1", () => resolve());
    });
    this.servidor = servidor;
    this.porta = (servidor.address() as AddressInfo).port;
    return this;
  }

  async parar(): Promise<void> {
    const s = this.servidor;
    this.servidor = null;
    if (!s) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get segurando(): number {
    return this.segurados.size;
  }

  /** Lets every stream held by `segurar` go on to its end. */
  soltar(): void {
    for (const s of [...this.segurados]) s();
  }

  /** Switches a fault on (or off with null). "recusar" really closes the port; clearing it reopens. */
  async definirFalha(falha: Falha | null, atrasoMs = 0): Promise<void> {
    const estavaRecusando = this.falha === "recusar";
    this.falha = falha;
    this.atrasoMs = atrasoMs;
    if (falha === "recusar" && this.servidor) await this.parar();
    if (falha !== "recusar" && estavaRecusando) await this.iniciar(this.porta);
  }

  private async atender(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const partes: Buffer[] = [];
    for await (const p of req) partes.push(p as Buffer);
    const url = new URL(req.url ?? "/", "http://x");
    const corpoTexto = Buffer.concat(partes).toString("utf8");
    const lido = lerJson(corpoTexto);
    const modelo = lido.ok && lido.valor && typeof lido.valor === "object" ? (lido.valor as { model?: unknown }).model : undefined;
    const r: Requisicao = {
      metodo: req.method ?? "GET",
      caminho: url.pathname,
      consulta: url.searchParams,
      cabecalhos: req.headers,
      corpoTexto,
      modelo: typeof modelo === "string" ? modelo : undefined,
      em: Date.now(),
    };
    this.recebidas.push(r);
    res.on("close", () => {
      this.fechadas.add(res);
      if (!res.writableFinished) this.streamsAbandonados += 1;
    });
    if (this.falha === "travar") return; // never answers
    // A request that runs in a slot is held there instead (ocuparVaga).
    if (this.falha === "lento" && !this.ocupaVaga(r)) await esperar(this.atrasoMs);
    if (this.falha === "chave_ecoada") {
      const enviada = /^Bearer (.*)$/.exec(r.cabecalhos.authorization ?? "")?.[1] ?? "";
      return this.json(res, 401, {
        error: {
          message: `Incorrect API key provided: ${enviada}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      });
    }
    if (this.falha === "lixo") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body><h1>Roteador Wi-Fi</h1>Faça login para continuar</body></html>");
      return;
    }
    await this.rotear(r, res);
  }

  protected abstract rotear(r: Requisicao, res: ServerResponse): Promise<void>;

  /** Whether this request runs in one of the server's slots (inference), where the `lento` hold happens. */
  protected ocupaVaga(_r: Requisicao): boolean {
    return false;
  }

  /** Whether this answer's connection has closed (it ended, or its client left). */
  protected fechada(res: ServerResponse): boolean {
    return this.fechadas.has(res) || res.destroyed;
  }

  /**
   * Runs this answer in one of `vagas`: waits for a free slot (inside the server, as the real ones queue),
   * then, under `lento`, holds it `atrasoMs` (the prompt being processed) before the answer starts. The slot
   * is given back when the connection closes. False when the client left before its turn or during the hold.
   */
  protected async ocuparVaga(res: ServerResponse, vagas: Vagas): Promise<boolean> {
    const liberar = await vagas.tomar(res, () => this.fechada(res));
    if (!liberar) return false;
    this.emVooAgora += 1;
    this.maxEmVoo = Math.max(this.maxEmVoo, this.emVooAgora);
    let solta = false;
    const soltar = () => {
      if (solta) return;
      solta = true;
      this.emVooAgora -= 1;
      liberar();
    };
    res.once("close", soltar);
    if (this.fechada(res)) soltar();
    if (this.falha === "lento" && this.atrasoMs) await esperar(this.atrasoMs);
    return !this.fechada(res);
  }

  protected json(res: ServerResponse, status: number, corpo: unknown, cabecalhos: Record<string, string> = {}): void {
    const texto = JSON.stringify(corpo);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(texto), ...cabecalhos });
    if (this.falha === "gotejar") return void this.gotejar(res, texto).then((ok) => ok && res.end());
    res.end(texto);
  }

  /** Writes the text one byte at a time, `atrasoMs` apart (1 s by default); false if the client left. */
  private async gotejar(res: ServerResponse, texto: string): Promise<boolean> {
    for (const byte of Buffer.from(texto)) {
      if (res.destroyed) return false;
      res.write(Buffer.of(byte));
      await esperar(this.atrasoMs || 1000);
    }
    return true;
  }

  /** Writes until the client leaves (or `limite` bytes), honouring backpressure. */
  private async semFim(res: ServerResponse, pedaco: string, limite: number): Promise<false> {
    const bytes = Buffer.from(pedaco);
    for (let enviado = 0; enviado < limite && !res.destroyed; enviado += bytes.byteLength) {
      if (!res.write(bytes)) await escoar(res);
    }
    res.destroy();
    return false;
  }

  protected chaveConfere(r: Requisicao): boolean {
    if (this.falha === "nao_autorizado") return false;
    if (!this.apiKey) return true;
    return r.cabecalhos.authorization === `Bearer ${this.apiKey}` || r.cabecalhos["x-api-key"] === this.apiKey;
  }

  /** Writes pieces one by one; with cortar_stream, destroys the socket after the second. */
  async escreverPedacos(res: ServerResponse, pedacos: string[]): Promise<boolean> {
    if (this.falha === "linha_sem_fim") {
      res.write('{"x":"');
      return this.semFim(res, "x".repeat(64 * 1024), 100 * 1024 * 1024);
    }
    if (this.falha === "deltas_sem_fim") {
      const maior = pedacos.reduce((a, b) => (b.length > a.length ? b : a), "");
      return this.semFim(res, maior, 4 * 1024 * 1024 * 1024);
    }
    if (this.falha === "gotejar") return this.gotejar(res, pedacos.join(""));
    let n = 0;
    for (const p of pedacos) {
      if (res.destroyed) return false;
      if (this.falha === "cortar_stream" && n === 2) {
        // Let the first pieces reach the client, then drop the connection without ending the answer.
        await esperar(50);
        res.socket?.destroy();
        return false;
      }
      if (this.falha === "segurar" && n === 2) {
        await new Promise<void>((resolve) => {
          const solto = () => {
            this.segurados.delete(solto);
            res.off("close", solto);
            resolve();
          };
          this.segurados.add(solto);
          res.once("close", solto);
        });
        if (res.destroyed) return false;
      }
      if (this.pausaNoStreamMs && n === 2) {
        await esperar(this.pausaNoStreamMs);
        if (res.destroyed) return false;
      }
      res.write(p);
      n += 1;
      if (this.atrasoEntreTokensMs) await esperar(this.atrasoEntreTokensMs);
    }
    return true;
  }
}

/** Waits at least `ms` by the monotonic clock: a timer alone can fire a little early (libuv's cached loop time). */
export async function esperar(ms: number): Promise<void> {
  const fim = performance.now() + ms;
  do await new Promise((r) => setTimeout(r, Math.max(0, Math.ceil(fim - performance.now()))));
  while (performance.now() < fim);
}

export function lerJson(texto: string): { ok: true; valor: unknown } | { ok: false; erro: string } {
  try {
    return { ok: true, valor: JSON.parse(texto) };
  } catch (e) {
    return { ok: false, erro: (e as Error).message };
  }
}
