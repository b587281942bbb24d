import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { api } from "../support/contexto";
import { lerEventos, MENSAGENS } from "../support/llm";
import { linhasDoProvedor, lerStreamV1, modeloUnico, provedorTestado, servidoresDoArquivo, streamCruV1 } from "../support/streams";

// When a stream is whole: through both doors (/v1 and requisicao), a server that closes cleanly before its
// answer's end is a cut (an error), one that only leaves out [DONE] after its finish chunk is a success.

const RESPOSTA = "Uma resposta inteira, de várias palavras.";
const servidor = servidoresDoArquivo();

describe("a stream that ends cleanly without finish_reason or [DONE]", () => {
  it("/v1: the SDK raises an error after the first token (no [DONE] is added); requisicao says provedor_erro; both count as errors", async () => {
    const modelo = modeloUnico("corte");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("llama_cpp", falso, { modelo_padrao: modelo });
    await falso.definirFalha("corte_limpo");

    const cru = await streamCruV1(modelo);
    expect(cru.status).toBe(200);
    expect(cru.corpo).not.toContain("data: [DONE]");
    const { texto, erro } = await lerStreamV1(modelo);
    expect(texto).toBe(falso.tokens()[0]);
    expect(erro).toBeInstanceOf(APIError);
    expect((erro as APIError).message).toContain("antes do fim da resposta");

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    const ultimo = (await lerEventos(requisicao)).at(-1);
    expect(ultimo).toMatchObject({ evento: "erro", dados: { codigo: "provedor_erro" } });
    expect(String(ultimo!.dados.mensagem)).toContain("antes do fim da resposta");

    const registradas = await linhasDoProvedor(id, 3);
    expect(registradas.slice(0, 3)).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ sucesso: false, codigo_erro: "provedor_erro" })),
    );
    const estatisticas = (await (await api(`/${id}/estatisticas?periodo=1h`)).json()) as { requisicoes_sucesso: number };
    expect(estatisticas.requisicoes_sucesso).toBe(0);
  });
});

describe("a stream whose finish chunk arrives but not its [DONE]", () => {
  it("is whole on both doors: /v1 sends [DONE] itself and the SDK reads the whole answer; all count as successes", async () => {
    const modelo = modeloUnico("sem-done");
    const falso = await servidor(new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }));
    const id = await provedorTestado("llama_cpp", falso, { modelo_padrao: modelo });
    await falso.definirFalha("sem_done");

    const inteiro = await streamCruV1(modelo);
    expect(inteiro.corpo.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(await lerStreamV1(modelo)).toMatchObject({ texto: RESPOSTA, erro: null });
    const uso = await lerStreamV1(modelo, { stream_options: { include_usage: true } });
    expect(uso).toMatchObject({ texto: RESPOSTA, erro: null, uso: { completion_tokens: falso.tokens().length } });

    const requisicao = await api(`/${id}/requisicao`, { method: "POST", json: { mensagens: MENSAGENS, stream: true } });
    expect((await lerEventos(requisicao)).at(-1)).toMatchObject({ evento: "fim", dados: { conteudo: RESPOSTA } });
    expect((await linhasDoProvedor(id, 4)).slice(0, 4)).toEqual(
      Array.from({ length: 4 }, () => expect.objectContaining({ sucesso: true, codigo_erro: null })),
    );
  });
});
