import { expect, test } from "./fixtures";
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

async function entrar(page: import("@playwright/test").Page) {
  await page.getByLabel("Token de acesso").fill(TOKEN_E2E);
  await page.getByRole("button", { name: "Entrar" }).click();
}

test("logout ends the session on the server: a copy of the old cookie no longer opens anything", async ({ page, playwright, baseURL }) => {
  await page.goto("/login");
  await entrar(page);
  // with no page asked for, the login lands on the overview
  await expect(page).toHaveURL(/\/painel$/);
  const sessao = (await page.context().cookies()).find((c) => c.name === "provedores_llm_sessao")!;
  const copia = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `provedores_llm_sessao=${sessao.value}` } });
  expect((await copia.get("/api/provedores-llm")).status()).toBe(200);

  await page.getByRole("button", { name: "Sair" }).click();
  await expect(page).toHaveURL(/\/login/);
  const depois = await copia.get("/api/provedores-llm");
  expect(depois.status()).toBe(401);
  expect(((await depois.json()) as { erro: { codigo: string } }).erro.codigo).toBe("nao_autorizado");
  expect((await copia.get("/provedores-llm", { maxRedirects: 0 })).status()).toBe(307);
  await copia.dispose();
});

// Each would take the browser to another host if followed as given (browsers drop tabs and newlines, read "\" as "/").
for (const proximo of [
  "/%09/127.0.0.1:3556/pwned",
  "/%0A/evil.example",
  "//evil.example",
  "/\\evil.example",
  "/%5C/evil.example",
  "%2F%2Fevil.example",
  "https://evil.example",
  "/%09%09//evil.example",
]) {
  test(`after login, proximo=${proximo} stays on the app`, async ({ page, baseURL }) => {
    await page.goto(`/login?proximo=${proximo}`);
    await entrar(page);
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    expect(new URL(page.url()).origin).toBe(baseURL);
    await expect(page.getByRole("navigation").getByRole("link", { name: "Novo provedor" })).toBeVisible();
  });
}

test("after login, a same-origin proximo is kept, with its query", async ({ page }) => {
  await page.goto(`/login?proximo=${encodeURIComponent("/provedores-llm?busca=abc")}`);
  await entrar(page);
  await expect(page).toHaveURL(/\/provedores-llm\?busca=abc$/);
});

test("a button pressed after the session ended says to log in again, and changes nothing", async ({ page, request }) => {
  const bearer = { authorization: `Bearer ${TOKEN_E2E}` };
  const nome = `Sessão expirada ${Date.now()}`;
  const criado = await request.post("/api/provedores-llm", {
    headers: bearer,
    data: { nome, tipo: "ollama", base_url: "http://127.0.0.1:9" },
  });
  expect(criado.status()).toBe(201);
  const { id } = (await criado.json()) as { id: number };
  try {
    await page.goto(`/login?proximo=${encodeURIComponent("/provedores-llm")}`);
    await entrar(page);
    await expect(page).toHaveURL(/\/provedores-llm$/);
    // the session goes away while the page stays open (it expired, or another tab logged out)
    await page.context().clearCookies();
    await page.getByRole("button", { name: `Desativar ${nome}` }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Sua sessão expirou. Recarregue a página e entre de novo." })).toBeVisible();
    const depois = await request.get(`/api/provedores-llm/${id}`, { headers: bearer });
    expect(((await depois.json()) as { ativo: boolean }).ativo).toBe(true);
  } finally {
    await request.delete(`/api/provedores-llm/${id}`, { headers: bearer });
  }
});
