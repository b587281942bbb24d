import { expect, test as base } from "@playwright/test";

/**
 * Every browser test also checks that the page ran under its Content-Security-Policy without a violation
 * (Chromium reports each one on the console), and that no page asked for an icon the app does not have.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: Playwright's way to type a fixture that yields nothing.
export const test = base.extend<{ semViolacoes: void }>({
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
