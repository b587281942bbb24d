import { describe, expect, it } from "vitest";
import { emPortuguesDoBrasil, z } from "@/lib/schemas/zod-pt";

describe("zod's own messages in Brazilian Portuguese", () => {
  it("a wrong type and a size limit read as pt-BR, not Portugal's Portuguese", () => {
    const registro = z.record(z.string(), z.string()).safeParse([1]);
    expect(registro.success).toBe(false);
    const mensagem = registro.error!.issues[0]!.message;
    expect(mensagem).toContain("registro");
    expect(mensagem).not.toContain("registo");
    const grande = z.string().max(2).safeParse("abc");
    expect(grande.error!.issues[0]!.message).toMatch(/^Grande demais/);
    const pequeno = z.array(z.number()).min(2).safeParse([1]);
    expect(pequeno.error!.issues[0]!.message).toMatch(/^Pequeno demais/);
  });

  it("each Portugal word has its Brazilian one", () => {
    expect(emPortuguesDoBrasil("esperava registo, recebeu vetor; ficheiro; tuplo; deve começar por")).toBe(
      "esperava registro, recebeu lista; arquivo; tupla; deve começar com",
    );
  });
});
