import { describe, expect, it } from "vitest";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { api, rotasDoApp } from "../support/contexto";
import { MENSAGENS } from "../support/llm";
import { esperarAte } from "../support/portas";
import { linhasDoProvedor, modeloUnico, provedorTestado, servidoresDoArquivo } from "../support/streams";

// /v1 balancing counts a request in flight from its start to its end, however it ends: held streams split
// evenly over two equal servers, and every way an attempt can end (the caller leaving, before or after the
// first event, a failover) gives its place back. The streams are held open by the servers (`segurar`) until
// the test lets them go, so nothing here depends on how long an answer takes.

const RESPOSTA = "Uma resposta inteira, de várias palavras.";
const servidor = servidoresDoArquivo();

type Aberto = { provedor: number; leitor: ReadableStreamDefaultReader<Uint8Array> };

/** Two equal servers holding their streams after the first token, with a provider each (slots for all of them). */
async function par(nome: string) {
  const modelo = modeloUnico(nome);
  const a = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, slots: 16 }));
  const b = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA, slots: 16 }));
  const ids = [await provedorTestado("llama_cpp", a), await provedorTestado("llama_cpp", b)] as const;
  await a.definirFalha("segurar");
  await b.definirFalha("segurar");
  const abertos: Aberto[] = [];
  /** Opens a /v1 stream (pinned to one provider by its slug, or not) and reads its first bytes. */
  const abrir = async (fixo?: string) => {
    const r = await rotasDoApp().resposta("/v1/chat/completions", {
      json: { model: fixo ? `${fixo}/${modelo}` : modelo, messages: MENSAGENS, stream: true },
    });
    expect(r.status).toBe(200);
    const leitor = r.body!.getReader();
    expect((await leitor.read()).done).toBe(false);
    const aberto = { provedor: Number(r.headers.get("x-provedor-id")), leitor };
    abertos.push(aberto);
    return aberto;
  };
  /** How many of these streams each provider serves. */
  const contagem = (lista: Aberto[]) => ids.map((id) => lista.filter((s) => s.provedor === id).length);
  /** The split of `n` new streams: even when both servers have nothing else in flight. */
  const dividir = async (n: number) => {
    const novos: Aberto[] = [];
    for (let i = 0; i < n; i++) novos.push(await abrir());
    return contagem(novos);
  };
  const soltarTudo = async () => {
    a.soltar();
    b.soltar();
    await Promise.all(abertos.map((s) => s.leitor.cancel().catch(() => {})));
  };
  const slugA = await slugDe(ids[0]);
  return { modelo, a, b, ids, abrir, contagem, dividir, soltarTudo, slugA, abertos };
}

/** The gateway's pinning prefix for a provider: the `slug` it stores (kept when it is renamed). */
const slugDe = async (id: number) => ((await (await api(`/${id}`)).json()) as { slug: string }).slug;

describe("balancing counts a stream until its end", () => {
  it("8 held streams on two equal servers split 4/4; streams the caller left free their server at once", async () => {
    const p = await par("par");
    try {
      expect(await p.dividir(8)).toEqual([4, 4]);
      await esperarAte(async () => p.a.segurando + p.b.segurando === 8, 10_000, "os 8 streams segurados");

      // The caller leaves the four streams of one server: it has none in flight, the other still has four.
      const antes = p.a.streamsAbandonados;
      for (const s of p.abertos.filter((s) => s.provedor === p.ids[0])) await s.leitor.cancel();
      await esperarAte(async () => p.a.streamsAbandonados >= antes + 4, 10_000, "o servidor ver os streams cancelados");
      expect(await p.dividir(2)).toEqual([2, 0]);
    } finally {
      await p.soltarTudo();
    }
  });

  it("a stream read to its end frees its server: released streams leave both servers even again", async () => {
    const p = await par("soltos");
    try {
      expect(await p.dividir(4)).toEqual([2, 2]);
      p.a.soltar();
      // The two streams of the first server are read to their end.
      for (const s of p.abertos.filter((s) => s.provedor === p.ids[0])) while (!(await s.leitor.read()).done);
      expect(await p.dividir(2)).toEqual([2, 0]);
      expect((await linhasDoProvedor(p.ids[0], 2)).slice(0, 2).every((l) => l.sucesso)).toBe(true);
    } finally {
      await p.soltarTudo();
    }
  });

  it("callers that leave before the first event (the server has not answered yet) free their server, and are recorded", async () => {
    const p = await par("antes");
    try {
      await p.a.definirFalha("travar");
      const recebidas = p.a.recebidas.length;
      const controles = Array.from({ length: 4 }, () => new AbortController());
      const pedidos = controles.map((c) =>
        rotasDoApp()
          .resposta("/v1/chat/completions", {
            json: { model: `${p.slugA}/${p.modelo}`, messages: MENSAGENS, stream: true },
            signal: c.signal,
          })
          .catch(() => null),
      );
      await esperarAte(async () => p.a.recebidas.length >= recebidas + 4, 10_000, "os 4 pedidos chegarem ao servidor");
      for (const c of controles) c.abort();
      await Promise.all(pedidos);
      const linhas = await linhasDoProvedor(p.ids[0], 4);
      expect(linhas.slice(0, 4)).toEqual(
        Array.from({ length: 4 }, () => expect.objectContaining({ sucesso: false, codigo_erro: "cancelado" })),
      );

      await p.a.definirFalha("segurar");
      expect(await p.dividir(4)).toEqual([2, 2]);
    } finally {
      await p.soltarTudo();
    }
  });

  it("a failed attempt that moved on to the other server gives its place back", async () => {
    const p = await par("failover");
    try {
      await p.a.definirFalha("erro_500");
      // Unpinned: the first request may try the failing server first; it moves on to the other one.
      const servidos = [await p.abrir(), await p.abrir()];
      expect(p.contagem(servidos)).toEqual([0, 2]);
      expect(p.a.recebidas.some((q) => q.caminho === "/v1/chat/completions")).toBe(true);
      await p.soltarTudo();
      // Both streams of the second server are over (their rows are written once they leave the count).
      await linhasDoProvedor(p.ids[1], 2);

      // The failing server answers again (a pinned request clears its recent failure); both are even.
      await p.a.definirFalha("segurar");
      const fixo = await p.abrir(p.slugA);
      expect(fixo.provedor).toBe(p.ids[0]);
      p.a.soltar();
      while (!(await fixo.leitor.read()).done);
      expect(await p.dividir(4)).toEqual([2, 2]);
    } finally {
      await p.soltarTudo();
    }
  });
});

