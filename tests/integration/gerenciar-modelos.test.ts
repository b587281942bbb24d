import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcoesModelos } from "@/lib/adapters";
import type { ModeloLLM } from "@/lib/schemas/llm";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LlamaCppRoteadorFalso } from "../servidores/llama-cpp-roteador";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { api, rotasDoApp } from "../support/contexto";
import { criarProvedor, lerEventos } from "../support/llm";
import { acao, baixar, type Download, esperarFim } from "../support/modelos";
import { esperarAte } from "../support/portas";

type Lista = { modelos: ModeloLLM[]; acoes: AcoesModelos };

async function lista(id: number, atualizar = true): Promise<Lista> {
  return (await (await api(`/${id}/modelos${atualizar ? "?atualizar=true" : ""}`)).json()) as Lista;
}

const carregado = (l: Lista, modelo: string) => l.modelos.find((m) => m.modelo === modelo)?.carregado;

describe("Ollama: load with keep_alive, unload, delete", () => {
  let ollama: OllamaFalso;
  beforeAll(async () => {
    ollama = await new OllamaFalso({
      modelos: [
        { id: "llama3.2:latest", carregado: true },
        { id: "qwen2.5:7b", carregado: false },
        { id: "phi3:mini", carregado: false },
      ],
    }).iniciar();
  });
  afterAll(() => ollama.parar());

  it("offers every action, and each one answers with the model's state as the server confirms it", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    expect((await lista(id)).acoes).toEqual({
      baixar: true,
      cancelar_download: true,
      carregar: true,
      descarregar: true,
      excluir: true,
      motivo: null,
    });

    const c = await acao(id, "carregar", { modelo: "qwen2.5:7b", contexto: 8192 });
    expect(c.status).toBe(200);
    expect(c.corpo).toMatchObject({ modelo: "qwen2.5:7b", carregado: true });
    const pedido = JSON.parse(ollama.recebidas.filter((r) => r.caminho === "/api/generate").at(-1)!.corpoTexto) as Record<string, unknown>;
    expect(pedido).toMatchObject({ model: "qwen2.5:7b", keep_alive: -1, options: { num_ctx: 8192 } });
    // the cache saw it at once: no refresh needed
    expect(carregado(await lista(id, false), "qwen2.5:7b")).toBe(true);

    const d = await acao(id, "descarregar", { modelo: "qwen2.5:7b" });
    expect(d.status).toBe(200);
    expect(d.corpo).toMatchObject({ modelo: "qwen2.5:7b", carregado: false });
    expect(ollama.modelos.find((m) => m.id === "qwen2.5:7b")!.carregado).toBe(false);

    const e = await acao(id, "excluir", { modelo: "phi3:mini" });
    expect(e).toEqual({ status: 200, corpo: { modelo: "phi3:mini", excluido: true } });
    expect(ollama.modelos.map((m) => m.id)).not.toContain("phi3:mini");
    expect((await lista(id, false)).modelos.map((m) => m.modelo)).not.toContain("phi3:mini");
    const outraVez = await acao(id, "excluir", { modelo: "phi3:mini" });
    expect(outraVez.status).toBe(404);
    expect(outraVez.corpo.erro!.codigo).toBe("modelo_nao_encontrado");
  });

  it("a model the server does not have is a 404; bad input is a 400 that sends nothing", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    const r = await acao(id, "carregar", { modelo: "nao-existe:1b" });
    expect(r.status).toBe(404);
    expect(r.corpo.erro!.codigo).toBe("modelo_nao_encontrado");
    const antes = ollama.recebidas.length;
    for (const [corpo, campo] of [
      [{}, "modelo"],
      [{ modelo: "  " }, "modelo"],
      [{ modelo: "qwen2.5:7b", contexto: 5 }, "contexto"],
      [{ modelo: "qwen2.5:7b", contexto: "grande" }, "contexto"],
    ] as const) {
      const v = await acao(id, "carregar", corpo);
      expect(v.status).toBe(400);
      expect(v.corpo.erro!.codigo).toBe("validacao");
      expect(Object.keys((v.corpo.erro as unknown as { detalhes: { campos: object } }).detalhes.campos)).toEqual([campo]);
    }
    expect(ollama.recebidas.length).toBe(antes);
    expect((await acao(999_999, "carregar", { modelo: "x" })).status).toBe(404);
  });

  it("a server that is down is a 502 with the reason", async () => {
    const fora = await new OllamaFalso().iniciar();
    const id = await criarProvedor("ollama", fora.url);
    await fora.parar();
    const r = await acao(id, "descarregar", { modelo: "modelo-teste" });
    expect(r.status).toBe(502);
    expect(r.corpo.erro!.codigo).toBe("provedor_indisponivel");
  });

  it("the gateway's catalogue sees a model just loaded as loaded", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    await acao(id, "descarregar", { modelo: "llama3.2:latest" });
    await acao(id, "carregar", { modelo: "llama3.2:latest" });
    const r = await rotasDoApp().resposta("/v1/models");
    const corpo = (await r.json()) as {
      data: { id: string; provedores_llm?: { provedores: { id: number; carregado: boolean | null }[] } }[];
    };
    const entrada = corpo.data.find((m) => m.id === "llama3.2:latest");
    expect(entrada?.provedores_llm?.provedores.find((p) => p.id === id)?.carregado).toBe(true);
  });
});

