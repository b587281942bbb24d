import { BadRequestError } from "openai";
import { describe, expect, it } from "vitest";
import type { ServidorFalso } from "../servidores/base";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OpenAICompativelFalso } from "../servidores/openai-compativel";
import { api } from "../support/contexto";
import { lerEventos, MENSAGENS } from "../support/llm";
import { linhasDoProvedor, lerStreamV1, modeloUnico, provedorTestado, servidoresDoArquivo } from "../support/streams";

// The usage chunk the statistics read is asked for (`stream_options.include_usage`) where the server takes
// it: a server that refuses the field by name gets the caller's body as it was; any other refusal is the answer.

const RESPOSTA = "Uma resposta inteira, de várias palavras.";
const servidor = servidoresDoArquivo();

/** For each chat request the server received, whether it carried stream_options. */
const comOpcoes = (falso: ServidorFalso) =>
  falso.recebidas
    .filter((q) => q.caminho === "/v1/chat/completions")
    .map((q) => "stream_options" in (JSON.parse(q.corpoTexto) as Record<string, unknown>));

describe("a strict server that refuses fields it does not know", () => {
  it("the caller's body works through both doors: stream_options is dropped after the first refusal naming it, and remembered until a connection test", async () => {
    const modelo = modeloUnico("estrito");
    const falso = await servidor(new OpenAICompativelFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("openai_compativel", falso, { modelo_padrao: modelo });
    await falso.definirFalha("estrito");

    expect(await lerStreamV1(modelo)).toMatchObject({ texto: RESPOSTA, erro: null });
    expect(comOpcoes(falso)).toEqual([true, false]);

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect(requisicao.status).toBe(200);
    expect((await lerEventos(requisicao)).at(-1)).toMatchObject({ evento: "fim", dados: { conteudo: RESPOSTA } });
    expect(await lerStreamV1(modelo)).toMatchObject({ texto: RESPOSTA, erro: null });
    // Learned once: the later requests go as the caller sent them.
    expect(comOpcoes(falso)).toEqual([true, false, false, false]);
    const registradas = await linhasDoProvedor(id, 3);
    expect(registradas.slice(0, 3).every((l) => l.sucesso)).toBe(true);

    // A connection test forgets it: the server (upgraded meanwhile) is asked for usage again, and gives it.
    await falso.definirFalha(null);
    expect(await (await api(`/${id}/testar`, { method: "POST" })).json()).toMatchObject({ sucesso: true });
    const depois = await lerStreamV1(modelo, {});
    expect(depois).toMatchObject({ texto: RESPOSTA, erro: null });
    expect(comOpcoes(falso)).toEqual([true, false, false, false, true]);
  });
});

describe("a 400 for another reason (the prompt is longer than the context)", () => {
  it("is the answer, sent once: no second request without stream_options, and the server is not remembered as strict", async () => {
    const modelo = modeloUnico("contexto");
    // Every prompt is longer than this context.
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo, contexto: 2 }], resposta: RESPOSTA }));
    const id = await provedorTestado("llama_cpp", falso, { modelo_padrao: modelo });

    const { erro } = await lerStreamV1(modelo);
    expect(erro).toBeInstanceOf(BadRequestError);
    expect((erro as BadRequestError).message).toContain("exceeds the available context size");
    expect(comOpcoes(falso)).toEqual([true]);

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect(requisicao.status).toBe(502);
    expect(await requisicao.json()).toMatchObject({ erro: { codigo: "provedor_erro" } });
    // Still asked for usage: one 400 that did not name the field taught nothing.
    expect(comOpcoes(falso)).toEqual([true, true]);
    expect((await linhasDoProvedor(id, 2)).slice(0, 2).every((l) => !l.sucesso)).toBe(true);
  });
});
