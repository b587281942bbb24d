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

test("Usar pela API: a tab per door, each with its setups at the app's address, keyboard arrows between tabs, and copying a snippet", async ({
  page,
  context,
  baseURL,
  cadastrar,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const id = await cadastrar({ nome: `Ollama das abas ${Date.now()}`, tipo: "ollama", base_url: process.env.E2E_OLLAMA_URL });
  expect((await (await page.request.post(`/api/provedores-llm/${id}/testar`)).json()).sucesso).toBe(true);

  await page.goto("/provedores-llm/api");
  await expect(page.getByTestId("url-raiz")).toHaveText(baseURL!);
  const abas = page.getByRole("tablist", { name: "Exemplos por porta de entrada" });
  const nomes = ["OpenAI (/v1)", "Anthropic (/v1/messages)", "Ollama (/api)", "Responses (/v1/responses)", "Continue e editores"];
  await expect(abas.getByRole("tab")).toHaveText(nomes);
  await expect(abas.getByRole("tab", { name: "OpenAI (/v1)" })).toHaveAttribute("aria-selected", "true");

  // The model the snippets name: the one of the OpenAI tab's curl (a listed id); Ollama's snippets give it a tag.
  const curl = (await page.getByRole("tabpanel", { name: "OpenAI (/v1)" }).locator("pre").first().textContent()) ?? "";
  const modelo = (JSON.parse(/-d '(.+)'$/m.exec(curl)![1]!) as { model: string }).model;
  await expect(page.getByRole("rowheader", { name: modelo, exact: true })).toBeVisible();
  const comTag = modelo.includes(":") ? modelo : `${modelo}:latest`;

  const esperado: Record<string, string[]> = {
    "Anthropic (/v1/messages)": [
      `export ANTHROPIC_BASE_URL="${baseURL}"`,
      'export ANTHROPIC_AUTH_TOKEN="$PROVEDORES_LLM_CHAVE"',
      `export ANTHROPIC_MODEL="${modelo}"`,
      `export ANTHROPIC_DEFAULT_OPUS_MODEL="${modelo}"`,
      `export ANTHROPIC_DEFAULT_SONNET_MODEL="${modelo}"`,
      `export ANTHROPIC_DEFAULT_HAIKU_MODEL="${modelo}"`,
      `new Anthropic({ baseURL: "${baseURL}", apiKey: process.env.PROVEDORES_LLM_CHAVE })`,
      `Anthropic(base_url="${baseURL}", api_key=os.environ["PROVEDORES_LLM_CHAVE"])`,
      `curl ${baseURL}/v1/messages`,
    ],
    "Ollama (/api)": [
      `new Ollama({ host: "${baseURL}", headers: { Authorization: \`Bearer \${process.env.PROVEDORES_LLM_CHAVE}\` } })`,
      `Client(host="${baseURL}", headers={"Authorization": "Bearer " + os.environ["PROVEDORES_LLM_CHAVE"]})`,
      `model: "${comTag}"`,
      `curl ${baseURL}/api/chat`,
    ],
    "Responses (/v1/responses)": [
      `new OpenAI({ baseURL: "${baseURL}/v1", apiKey: process.env.PROVEDORES_LLM_CHAVE })`,
      "client.responses.create(",
      `curl ${baseURL}/v1/responses`,
    ],
    "Continue e editores": [
      "provider: ollama",
      `model: ${comTag}`,
      `apiBase: ${baseURL}\n`,
      "provider: anthropic",
      `apiBase: ${baseURL}/v1/`,
    ],
  };
  for (const [nome, trechos] of Object.entries(esperado)) {
    await abas.getByRole("tab", { name: nome }).click();
    await expect(abas.getByRole("tab", { name: nome })).toHaveAttribute("aria-selected", "true");
    const painel = page.getByRole("tabpanel", { name: nome });
    await expect(painel).toBeVisible();
    // only the selected tab's panel is shown
    await expect(page.getByRole("tabpanel")).toHaveCount(1);
    const texto = (await painel.locator("pre").allTextContents()).join("\n");
    for (const t of trechos) expect(texto, `${nome}: ${t}`).toContain(t);
  }
  // The snippets read the key from PROVEDORES_LLM_CHAVE; the page says where to create one
  await expect(page.getByTestId("nota-da-chave")).toContainText('export PROVEDORES_LLM_CHAVE="pllm_…"');
  await expect(page.getByTestId("nota-da-chave").getByRole("link", { name: "Nova chave" })).toHaveAttribute("href", "/chaves/nova");
  // Open WebUI's Ollama connection: the app's root, not /v1
  await abas.getByRole("tab", { name: "Ollama (/api)" }).click();
  await expect(page.getByRole("tabpanel", { name: "Ollama (/api)" }).getByText(/URL: .* · Chave: a sua chave de acesso/)).toContainText(
    `URL: ${baseURL} ·`,
  );

  // Keyboard: arrows move and select, wrapping; Home and End go to the ends
  const aba = (nome: string) => abas.getByRole("tab", { name: nome });
  await aba("OpenAI (/v1)").click();
  await page.keyboard.press("ArrowRight");
  await expect(aba("Anthropic (/v1/messages)")).toBeFocused();
  await expect(aba("Anthropic (/v1/messages)")).toHaveAttribute("aria-selected", "true");
  await expect(aba("OpenAI (/v1)")).toHaveAttribute("tabindex", "-1");
  await page.keyboard.press("End");
  await expect(aba("Continue e editores")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(aba("OpenAI (/v1)")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(aba("Continue e editores")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Home");
  await expect(aba("OpenAI (/v1)")).toHaveAttribute("aria-selected", "true");

  // Copying puts the snippet as shown on the clipboard
  await aba("Anthropic (/v1/messages)").click();
  const claude = page
    .getByRole("tabpanel", { name: "Anthropic (/v1/messages)" })
    .locator("div")
    .filter({ has: page.getByRole("heading", { name: "Claude Code (variáveis de ambiente)" }) })
    // the snippet's box (its header, inside it, holds the heading too)
    .first();
  await claude.getByRole("button", { name: "Copiar" }).click();
  await expect(claude.getByRole("button", { name: "Copiado!" })).toBeVisible();
  const copiado = await page.evaluate(() => navigator.clipboard.readText());
  expect(copiado).toBe(await claude.locator("pre").textContent());
  expect(copiado).toContain(`export ANTHROPIC_BASE_URL="${baseURL}"`);
});

test("Estatísticas: the Por porta table counts each call under the door it came by", async ({ page, request, baseURL, cadastrar }) => {
  const nome = `Ollama das portas ${Date.now()}`;
  const id = await cadastrar({ nome, tipo: "ollama", base_url: process.env.E2E_OLLAMA_URL });
  expect((await (await request.post(`/api/provedores-llm/${id}/testar`)).json()).sucesso).toBe(true);
  const { slug } = (await (await request.get(`/api/provedores-llm/${id}`)).json()) as { slug: string };
  const mensagens = [{ role: "user", content: "Olá!" }];
  // One call by REST, two by /v1 pinned to this provider (its slug): the counts are this test's own
  expect((await request.post(`/api/provedores-llm/${id}/requisicao`, { data: { mensagens, modelo: "llama3.2:latest" } })).status()).toBe(
    200,
  );
  for (let i = 0; i < 2; i++) {
    const r = await request.post(`${baseURL}/v1/chat/completions`, { data: { model: `${slug}/llama3.2:latest`, messages: mensagens } });
    expect(r.status()).toBe(200);
  }

  await page.goto(`/provedores-llm/${id}/estatisticas?periodo=1h`);
  const porPorta = page.getByRole("region", { name: "Por porta" });
  const linha = (rotulo: string) => porPorta.getByRole("row").filter({ has: page.getByRole("rowheader", { name: rotulo, exact: true }) });
  await expect(porPorta.getByRole("rowheader")).toHaveText([
    "REST (requisicao)",
    "OpenAI (/v1)",
    "Anthropic (/v1/messages)",
    "Ollama (/api)",
    "Responses (/v1/responses)",
  ]);
  await expect(linha("REST (requisicao)").getByRole("cell").first()).toHaveText("1");
  await expect(linha("OpenAI (/v1)").getByRole("cell").first()).toHaveText("2");
  await expect(linha("Anthropic (/v1/messages)").getByRole("cell").first()).toHaveText("0");
  // and each recent request says its door
  const ultimas = page.getByRole("region", { name: "Últimas requisições" });
  await expect(ultimas.getByRole("cell", { name: "OpenAI (/v1)", exact: true })).toHaveCount(2);
  await expect(ultimas.getByRole("cell", { name: "REST (requisicao)", exact: true })).toHaveCount(1);
});
