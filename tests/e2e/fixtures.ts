import { expect, test as base } from "@playwright/test";

/**
 * Every browser test also checks that the page ran under its Content-Security-Policy without a violation
 * (Chromium reports each one on the console), and that no page asked for an icon the app does not have.
 */
/** Registers a provider through the API for this test only (201 checked); it is deleted when the test ends. */
type CadastrarProvedor = (dados: Record<string, unknown>) => Promise<number>;

// biome-ignore lint/suspicious/noConfusingVoidType: Playwright's way to type a fixture that yields nothing.
export const test = base.extend<{ semViolacoes: void; cadastrar: CadastrarProvedor }>({
  // A spec's own test server stops with it: its providers go too, or the gateway would still list their models.
  cadastrar: async ({ request }, use) => {
    const criados: number[] = [];
    await use(async (dados) => {
      const r = await request.post("/api/provedores-llm", { data: dados });
      expect(r.status()).toBe(201);
      const { id } = (await r.json()) as { id: number };
      criados.push(id);
      return id;
    });
    for (const id of criados) await request.delete(`/api/provedores-llm/${id}`);
  },
  semViolacoes: [
    async ({ page, baseURL }, use) => {
      const problemas: string[] = [];
      page.on("console", (m) => {
        // Only the app's own pages: a test may show another page being refused on purpose.
        if (baseURL && !m.location().url.startsWith(baseURL)) return;
        const texto = m.text();
        if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(texto)) problemas.push(`CSP: ${texto}`);
        if (/Failed to load resource.*404/.test(texto) && /favicon|icon/.test(m.location().url))
          problemas.push(`ícone: ${m.location().url}`);
      });
      page.on("pageerror", (e) => {
        if (/Content Security Policy|unsafe-eval/i.test(e.message)) problemas.push(`CSP: ${e.message}`);
      });
      await use();
      expect(problemas, problemas.join("\n")).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
