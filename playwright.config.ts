import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { OPCOES_NODE } from "./scripts/opcoes-node.mjs";

const raiz = import.meta.dirname;
const PORTA = Number(process.env.E2E_PORTA ?? 3917);
export const TOKEN_E2E = "token-e2e-para-o-navegador";
/** An extra port the app's "Procurar servidores" looks at; the discovery spec puts a server there. */
export const PORTA_DESCOBERTA = PORTA + 40;

// Debian's chromium: Playwright's own browser download is not always reachable.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** `npm start` (without rebuild) on its own data folder, cleaned by scripts/test.mjs. */
function servidor(porta: number, pasta: string, env: Record<string, string> = {}) {
  return {
    command: ["node", ...OPCOES_NODE, "scripts/start.mjs"].join(" "),
    url: `http://127.0.0.1:${porta}/login`,
    reuseExistingServer: false,
    timeout: 90_000,
    env: { PULAR_BUILD: "1", HOST: "127.0.0.1", PORT: String(porta), DATA_DIR: path.join(raiz, ".tmp", pasta), AUTH_TOKEN: "", ...env },
  };
}

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/servidores-globais.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    servidor(PORTA, "e2e-sem-auth", { DESCOBRIR_PORTAS: String(PORTA_DESCOBERTA) }),
    servidor(PORTA + 1, "e2e-com-auth", { AUTH_TOKEN: TOKEN_E2E }),
  ],
  projects: [
    {
      name: "desktop",
      testIgnore: /autenticacao|celular/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PORTA}` },
    },
    {
      name: "celular",
      testMatch: /celular/,
      use: { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, baseURL: `http://127.0.0.1:${PORTA}` },
    },
    {
      name: "autenticacao",
      testMatch: /autenticacao/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PORTA + 1}` },
    },
  ],
});
