import { describe, expect, it } from "vitest";
import { ErroApp } from "@/lib/errors";
import { SemChave } from "@/lib/provedores/sem-chave";

const RESPOSTA = JSON.stringify({
  id: "chatcmpl-1",
  created: 1712345678,
  model: "model",
  choices: [{ index: 0, message: { role: "assistant", content: "O ano 1234 e o model." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1234, completion_tokens: 12 },
});

describe("taking a provider key out of what a server sent", () => {
  it("a short key (1234, model) leaves answers as they are, JSON and text, and is still masked in errors", () => {
    for (const chave of ["1234", "model"]) {
      const sem = new SemChave(chave);
      expect(sem.resposta(RESPOSTA)).toBe(RESPOSTA);
      expect(sem.resposta(`data: ${chave}`)).toBe(`data: ${chave}`);
      expect(sem.valor({ conteudo: `x ${chave}` })).toEqual({ conteudo: `x ${chave}` });
      const erro = sem.erro(new ErroApp("provedor_autenticacao", `Incorrect API key provided: ${chave}.`)) as ErroApp;
      expect(erro.message).toBe("Incorrect API key provided: ***.");
      expect(erro.codigo).toBe("provedor_autenticacao");
    }
  });

  it("a short key is masked in a stream's error event (whose message the relay passes on), and in no other event", () => {
    const sem = new SemChave("k1");
    const erro = JSON.stringify({ error: { message: "Incorrect API key provided: k1.", code: "invalid_api_key" } });
    expect(JSON.parse(sem.evento(erro))).toEqual({ error: { message: "Incorrect API key provided: ***.", code: "invalid_api_key" } });
    const pedaco = JSON.stringify({ choices: [{ index: 0, delta: { content: "k1 é o nome." } }] });
    expect(sem.evento(pedaco)).toBe(pedaco);
  });

  it("a key that also appears inside a number and a JSON name: only string values are masked, and the JSON stays valid", () => {
    const chave = "12345678";
    const sem = new SemChave(chave);
    const texto = JSON.stringify({ created: 1234567890, [chave]: 1, error: { message: `Incorrect API key provided: ${chave}.` } });
    const limpo = JSON.parse(sem.resposta(texto)) as Record<string, unknown>;
    expect(limpo).toEqual({ created: 1234567890, [chave]: 1, error: { message: "Incorrect API key provided: ***." } });
    // Text that is not JSON is masked as text.
    expect(sem.resposta(`erro: ${chave}`)).toBe("erro: ***");
  });

  it("a key split across two stream pieces: the tail that may start it is held back until the next piece", () => {
    const chave = "sk-segredo-abcdef";
    const sem = new SemChave(chave);
    const a = sem.pedaco("", "a chave é sk-seg");
    expect(a).toEqual({ pronto: "a chave é ", retido: "sk-seg" });
    const b = sem.pedaco(a.retido, "redo-abcdef mesmo");
    expect(b).toEqual({ pronto: "*** mesmo", retido: "" });
    // A tail that turns out not to be the key goes on with the next piece.
    const c = sem.pedaco("", "texto sk-");
    expect(c.retido).toBe("sk-");
    expect(sem.pedaco(c.retido, "outra coisa")).toEqual({ pronto: "sk-outra coisa", retido: "" });
  });

  it("values read from the server are masked in their strings, numbers and names left alone", () => {
    const chave = "sk-segredo-abcdef";
    const sem = new SemChave(chave);
    const v = { modelo: chave, tamanho: 12, detalhes: { [chave]: [`a ${chave}`, 3] } };
    expect(sem.valor(v)).toEqual({ modelo: "***", tamanho: 12, detalhes: { [chave]: ["a ***", 3] } });
    const limpo = { modelo: "x" };
    expect(sem.valor(limpo)).toBe(limpo);
  });
});
