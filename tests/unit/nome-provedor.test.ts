import { describe, expect, it } from "vitest";
import { baseDoSlug, chaveDoNome, slugDe } from "@/lib/provedores/nome";
import { ProvedorLLMCriar } from "@/lib/schemas/provedor";

const aceito = (nome: string) => ProvedorLLMCriar.safeParse({ nome, tipo: "ollama" }).success;

describe("provider names", () => {
  it("are stored as NFC and compared folded: case, composition, ß, final sigma, compatibility forms", () => {
    expect(ProvedorLLMCriar.parse({ nome: " Ação ".normalize("NFD"), tipo: "ollama" }).nome).toBe("Ação");
    expect(chaveDoNome("SERVIDOR  AÇÃO")).toBe(chaveDoNome("servidor ação".normalize("NFD")));
    expect(chaveDoNome("Straße")).toBe(chaveDoNome("STRASSE"));
    expect(chaveDoNome("ΟΔΟΣ")).toBe(chaveDoNome("οδοσ"));
    expect(chaveDoNome("\u212a")).toBe(chaveDoNome("k")); // Kelvin sign
    expect(chaveDoNome("ﬁ")).toBe(chaveDoNome("FI"));
  });

  it("refuse controls and invisible characters, but keep the joiners Persian and emoji need", () => {
    for (const nome of ["a\u200bb", "a\u0000b", "a\u202eb", "a\u2066b", "a\u2028b", "a\tb", "a\u0085b", "a\ufeffb"]) {
      expect(aceito(nome), JSON.stringify(nome)).toBe(false);
    }
    expect(aceito("می\u200cخواهم")).toBe(true); // ZWNJ inside a Persian word
    expect(aceito("👩\u200d💻 servidor")).toBe(true); // ZWJ in an emoji sequence
    // the joiners do not make another name
    expect(chaveDoNome("می\u200cخواهم")).toBe(chaveDoNome("میخواهم"));
    expect(chaveDoNome("👩\u200d💻")).toBe(chaveDoNome("👩💻"));
  });

  it("give slugs of ASCII letters, digits and single hyphens, or none", () => {
    expect(slugDe("Servidor Ação!")).toBe("servidor-acao");
    expect(slugDe("Servidor Ação".normalize("NFD"))).toBe("servidor-acao");
    expect(slugDe("\u212a")).toBe("k");
    expect(slugDe("ﬁ")).toBe("");
    expect(baseDoSlug("!!!")).toBe("provedor");
    expect(slugDe("a -- b")).toBe("a-b");
  });
});