describe("LM Studio 0.4: load with a context length, unload by instance; no delete", () => {
  let lm: LmStudioFalso;
  beforeAll(async () => {
    lm = await new LmStudioFalso({
      modelos: [
        { id: "qwen/qwen3-4b", carregado: false },
        { id: "google/gemma-3-1b", carregado: true },
      ],
    }).iniciar();
  });
  afterAll(() => lm.parar());

  it("loads and unloads; delete is refused with the reason", async () => {
    const id = await criarProvedor("lm_studio", lm.url);
    const { acoes } = await lista(id);
    expect(acoes).toMatchObject({ baixar: true, carregar: true, descarregar: true, excluir: false });
    expect(acoes.motivo).toMatch(/apagar/);

    const c = await acao(id, "carregar", { modelo: "qwen/qwen3-4b", contexto: 16384 });
    expect(c.status).toBe(200);
    expect(c.corpo).toMatchObject({ modelo: "qwen/qwen3-4b", carregado: true, detalhes: { contexto_carregado: 16384 } });

    const d = await acao(id, "descarregar", { modelo: "google/gemma-3-1b" });
    expect(d.status).toBe(200);
    expect(d.corpo).toMatchObject({ modelo: "google/gemma-3-1b", carregado: false });
    expect(
      lm.recebidas.some((r) => r.caminho === "/api/v1/models/unload" && r.corpoTexto.includes('"instance_id":"google/gemma-3-1b"')),
    ).toBe(true);

    const e = await acao(id, "excluir", { modelo: "qwen/qwen3-4b" });
    expect(e.status).toBe(409);
    expect(e.corpo.erro).toMatchObject({ codigo: "acao_nao_suportada" });
    expect(lm.modelos).toHaveLength(2);
  });

  it("an LM Studio older than 0.4 is told apart: 409 naming the version", async () => {
    const antigo = await new LmStudioFalso({ modelos: [{ id: "m", carregado: false }] }).iniciar();
    antigo.semApiV1 = true;
    try {
      const id = await criarProvedor("lm_studio", antigo.url);
      const r = await acao(id, "carregar", { modelo: "m" });
      expect(r.status).toBe(409);
      expect(r.corpo.erro).toMatchObject({ codigo: "acao_nao_suportada" });
      expect(r.corpo.erro!.mensagem).toContain("0.4");
    } finally {
      await antigo.parar();
    }
  });
});

