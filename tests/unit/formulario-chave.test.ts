import { describe, expect, it } from "vitest";
import { estadoDaChave, resumoLimites } from "@/components/chaves/escopo";
import { campoDoErro, mensagemDoFormulario, paraCorpo, valoresIniciais } from "@/components/chaves/valores-do-formulario";
import { ChaveAcesso, ChaveAcessoAtualizar, ChaveAcessoCriar } from "@/lib/schemas/chave";

// The key form sends the contract's body: what the person ticked and typed, as POST/PUT /api/chaves take it.

const chave = ChaveAcesso.parse({
  id: 7,
  nome: "Notebook",
  descricao: null,
  prefixo: "abcd1234",
  provedores: [2],
  modelos: ["llama3.2:latest", "qwen*"],
  portas: ["openai"],
  limite_rpm: 60,
  limite_tpm: null,
  limite_concorrencia: null,
  orcamento_tokens_dia: 1000,
  orcamento_tokens_mes: null,
  expira_em: new Date(Date.now() - 60_000),
  ativa: true,
  prioridade: 3,
  criada_em: new Date(),
  ultimo_uso_em: null,
  revogada_em: null,
});

describe("the key form's body", () => {
  it("a new key: all scope is null, empty limits are null, ticked lists and typed patterns are lists", () => {
    const v = {
      ...valoresIniciais(null, new Set()),
      nome: "Ana",
      provedores_modo: "alguns" as const,
      provedores: ["3", "5"],
      modelos_modo: "alguns" as const,
      modelos: ["llama3.2:latest"],
      modelos_padroes: " llama3*, */qwen2.5:*\n",
      limite_tpm: "5000",
    };
    const corpo = paraCorpo(v, null);
    expect(corpo).toEqual({
      nome: "Ana",
      descricao: null,
      provedores: [3, 5],
      modelos: ["llama3.2:latest", "llama3*", "*/qwen2.5:*"],
      portas: null,
      limite_rpm: null,
      limite_tpm: 5000,
      limite_concorrencia: null,
      orcamento_tokens_dia: null,
      orcamento_tokens_mes: null,
      expira_em: null,
      ativa: true,
      prioridade: 0,
    });
    expect(ChaveAcessoCriar.safeParse(corpo).success).toBe(true);
  });

  it("a date is 0:00 of that day in the browser's zone, which the schema takes", () => {
    const corpo = paraCorpo({ ...valoresIniciais(null, new Set()), nome: "Ana", expira_em: "2099-01-31" }, null);
    expect(new Date(String(corpo.expira_em)).getTime()).toBe(new Date(2099, 0, 31).getTime());
    expect(ChaveAcessoCriar.safeParse(corpo).success).toBe(true);
  });

  it("editing: the key's catalogue models ticked, the rest typed; an untouched past expiry is not sent again", () => {
    const inicial = valoresIniciais(chave, new Set(["llama3.2:latest"]));
    expect(inicial).toMatchObject({ modelos: ["llama3.2:latest"], modelos_padroes: "qwen*", provedores: ["2"], limite_rpm: "60" });
    const corpo = paraCorpo(inicial, inicial);
    expect(corpo).not.toHaveProperty("expira_em");
    expect(corpo.modelos).toEqual(["llama3.2:latest", "qwen*"]);
    expect(ChaveAcessoAtualizar.safeParse(corpo).success).toBe(true);
  });

  it("the priority: the key's own when editing, a number in the body, empty is 0; out of range is refused", () => {
    const inicial = valoresIniciais(chave, new Set());
    expect(inicial.prioridade).toBe("3");
    expect(paraCorpo(inicial, inicial).prioridade).toBe(3);
    expect(paraCorpo({ ...inicial, prioridade: "" }, inicial).prioridade).toBe(0);
    expect(paraCorpo({ ...inicial, prioridade: "-10" }, inicial).prioridade).toBe(-10);
    const fora = ChaveAcessoAtualizar.safeParse(paraCorpo({ ...inicial, prioridade: "11" }, inicial));
    expect(fora.success).toBe(false);
    const issue = fora.error!.issues[0]!;
    expect(issue.path).toEqual(["prioridade"]);
    expect(mensagemDoFormulario("prioridade", issue.message)).toBe("Use um número inteiro de -10 a 10 (0 é o padrão).");
  });

  it("errors land on the field that shows them: an item of a list on the list, a form-wide one above the form", () => {
    expect(campoDoErro("modelos.2")).toBe("modelos");
    expect(campoDoErro("limite_rpm")).toBe("limite_rpm");
    expect(campoDoErro("_")).toBe("root");
  });
});

describe("what the pages say of a key", () => {
  it("its state: past its expiry it is expired; revoked wins over everything", () => {
    expect(estadoDaChave(chave)).toBe("expirada");
    expect(estadoDaChave({ ...chave, expira_em: null, ativa: false })).toBe("inativa");
    expect(estadoDaChave({ ...chave, revogada_em: new Date() })).toBe("revogada");
    expect(estadoDaChave({ ...chave, expira_em: null })).toBe("ativa");
  });
  it("its limits, one phrase each", () => {
    expect(resumoLimites(chave)).toBe("60 req/min · 1.000 tokens/dia");
  });
});

describe("the form's messages", () => {
  it("speak of the fields as the page shows them: no contract names, no null", () => {
    const r = ChaveAcessoCriar.safeParse({ nome: "x", limite_rpm: 0, orcamento_tokens_mes: Number.NaN, portas: [], provedores: [] });
    expect(r.success).toBe(false);
    const mensagens = Object.fromEntries(
      r.error!.issues.map((i) => [i.path.join("."), mensagemDoFormulario(i.path.map(String).join("."), i.message)]),
    );
    expect(mensagens.limite_rpm).toBe("Use um número inteiro de 1 a 1.000.000.000.000, ou deixe vazio para não limitar.");
    expect(mensagens.orcamento_tokens_mes).toBe(mensagens.limite_rpm);
    expect(mensagens.portas).toBe("Marque ao menos uma porta, ou escolha “Todas as portas”.");
    expect(mensagens.provedores).toBe("Marque ao menos um provedor, ou escolha “Todos os provedores”.");
    for (const m of Object.values(mensagens)) expect(m).not.toMatch(/null|limite_|orcamento_|portas:/);
  });
});
