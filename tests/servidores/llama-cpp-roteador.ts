import type { ServerResponse } from "node:http";
import { esperar, lerJson, type OpcoesServidorFalso, ServidorFalso, type Requisicao, Vagas } from "./base";
import { type PedidoOpenAI, responderChatOpenAI } from "./openai-chat";
import { timingsLlama } from "./velocidade";

const SERVIDOR = { server: "llama.cpp" };
type Estado = "unloaded" | "loading" | "loaded";

export type OpcoesRoteador = OpcoesServidorFalso & {
  /** `--models-max`: how many models stay loaded (4 by default, 0: no limit). */
  modelosMax?: number;
  /** How long a load takes (300 ms by default). */
  cargaMs?: number;
  /** Each model's parallel slots (its child's `-np`), 1 by default. */
  slots?: number;
};

/**
 * llama-server in router mode (`--models-dir DIR --models-max N`), as captured in shared/provider-apis.md:
 * `"role":"router"` in /props, a `status` per model, loads in the background (`loading` before `loaded`),
 * least recently used models unloaded past `--models-max`, and loading on demand when a chat names a model.
 * Each loaded model serves in its own slots; unloading a model kills its child, so the requests it was serving
 * or holding in its queue are cut (llama.cpp #24849: a swap aborts the requests in flight).
 */
export class LlamaCppRoteadorFalso extends ServidorFalso {
  /** `--models-max` (0: no limit). */
  modelosMax: number;
  /** How long a load takes (the real server spawns a child llama-server). */
  cargaMs: number;
  /** Each model's parallel slots (its child's `-np`). */
  slots: number;
  /** Loads started so far, per model (a load stopped before it ended counts too: it was started). */
  readonly cargasPorModelo = new Map<string, number>();
  /** Requests cut because their model was unloaded to make room for another. */
  abortadasPorTroca = 0;
  /**
   * These models fail to load (a bad file, no memory): `loading`, then back to `unloaded`, with the child's
   * exit code (current builds show `"exit_code":1,"failed":true` in the model's `status`).
   */
  readonly falhamAoCarregar = new Set<string>();
  /**
   * Fault: a second load of a model whose load just started races past the router's is_running() check
   * (server-models.cpp checks it in the /models/load handler, then load() calls unload_lru() before taking its
   * lock). At capacity (`count_active >= models_max`) that evicts the least recently used running model, and the
   * one still loading is it when nothing older runs: its child is killed (exit code 1), the model shows
   * `unloaded` for `tempoDescarregarMs`, then this load starts it again and only then answers 200. Below
   * capacity, or when an older model is evicted instead, the first load goes on and this one answers 200.
   */
  corridaNaCarga = false;
  /** How long stopping a model's child server takes, in the race above. */
  tempoDescarregarMs = 600;
  private readonly estados = new Map<string, Estado>();
  /** The last load's start or last use (server-models.cpp's last_used, for the LRU). */
  private readonly usadoEm = new Map<string, number>();
  /** Exit code of the model's last child process (non-zero: it crashed or was killed while loading). */
  private readonly saidas = new Map<string, number>();
  /** The load under way per model: a chat for a model still loading waits for that load, it does not start another. */
  private readonly carregando = new Map<string, Promise<void>>();
  /** Each running child's slots (a new child, new slots). */
  private readonly vagasDe = new Map<string, Vagas>();
  /** The answers bound to each model's child (waiting for its load or a slot, or being served). */
  private readonly emCurso = new Map<string, Set<ServerResponse>>();

  /** `modelosMax` may also come second, as `--models-max` (kept for the tests written so). */
  constructor(opcoes: OpcoesRoteador = {}, modelosMax?: number) {
    super(opcoes);
    this.modelosMax = modelosMax ?? opcoes.modelosMax ?? 4;
    this.cargaMs = opcoes.cargaMs ?? 300;
    this.slots = opcoes.slots ?? 1;
    for (const m of this.modelos) this.estados.set(m.id, m.carregado ? "loaded" : "unloaded");
  }

  /** The former name of `cargaMs`. */
  get tempoCarregarMs(): number {
    return this.cargaMs;
  }
  set tempoCarregarMs(ms: number) {
    this.cargaMs = ms;
  }

  /** Loads started so far, over all models. */
  get cargas(): number {
    return [...this.cargasPorModelo.values()].reduce((a, b) => a + b, 0);
  }

  protected override ocupaVaga(r: Requisicao): boolean {
    return r.metodo === "POST" && r.caminho === "/v1/chat/completions";
  }

  estadoDe(id: string): Estado | undefined {
    return this.estados.get(id);
  }