describe("llama.cpp", () => {
  it("a llama-server started with one model (-m) offers nothing and says why", async () => {
    const unico = await new LlamaCppFalso({ modelos: [{ id: "tiny" }] }).iniciar();
    try {
      const id = await criarProvedor("llama_cpp", unico.url);
      const { acoes } = await lista(id);
      expect(acoes).toMatchObject({ baixar: false, carregar: false, descarregar: false, excluir: false });
      expect(acoes.motivo).toContain("sem modo roteador");
      const r = await acao(id, "descarregar", { modelo: "tiny" });
      expect(r.status).toBe(409);
      expect(r.corpo.erro).toMatchObject({ codigo: "acao_nao_suportada" });
    } finally {
      await unico.parar();
    }
  });

  describe("router mode (--models-dir, --models-max 1)", () => {
    let roteador: LlamaCppRoteadorFalso;
    beforeAll(async () => {
      roteador = await new LlamaCppRoteadorFalso(
        {
          modelos: [
            { id: "tiny-a", carregado: true },
            { id: "tiny-b", carregado: false },
            { id: "quebrado", carregado: false },
          ],
        },
        1,
      ).iniciar();
      roteador.falhamAoCarregar.add("quebrado");
    });
    afterAll(() => roteador.parar());

    it("a background load is followed until loaded; the model it evicted shows unloaded", async () => {
      const id = await criarProvedor("llama_cpp", roteador.url);
      const { acoes } = await lista(id);
      expect(acoes).toMatchObject({ carregar: true, descarregar: true, excluir: false, baixar: false });

      const inicio = Date.now();
      const c = await acao(id, "carregar", { modelo: "tiny-b" });
      expect(c.status).toBe(200);
      // the server answered {"success":true} at once; the app waited for `loaded`
      expect(Date.now() - inicio).toBeGreaterThanOrEqual(roteador.tempoCarregarMs - 20);
      expect(c.corpo).toMatchObject({ modelo: "tiny-b", carregado: true });
      expect(roteador.estadoDe("tiny-b")).toBe("loaded");
      const depois = await lista(id, false);
      expect(carregado(depois, "tiny-a")).toBe(false);

      // loading what is already loaded is not an error
      expect((await acao(id, "carregar", { modelo: "tiny-b" })).status).toBe(200);

      const d = await acao(id, "descarregar", { modelo: "tiny-b" });
      expect(d.status).toBe(200);
      expect(d.corpo).toMatchObject({ modelo: "tiny-b", carregado: false });
    });

    it("a load the server gives up on is a 502; an unknown id a 404; delete a 409", async () => {
      const id = await criarProvedor("llama_cpp", roteador.url);
      const q = await acao(id, "carregar", { modelo: "quebrado" });
      expect(q.status).toBe(502);
      expect(q.corpo.erro!.mensagem).toContain("quebrado");
      // the exit code current builds report for a crashed load
      expect(q.corpo.erro!.mensagem).toContain("código 1");
      const n = await acao(id, "carregar", { modelo: "nao-existe" });
      expect(n.status).toBe(404);
      expect(n.corpo.erro!.codigo).toBe("modelo_nao_encontrado");
      const e = await acao(id, "excluir", { modelo: "tiny-a" });
      expect(e.status).toBe(409);
    });
  });
});

describe("llama.cpp router: idempotent actions, concurrent loads", () => {
  const modelos = [
    { id: "tiny-a", carregado: true },
    { id: "tiny-b", carregado: false },
  ];

  it("unloading a model that is not loaded is 200 with its state, as loading a loaded one is", async () => {
    const roteador = await new LlamaCppRoteadorFalso({ modelos }, 2).iniciar();
    try {
      const id = await criarProvedor("llama_cpp", roteador.url);
      expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
      expect(roteador.estadoDe("tiny-b")).toBe("unloaded");
      const d = await acao(id, "descarregar", { modelo: "tiny-b" });
      expect(d.status, JSON.stringify(d.corpo)).toBe(200);
      expect(d.corpo).toMatchObject({ modelo: "tiny-b", carregado: false });
      const c = await acao(id, "carregar", { modelo: "tiny-a" });
      expect(c.status).toBe(200);
      expect(c.corpo).toMatchObject({ modelo: "tiny-a", carregado: true });
      // an unknown id is still a 404
      const n = await acao(id, "descarregar", { modelo: "nao-existe" });
      expect(n.status).toBe(404);
      expect(n.corpo.erro!.codigo).toBe("modelo_nao_encontrado");
    } finally {
      await roteador.parar();
    }
  });

  it("two loads of the same model at once through the app reach the router once: no second load evicting at capacity", async () => {
    // --models-max 2 with tiny-a loaded: loading tiny-b fills it, and a second load racing on the router evicts tiny-a.
    const roteador = await new LlamaCppRoteadorFalso({ modelos }, 2).iniciar();
    roteador.tempoCarregarMs = 1500;
    roteador.corridaNaCarga = true;
    try {
      const id = await criarProvedor("llama_cpp", roteador.url);
      expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
      const cargas = () => roteador.recebidas.filter((r) => r.caminho === "/models/load").length;
      const [um, outro] = await Promise.all([acao(id, "carregar", { modelo: "tiny-b" }), acao(id, "carregar", { modelo: "tiny-b" })]);
      expect([um.status, outro.status], JSON.stringify([um.corpo, outro.corpo])).toEqual([200, 200]);
      expect(um.corpo).toMatchObject({ modelo: "tiny-b", carregado: true });
      expect(outro.corpo).toMatchObject({ modelo: "tiny-b", carregado: true });
      expect(cargas()).toBe(1);
      expect(roteador.estadoDe("tiny-a")).toBe("loaded");
    } finally {
      await roteador.parar();
    }
  });

  it("a load of the same model by another client, evicting ours while it loads, still ends 200 with the model loaded", async () => {
    // --models-max 1: the model still loading is the least recently used one, and the other client's load evicts it.
    const roteador = await new LlamaCppRoteadorFalso({ modelos }, 1).iniciar();
    roteador.tempoCarregarMs = 1500;
    roteador.corridaNaCarga = true;
    try {
      const id = await criarProvedor("llama_cpp", roteador.url);
      expect((await api(`/${id}/modelos?atualizar=true`)).status).toBe(200);
      const nosso = acao(id, "carregar", { modelo: "tiny-b" });
      await esperarAte(async () => roteador.estadoDe("tiny-b") === "loading", 10_000, "tiny-b loading");
      const outroCliente = await fetch(`${roteador.url}/models/load`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "tiny-b" }),
      });
      expect(outroCliente.status).toBe(200);
      const r = await nosso;
      expect(r.status, JSON.stringify(r.corpo)).toBe(200);
      expect(r.corpo).toMatchObject({ modelo: "tiny-b", carregado: true });
      expect(roteador.estadoDe("tiny-b")).toBe("loaded");
    } finally {
      await roteador.parar();
    }
  }, 20_000);
});

