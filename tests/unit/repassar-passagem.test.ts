import { describe, expect, it } from "vitest";
import { ErroApp } from "@/lib/errors";
import { quadrosOpenAI } from "@/lib/portas/quadros-openai";
import { dialetoOpenAI } from "@/lib/gateway/dialetos/openai";
import { FIM as ACABA, type LeitorDoStream, PASSAR } from "@/lib/gateway/pedido";
import { repassarPassagem } from "@/lib/gateway/repassar-passagem";
import type { FimDaTentativa } from "@/lib/saude/estado";

const ROLE = JSON.stringify({ choices: [{ index: 0, delta: { role: "assistant", content: null }, finish_reason: null }] });
const TOKEN = JSON.stringify({ choices: [{ index: 0, delta: { content: "Olá" }, finish_reason: null }] });
const FIM = JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
const ERRO = JSON.stringify({ error: { message: "context too long", type: "invalid_request_error" } });

/** A relay over these batches, and what it told the balancing, the statistics and the upstream. */
function repasse(...lotes: string[][]) {
  const visto = {
    terminou: [] as FimDaTentativa[],
    registros: [] as { sucesso: boolean; codigo_erro?: string | null }[],
    fechou: 0,
    devolveu: 0,
  };
  let i = 1;
  const iterador: AsyncIterator<string[]> = {
    next: async () => (i < lotes.length ? { done: false, value: lotes[i++]! } : { done: true, value: undefined }),
    return: async () => {
      visto.devolveu += 1;
      return { done: true, value: undefined };
    },
  };
  const r = repassarPassagem({ done: false, value: lotes[0]! }, iterador, {
    inicio: performance.now(),
    leitor: dialetoOpenAI(false).leitor(),
    fechar: () => {
      visto.fechou += 1;
    },
    encerrar: (fim, x) => {
      visto.terminou.push(fim);
      visto.registros.push(x);
    },
    enquadrar: quadrosOpenAI,
  });
  return { stream: r.quadros, descartar: r.descartar, visto };
}

async function ler(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let texto = "";
  for await (const q of stream) texto += new TextDecoder().decode(q);
  return texto;
}

describe("the /v1 relay settles each attempt exactly once", () => {
  it("a stream never read: descartar ends the attempt as cancelled, records it and closes upstream; a second call does nothing", () => {
    const r = repasse([ROLE, TOKEN]);
    r.descartar();
    r.descartar();
    expect(r.visto.terminou).toEqual(["cancelado"]);
    expect(r.visto.registros).toEqual([expect.objectContaining({ sucesso: false, codigo_erro: "cancelado" })]);
    expect(r.visto.fechou).toBe(1);
    expect(r.visto.devolveu).toBe(1);
  });

  it("a stream read to its end: settled once as ok, and descartar afterwards changes nothing", async () => {
    const r = repasse([ROLE, TOKEN], [FIM, "[DONE]"]);
    expect(await ler(r.stream)).toContain("data: [DONE]");
    r.descartar();
    expect(r.visto.terminou).toEqual(["ok"]);
    expect(r.visto.registros).toEqual([expect.objectContaining({ sucesso: true })]);
  });

  it("a finish then a proxy's chunk with the same index and finish_reason null, then a clean close: whole, not cut", async () => {
    const timings = JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: null }], timings: { predicted_n: 1 } });
    const r = repasse([ROLE, TOKEN], [FIM, timings]);
    expect(await ler(r.stream)).toMatch(/data: \[DONE\]\n\n$/);
    expect(r.visto.terminou).toEqual(["ok"]);
  });

  it("choices: [null] is not a crash: the stream goes on", async () => {
    const r = repasse([ROLE, JSON.stringify({ choices: [null] })], [FIM, "[DONE]"]);
    expect(await ler(r.stream)).toContain("data: [DONE]");
    expect(r.visto.terminou).toEqual(["ok"]);
  });

  it("the server's error event is this request's error (the provider is not marked); a cut is the server's failure", async () => {
    const erro = repasse([ROLE, TOKEN], [ERRO]);
    expect(await ler(erro.stream)).toContain("context too long");
    expect(erro.visto.terminou).toEqual(["erro"]);
    expect(erro.visto.registros).toEqual([expect.objectContaining({ sucesso: false, codigo_erro: "provedor_erro" })]);

    const cortado = repasse([ROLE, TOKEN]);
    expect(await ler(cortado.stream)).toContain("antes do fim da resposta");
    expect(cortado.visto.terminou).toEqual(["falhou"]);
  });

  it("the shutdown cutting the stream is the door's provedor_erro event, settled as cancelled (the server is not marked)", async () => {
    const encerrando = new ErroApp("provedor_erro", "Servidor encerrando: a resposta foi interrompida antes do fim.");
    encerrando.porEncerramento = true;
    const visto = { terminou: [] as FimDaTentativa[], registros: [] as { codigo_erro?: string | null }[] };
    const r = repassarPassagem(
      { done: false, value: [ROLE, TOKEN] },
      { next: () => Promise.reject(encerrando) },
      {
        inicio: performance.now(),
        leitor: dialetoOpenAI(false).leitor(),
        fechar: () => {},
        encerrar: (fim, x) => {
          visto.terminou.push(fim);
          visto.registros.push(x);
        },
        enquadrar: quadrosOpenAI,
      },
    );
    expect(await ler(r.quadros)).toMatch(/^data: \{"error":.*"code":"provedor_erro"/m);
    expect(visto.terminou).toEqual(["cancelado"]);
    expect(visto.registros).toEqual([expect.objectContaining({ codigo_erro: "provedor_erro" })]);
  });
});

describe("a dialect that reports a failure as its end event (Responses' response.failed)", () => {
  it("passes the event on and records the attempt as that error, not a success", async () => {
    const falha = new ErroApp("provedor_erro", "A geração falhou no servidor.");
    const leitor: LeitorDoStream = {
      inteira: false,
      comTexto: false,
      uso: { prompt: 3, resposta: 0 },
      corte: "cortado",
      falha: null,
      ler(dados: string) {
        if (dados === "falhou") {
          (this as { falha: ErroApp | null }).falha = falha;
          return PASSAR | ACABA;
        }
        return PASSAR;
      },
    };
    const visto = { terminou: [] as FimDaTentativa[], registros: [] as { sucesso: boolean; codigo_erro?: string | null }[] };
    const r = repassarPassagem(
      { done: false, value: ["comecou", "falhou"] },
      { next: async () => ({ done: true, value: undefined }) },
      {
        inicio: performance.now(),
        leitor,
        fechar: () => {},
        encerrar: (fim, x) => {
          visto.terminou.push(fim);
          visto.registros.push(x);
        },
        enquadrar: (eventos) => new TextEncoder().encode(eventos.map((e) => (e.tipo === "chunk" ? e.dados : e.tipo)).join("|")),
      },
    );
    expect(await ler(r.quadros)).toBe("comecou|falhou|fim");
    expect(visto.terminou).toEqual(["erro"]);
    expect(visto.registros).toEqual([expect.objectContaining({ sucesso: false, codigo_erro: "provedor_erro", tokens_prompt: 3 })]);
  });
});