  private erro(res: ServerResponse, code: number, type: string, message: string) {
    this.json(res, code, { error: { code, message, type } }, { ...SERVIDOR, connection: "close" });
  }

  private corpo(r: Requisicao): Record<string, unknown> {
    const lido = lerJson(r.corpoTexto);
    return lido.ok && lido.valor && typeof lido.valor === "object" ? (lido.valor as Record<string, unknown>) : {};
  }

  /**
   * Stops a model's child: killed while loading (exit code 1), or asked to exit (0). The requests it held are
   * cut with it; `porTroca` when it made room for another model's load.
   */
  private pararModelo(id: string, porTroca = false): void {
    this.saidas.set(id, this.estados.get(id) === "loading" ? 1 : 0);
    this.estados.set(id, "unloaded");
    this.carregando.delete(id);
    this.vagasDe.delete(id);
    const cortadas = this.emCurso.get(id) ?? new Set();
    this.emCurso.delete(id);
    for (const res of cortadas) {
      if (this.fechada(res)) continue;
      if (porTroca) this.abortadasPorTroca += 1;
      res.destroy();
    }
  }

  private ativos(): string[] {
    return [...this.estados].filter(([, e]) => e !== "unloaded").map(([i]) => i);
  }

  /** Starts a background load, evicting the least recently used loaded model past the maximum. */
  private carregar(id: string): Promise<void> {
    this.estados.set(id, "loading");
    this.usadoEm.set(id, Date.now());
    const carga = (this.cargasPorModelo.get(id) ?? 0) + 1;
    this.cargasPorModelo.set(id, carga);
    this.vagasDe.set(id, new Vagas(() => this.slots));
    const ativos = this.ativos();
    if (this.modelosMax > 0 && ativos.length > this.modelosMax) {
      const outros = ativos.filter((i) => i !== id).sort((a, b) => (this.usadoEm.get(a) ?? 0) - (this.usadoEm.get(b) ?? 0));
      for (const i of outros.slice(0, ativos.length - this.modelosMax)) this.pararModelo(i, true);
    }
    const pronta = esperar(this.cargaMs).then(() => {
      if (this.carregando.get(id) === pronta) this.carregando.delete(id);
      if (this.estados.get(id) !== "loading" || this.cargasPorModelo.get(id) !== carga) return;
      if (this.falhamAoCarregar.has(id)) {
        this.saidas.set(id, 1);
        this.estados.set(id, "unloaded");
        return;
      }
      this.saidas.set(id, 0);
      this.estados.set(id, "loaded");
      this.usadoEm.set(id, Date.now());
    });
    this.carregando.set(id, pronta);
    return pronta;
  }

  /** The race of `corridaNaCarga`: unload_lru() at capacity, then load() if the model is unloaded by then. */
  private async cargaNaCorrida(id: string): Promise<void> {
    const ativos = this.ativos();
    if (this.modelosMax <= 0 || ativos.length < this.modelosMax) return;
    const [lru] = ativos.sort((a, b) => (this.usadoEm.get(a) ?? 0) - (this.usadoEm.get(b) ?? 0));
    if (!lru) return;
    this.pararModelo(lru, true);
    await esperar(this.tempoDescarregarMs);
    if (this.estados.get(id) === "unloaded") void this.carregar(id);
  }

  private lista() {
    return {
      data: this.modelos.map((m) => {
        const estado = this.estados.get(m.id) ?? "unloaded";
        return {
          id: m.id,
          aliases: [],
          tags: [],
          object: "model",
          owned_by: "llamacpp",
          created: 1795795757,
          status: {
            value: estado,
            args: ["llama-server", "--ctx-size", "512"],
            preset: "",
            ...(estado === "unloaded" && this.saidas.get(m.id) ? { exit_code: this.saidas.get(m.id), failed: true } : {}),
          },
          architecture: { input_modalities: ["text"], output_modalities: ["text"] },
          source: "models_dir",
          can_remove: false,
          // No meta (n_ctx, size, n_params) until the model is loaded.
          ...(estado === "loaded" ? { meta: { n_ctx: 512, n_ctx_train: 2048, n_params: 4178240, size: m.tamanho ?? 16712960 } } : {}),
        };
      }),
      object: "list",
    };
  }