describe("OpenAI-compatible servers", () => {
  it("offer no management and refuse it with the reason", async () => {
    const lm = await new LmStudioFalso().iniciar();
    try {
      const id = await criarProvedor("openai_compativel", lm.url);
      const { acoes } = await lista(id);
      expect(acoes).toMatchObject({ carregar: false, descarregar: false, excluir: false, baixar: false });
      const r = await acao(id, "carregar", { modelo: "modelo-teste" });
      expect(r.status).toBe(409);
      expect(r.corpo.erro!.mensagem).toMatch(/não permite carregar/);
    } finally {
      await lm.parar();
    }
  });
});

describe("downloads", () => {
  let ollama: OllamaFalso;
  beforeAll(async () => {
    ollama = await new OllamaFalso({ modelos: [{ id: "llama3.2:latest", carregado: true }] }).iniciar();
  });
  afterAll(() => ollama.parar());

  it("Ollama: 202, progress by layer over SSE, then the model is in the list; the same model twice is one download", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    const primeiro = await baixar(id, "llama3.2:1b");
    expect(primeiro.status).toBe(202);
    expect(primeiro.location).toBe(`/api/provedores-llm/${id}/modelos/downloads/${primeiro.corpo.id}`);
    expect(primeiro.corpo).toMatchObject({ modelo: "llama3.2:1b", estado: "baixando" });
    const segundo = await baixar(id, "llama3.2:1b");
    expect(segundo.status).toBe(202);
    expect(segundo.corpo.id).toBe(primeiro.corpo.id);
    expect(ollama.recebidas.filter((r) => r.caminho === "/api/pull")).toHaveLength(1);

    const eventos = await lerEventos(await api(`/${id}/modelos/downloads/${primeiro.corpo.id}/eventos`));
    const progresso = eventos.filter((e) => e.evento === "progresso").map((e) => e.dados as unknown as Download);
    expect(progresso.length).toBeGreaterThan(3);
    const baixados = progresso.map((p) => p.baixados_bytes ?? 0);
    expect(baixados).toEqual([...baixados].sort((a, b) => a - b));
    const comCamadas = progresso.filter((p) => p.camadas.length === 2).at(-1)!;
    expect(comCamadas.total_bytes).toBe(1_321_082_688 + 1_429);
    expect(progresso.some((p) => (p.velocidade_bps ?? 0) > 0 && (p.restante_segundos ?? -1) >= 0)).toBe(true);
    const fim = eventos.at(-1)!;
    expect(fim.evento).toBe("fim");
    expect(fim.dados).toMatchObject({ estado: "concluido", baixados_bytes: 1_321_082_688 + 1_429, erro: null });

    expect((await lista(id, false)).modelos.map((m) => m.modelo)).toContain("llama3.2:1b");
    const todos = (await (await api(`/${id}/modelos/downloads`)).json()) as { downloads: Download[] };
    expect(todos.downloads.map((d) => [d.modelo, d.estado])).toEqual([["llama3.2:1b", "concluido"]]);
  });

  it("Ollama: cancelling closes the pull on the server; a failure halfway says the server's reason; an unknown name too", async () => {
    const id = await criarProvedor("ollama", ollama.url);
    ollama.catalogoPull.set("qwen2.5:0.5b", [
      { digest: "sha256:c5396e06af294bd101b30dce59131a76d2b773e76950acc870eda801d3ab0515", total: 397_807_936 },
    ]);
    ollama.passoPullMs = 200;
    try {
      const d = await baixar(id, "qwen2.5:0.5b");
      await new Promise((r) => setTimeout(r, 500));
      const antes = ollama.pullsCancelados;
      const cancelado = await api(`/${id}/modelos/downloads/${d.corpo.id}`, { method: "DELETE" });
      expect(cancelado.status).toBe(200);
      expect(((await cancelado.json()) as Download).estado).toBe("cancelado");
      await expect.poll(() => ollama.pullsCancelados, { timeout: 3000 }).toBe(antes + 1);
      expect((await lista(id, false)).modelos.map((m) => m.modelo)).not.toContain("qwen2.5:0.5b");
    } finally {
      ollama.passoPullMs = 40;
    }

    ollama.falhaPull = "falhar";
    try {
      const d = await baixar(id, "qwen2.5:0.5b");
      const fim = await esperarFim(id, d.corpo.id);
      expect(fim.estado).toBe("falhou");
      expect(fim.erro).toContain("no space left on device");
    } finally {
      ollama.falhaPull = null;
    }

    const desconhecido = await esperarFim(id, (await baixar(id, "nao-existe:7b")).corpo.id);
    expect(desconhecido).toMatchObject({ estado: "falhou" });
    expect(desconhecido.erro).toContain("file does not exist");
    expect((await api(`/${id}/modelos/downloads/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await api(`/${id}/modelos/downloads/00000000-0000-0000-0000-000000000000/eventos`)).status).toBe(404);
  });

  it("Ollama: a pull that stalls ends after the provider's timeout of silence", async () => {
    const id = await criarProvedor("ollama", ollama.url, { timeout_segundos: 1 });
    ollama.falhaPull = "parar";
    try {
      const d = await baixar(id, "llama3.2:1b");
      const fim = await esperarFim(id, d.corpo.id);
      expect(fim.estado).toBe("falhou");
      expect(fim.erro).toMatch(/sem enviar nada novo|não respondeu/);
    } finally {
      ollama.falhaPull = null;
    }
  });

  it("LM Studio: a download job followed until completed; it cannot be cancelled through the API", async () => {
    const lm = await new LmStudioFalso({ modelos: [{ id: "qwen/qwen3-4b", carregado: true }] }).iniciar();
    try {
      const id = await criarProvedor("lm_studio", lm.url);
      const d = await baixar(id, "ibm/granite-4-micro");
      expect(d.status).toBe(202);
      const cancelar = await api(`/${id}/modelos/downloads/${d.corpo.id}`, { method: "DELETE" });
      expect(cancelar.status).toBe(409);
      const eventos = await lerEventos(await api(`/${id}/modelos/downloads/${d.corpo.id}/eventos`));
      const progresso = eventos.filter((e) => e.evento === "progresso").map((e) => e.dados as unknown as Download);
      expect(progresso.some((p) => p.velocidade_bps === 52_428_800 && (p.baixados_bytes ?? 0) > 0)).toBe(true);
      expect(eventos.at(-1)).toMatchObject({ evento: "fim", dados: { estado: "concluido" } });
      expect((await lista(id, false)).modelos.map((m) => m.modelo)).toContain("ibm/granite-4-micro");
    } finally {
      await lm.parar();
    }
  }, 20_000);

  it("LM Studio: a job that fails halfway, and a server that refuses the connection, end as falhou with the reason", async () => {
    const lm = await new LmStudioFalso({ modelos: [{ id: "qwen/qwen3-4b", carregado: true }] }).iniciar();
    try {
      lm.downloadFalha = true;
      const id = await criarProvedor("lm_studio", lm.url);
      const d = await baixar(id, "ibm/granite-4-micro");
      const fim = await esperarFim(id, d.corpo.id);
      expect(fim.estado).toBe("falhou");
      expect(fim.erro).toContain("ibm/granite-4-micro");
      expect((await lista(id, false)).modelos.map((m) => m.modelo)).not.toContain("ibm/granite-4-micro");
      await lm.definirFalha("recusar");
      const recusado = await esperarFim(id, (await baixar(id, "ibm/granite-4-micro")).corpo.id);
      expect(recusado.estado).toBe("falhou");
      expect(recusado.erro).toContain("conexão recusada");
    } finally {
      await lm.parar();
    }
  }, 20_000);

  it("a server that cannot download answers 409 with the reason; bad input 400", async () => {
    const unico = await new LlamaCppFalso({ modelos: [{ id: "tiny" }] }).iniciar();
    try {
      const id = await criarProvedor("llama_cpp", unico.url);
      const r = await baixar(id, "qwen");
      expect(r.status).toBe(409);
      expect((r.corpo.erro as unknown as { codigo: string }).codigo).toBe("acao_nao_suportada");
      expect((await baixar(id, "")).status).toBe(400);
    } finally {
      await unico.parar();
    }
  });
});