describe("a server's 4xx to one request", () => {
  it("is the caller's error, not the server's failure: the next request still prefers that server over an equal one", async () => {
    const modelo = modeloUnico("recusa-400");
    const estrito = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const outro = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const idEstrito = await provedorTestado("openai_compativel", estrito);
    const idOutro = await provedorTestado("openai_compativel", outro);
    await estrito.definirFalha("estrito");
    // The other server holds one stream: with one request in flight there, the strict one goes first.
    await outro.definirFalha("segurar");
    const pedir = (model: string, extra: Record<string, unknown> = {}) =>
      rotasDoApp().resposta("/v1/chat/completions", {
        json: { model, messages: MENSAGENS, ...extra },
      });
    const segurado = await pedir(`${await slugDe(idOutro)}/${modelo}`, { stream: true });
    expect(segurado.headers.get("x-provedor-id")).toBe(String(idOutro));
    const leitor = segurado.body!.getReader();
    try {
      await esperarAte(async () => outro.segurando === 1, 10_000, "o stream segurado");
      // A field the strict server refuses: its 400 reaches the caller as a 400.
      const recusada = await pedir(`${await slugDe(idEstrito)}/${modelo}`, { campo_desconhecido: 1 });
      expect(recusada.status).toBe(400);
      expect(await recusada.text()).toContain("campo_desconhecido");

      const seguinte = await pedir(modelo);
      expect(seguinte.status).toBe(200);
      expect(seguinte.headers.get("x-provedor-id")).toBe(String(idEstrito));
      await seguinte.text();
    } finally {
      outro.soltar();
      await leitor.cancel().catch(() => {});
    }
  });
});

describe("a stream whose first event is the server's error", () => {
  it("fails over like an error status: the caller gets the other server's whole answer, and each failed attempt is recorded", async () => {
    const modelo = modeloUnico("erro-imediato");
    const proxy = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    // Two of the same kind (neither says its model is loaded): only the requests in flight order them.
    const local = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const idProxy = await provedorTestado("openai_compativel", proxy);
    const idLocal = await provedorTestado("openai_compativel", local);
    await proxy.definirFalha("erro_imediato");
    // The local server holds its streams, one of them opened (pinned) first: with fewer requests in flight, the
    // proxy is tried first by both requests below. Its error event is about that request, not a failure of the
    // proxy: it is not set aside, so the second request tries it again.
    await local.definirFalha("segurar");
    const leitores: ReadableStreamDefaultReader<Uint8Array>[] = [];
    try {
      const fixo = await rotasDoApp().resposta("/v1/chat/completions", {
        json: { model: `${await slugDe(idLocal)}/${modelo}`, messages: MENSAGENS, stream: true },
      });
      expect(fixo.headers.get("x-provedor-id")).toBe(String(idLocal));
      leitores.push(fixo.body!.getReader());
      await esperarAte(async () => local.segurando === 1, 10_000, "o stream fixo segurado");
      for (let i = 0; i < 2; i++) {
        const r = await rotasDoApp().resposta("/v1/chat/completions", {
          json: { model: modelo, messages: MENSAGENS, stream: true },
        });
        expect(r.status).toBe(200);
        expect(r.headers.get("x-provedor-id")).toBe(String(idLocal));
        leitores.push(r.body!.getReader());
      }
      expect(proxy.recebidas.filter((q) => q.caminho === "/v1/chat/completions")).toHaveLength(2);
      local.soltar();
      for (const leitor of leitores) {
        let texto = "";
        for (let lido = await leitor.read(); !lido.done; lido = await leitor.read()) texto += new TextDecoder().decode(lido.value);
        expect(texto).toContain("data: [DONE]");
        expect(texto).not.toContain("overloaded");
      }
      expect(await linhasDoProvedor(idProxy, 2)).toEqual(
        Array.from({ length: 2 }, () => expect.objectContaining({ sucesso: false, codigo_erro: "provedor_erro" })),
      );
    } finally {
      local.soltar();
      await Promise.all(leitores.map((l) => l.cancel().catch(() => {})));
    }
  });
});

describe("a whole answer whose body is the JSON null", () => {
  it("is passed on as the server sent it and counted once, as a success: the attempt is settled after reading the usage", async () => {
    const modelo = modeloUnico("nulo");
    const falso = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("openai_compativel", falso);
    await falso.definirFalha("corpo_nulo");
    const r = await rotasDoApp().resposta("/v1/chat/completions", {
      json: { model: modelo, messages: MENSAGENS },
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("null");
    expect(await linhasDoProvedor(id, 1)).toEqual([expect.objectContaining({ sucesso: true, codigo_erro: null })]);
  });
});