  protected async rotear(r: Requisicao, res: ServerResponse): Promise<void> {
    const rota = `${r.metodo} ${r.caminho}`;
    if (this.falha === "erro_500") return this.erro(res, 500, "server_error", "internal error");
    if (rota === "GET /health") return this.json(res, 200, { status: "ok" }, SERVIDOR);
    if (!this.chaveConfere(r)) return this.erro(res, 401, "authentication_error", "Invalid API Key");
    switch (rota) {
      case "GET /props": {
        const doModelo = r.consulta.get("model");
        if (doModelo !== null) {
          // Proxied to the model's child server; autoload=false never loads one (the answer then is inferred: a 400).
          if (!this.estados.has(doModelo)) return this.erro(res, 404, "not_found_error", "File Not Found");
          if (this.estados.get(doModelo) !== "loaded") {
            if (r.consulta.get("autoload") === "false") return this.erro(res, 400, "invalid_request_error", "model is not loaded");
            if (this.estados.get(doModelo) === "unloaded") await this.carregar(doModelo);
            else await this.carregando.get(doModelo);
          }
          return this.json(
            res,
            200,
            {
              model_alias: doModelo,
              model_path: `models/${doModelo}.gguf`,
              build_info: "b1-de3ff81",
              total_slots: this.slots,
              default_generation_settings: { n_ctx: 512 },
              modalities: { vision: false, audio: false },
            },
            SERVIDOR,
          );
        }
        return this.json(
          res,
          200,
          {
            role: "router",
            max_instances: this.modelosMax,
            models_autoload: true,
            model_alias: "llama-server",
            model_path: "none",
            default_generation_settings: { params: null, n_ctx: 0 },
            build_info: "b1-de3ff81",
          },
          SERVIDOR,
        );
      }
      case "GET /models":
      case "GET /v1/models":
        return this.json(res, 200, this.lista(), SERVIDOR);
      case "POST /models/load": {
        const id = String(this.corpo(r).model ?? "");
        if (!this.estados.has(id)) return this.erro(res, 404, "not_found_error", "File Not Found");
        if (this.corridaNaCarga && this.estados.get(id) === "loading") {
          await this.cargaNaCorrida(id);
          return this.json(res, 200, { success: true }, SERVIDOR);
        }
        if (this.estados.get(id) !== "unloaded") return this.erro(res, 400, "invalid_request_error", "model is already running");
        void this.carregar(id);
        return this.json(res, 200, { success: true }, SERVIDOR);
      }
      case "POST /models/unload": {
        // As llama.cpp's server-models.cpp: a model neither loaded nor loading is refused, with a 400.
        const id = String(this.corpo(r).model ?? "");
        if (!this.estados.has(id)) return this.erro(res, 400, "invalid_request_error", "model is not found");
        if (this.estados.get(id) === "unloaded") return this.erro(res, 400, "invalid_request_error", "model is not running");
        this.pararModelo(id);
        return this.json(res, 200, { success: true }, SERVIDOR);
      }
      case "POST /v1/chat/completions": {
        const pedido = this.corpo(r) as PedidoOpenAI;
        if (!pedido.model) return this.erro(res, 400, "invalid_request_error", "model name is missing from the request");
        if (!this.estados.has(pedido.model)) return this.erro(res, 400, "invalid_request_error", `model '${pedido.model}' not found`);
        return this.conversar(res, pedido, pedido.model);
      }
      default:
        return this.erro(res, 404, "not_found_error", "File Not Found");
    }
  }

  /**
   * A chat for a known model: loaded on demand (waiting for a load already under way), then served in one of its
   * child's slots. The request is bound to that child from the start: unloading the model cuts it.
   */
  private async conversar(res: ServerResponse, pedido: PedidoOpenAI, id: string): Promise<void> {
    const estado = this.estados.get(id);
    if (estado === "unloaded") void this.carregar(id);
    const emCurso = this.emCurso.get(id) ?? new Set<ServerResponse>();
    this.emCurso.set(id, emCurso);
    emCurso.add(res);
    res.once("close", () => this.emCurso.get(id)?.delete(res));
    while (this.estados.get(id) === "loading" && !this.fechada(res)) await (this.carregando.get(id) ?? esperar(10));
    if (this.fechada(res)) return;
    if (this.estados.get(id) !== "loaded") return this.erro(res, 500, "server_error", `failed to load model '${id}'`);
    this.usadoEm.set(id, Date.now());
    const vagas = this.vagasDe.get(id) ?? new Vagas(() => this.slots);
    this.vagasDe.set(id, vagas);
    if (!(await this.ocuparVaga(res, vagas))) return;
    this.usadoEm.set(id, Date.now());
    // At a set speed, the child server's timings of what it did (as the router passes them through).
    return responderChatOpenAI(this, res, pedido, id, (_n, medicao) => (medicao ? { timings: timingsLlama(medicao) } : {}), SERVIDOR);
  }
}
