import { expect, test } from "./fixtures";

test("Usar pela API: the base URL, the models to use now, snippets that work; the calls land in the statistics by model", async ({
  page,
  request,
  baseURL,
}) => {
  const criado = await request.post("/api/provedores-llm", {
    data: { nome: `Ollama da API ${Date.now()}`, tipo: "ollama", base_url: process.env.E2E_OLLAMA_URL },
  });
  expect(criado.status()).toBe(201);
  const { id, nome, slug } = (await criado.json()) as { id: number; nome: string; slug: string };
  expect(slug).toBe(nome.toLowerCase().replaceAll(" ", "-"));
  expect((await (await request.post(`/api/provedores-llm/${id}/testar`)).json()).sucesso).toBe(true);

  await page.goto("/provedores-llm");
  await page.getByRole("navigation").getByRole("link", { name: "Usar pela API" }).click();
  await expect(page).toHaveURL(/\/provedores-llm\/api$/);
  await expect(page.getByRole("heading", { name: "Usar pela API" })).toBeVisible();
  await expect(page.getByTestId("url-base")).toHaveText(`${baseURL}/v1`);
  await expect(page.getByText("Não é exigida")).toBeVisible();
  const linha = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "llama3.2:latest", exact: true }) });
  await expect(linha).toContainText(nome);
  await expect(linha).toContainText("(carregado)");
  // Its pinned id (the provider's stored slug), next to the provider's name.
  await expect(linha).toContainText(`${slug}/llama3.2:latest`);

  // The API reference: every route, from the same OpenAPI document the app serves.
  const referencia = page.getByRole("region", { name: "Referência (OpenAPI)" });
  await expect(referencia.getByText("/api/provedores-llm/{id}/modelos/carregar")).toBeVisible();
  await expect(referencia.getByText("/v1/chat/completions")).toBeVisible();
  await expect(referencia.getByRole("link", { name: "/api/openapi.json" })).toHaveAttribute("href", "/api/openapi.json");

  // The curl snippet, as shown, is a call that works.
  const curl = await page.locator("pre").first().textContent();
  const corpo = /-d '(.+)'$/m.exec(curl ?? "")?.[1];
  expect(corpo).toBeTruthy();
  // The snippet names the first model listed; other tests may have registered servers with other models.
  const pedido = JSON.parse(corpo!) as { model: string };
  await expect(page.getByRole("rowheader", { name: pedido.model, exact: true })).toBeVisible();
  const r = await request.post(`${baseURL}/v1/chat/completions`, { data: pedido, headers: { authorization: "Bearer sem-chave" } });
  expect(r.status()).toBe(200);
  const resposta = (await r.json()) as { model: string; choices: { message: { content: string } }[] };
  expect(resposta.model).toBe(pedido.model);
  expect(resposta.choices[0]!.message.content.length).toBeGreaterThan(0);

  // Other tests registered the same server too: the call went to whichever the gateway chose, and says so.
  const quem = r.headers()["x-provedor-id"];
  expect(quem).toMatch(/^\d+$/);
  await page.goto(`/provedores-llm/${quem}/estatisticas?periodo=1h`);
  const porModelo = page.getByRole("region", { name: "Por modelo" });
  await expect(porModelo.getByRole("row").filter({ has: page.getByRole("rowheader", { name: pedido.model, exact: true }) })).toBeVisible();
});
