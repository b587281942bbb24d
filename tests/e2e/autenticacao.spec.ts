import { expect, test } from "@playwright/test";
import { TOKEN_E2E } from "../../playwright.config";
import { apagarTodos, PaginaProvedores } from "./paginas/provedores";

test("with AUTH_TOKEN the UI asks for the token once, then works until logout", async ({ page, request }) => {
  await apagarTodos(request, { authorization: `Bearer ${TOKEN_E2E}` });
  await page.goto("/provedores-llm/novo");
  await expect(page).toHaveURL(/\/login\?proximo=%2Fprovedores-llm%2Fnovo/);

  await page.getByLabel("Token de acesso").fill("errado");
  await page.getByRole("button", { name: "Entrar" }).click();
  await expect(page.getByText("Token inválido")).toBeVisible();

  await page.getByLabel("Token de acesso").fill(TOKEN_E2E);
  await page.getByRole("button", { name: "Entrar" }).click();
  await expect(page).toHaveURL(/\/provedores-llm\/novo$/);
  const cookies = await page.context().cookies();
  const sessao = cookies.find((c) => c.name === "provedores_llm_sessao");
  expect(sessao?.httpOnly).toBe(true);
  expect(sessao?.value).not.toContain(TOKEN_E2E);

  const p = new PaginaProvedores(page);
  await p.cadastrar({ nome: "Protegido", tipo: "Ollama" });
  await expect(p.aviso('Provedor "Protegido" criado.')).toBeVisible();
  await expect(p.linha("Protegido")).toBeVisible();

  await page.getByRole("button", { name: "Sair" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/provedores-llm");
  await expect(page).toHaveURL(/\/login/);
});
