import { expect, test } from "./fixtures";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { apagarTodos, PaginaProvedores } from "./paginas/provedores";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  await apagarTodos(request);
});

test("a new user registers, edits, deactivates and deletes providers", async ({ page }) => {
  const p = new PaginaProvedores(page);

  await page.goto("/");
  await expect(page).toHaveURL(/\/painel$/);
  await expect(page.getByRole("heading", { name: "Nenhum provedor cadastrado ainda" })).toBeVisible();
  await page.getByRole("link", { name: "Cadastrar o primeiro provedor" }).click();

  // Each type pre-fills its default URL.
  await expect(page).toHaveURL(/\/provedores-llm\/novo$/);
  await expect(page.getByLabel("URL base")).toHaveValue("http://localhost:1234");
  await page.getByLabel("Tipo").selectOption({ label: "llama.cpp" });
  await expect(page.getByLabel("URL base")).toHaveValue("http://localhost:8080");
  await page.getByLabel("Tipo").selectOption({ label: "Ollama" });
  await expect(page.getByLabel("URL base")).toHaveValue("http://localhost:11434");
  await page.getByLabel("Tipo").selectOption({ label: "LM Studio" });
  await expect(page.getByLabel("URL base")).toHaveValue("http://localhost:1234");

  await page.getByLabel("Nome").fill("LM Studio da mesa");
  // The test servers stand in for the real ones; pasted with "/v1/", as users do.
  await page.getByLabel("URL base").fill(`${process.env.E2E_LMSTUDIO_URL}/v1/`);
  await page.getByLabel("API key (opcional)").fill("sk-lm-studio-local");
  await page.getByRole("button", { name: "Cadastrar provedor" }).click();
  await expect(p.aviso('Provedor "LM Studio da mesa" criado.')).toBeVisible();
  await expect(page).toHaveURL(/\/provedores-llm$/);
  const lm = p.linha("LM Studio da mesa");
  await expect(lm).toContainText("LM Studio");
  await expect(lm).toContainText(process.env.E2E_LMSTUDIO_URL!);
  await expect(lm).toContainText("Ativo");
  // The list checks each active server live.
  await expect(lm.locator('[data-status="online"]')).toBeVisible();

  await p.cadastrar({ nome: "llama-server", tipo: "llama.cpp", url: process.env.E2E_LLAMA_URL });
  await expect(p.linha("llama-server")).toContainText(process.env.E2E_LLAMA_URL!);
  await p.cadastrar({ nome: "Ollama do escritório", tipo: "Ollama", url: process.env.E2E_OLLAMA_URL });
  await expect(p.linha("Ollama do escritório")).toContainText(process.env.E2E_OLLAMA_URL!);
  await expect(p.linha("Ollama do escritório").locator('[data-status="online"]')).toBeVisible();
  await expect(page.locator("li[data-provedor]")).toHaveCount(3);

  // Edit: the change shows on the details page.
  await page.getByRole("link", { name: "Editar llama-server" }).click();
  await expect(page.getByRole("heading", { name: 'Editar "llama-server"' })).toBeVisible();
  await page.getByLabel("Descrição (opcional)").fill("GPU do porão");
  await page.getByLabel("Timeout (segundos)").fill("90");
  await page.getByRole("button", { name: "Salvar alterações" }).click();
  await expect(p.aviso('Provedor "llama-server" atualizado.')).toBeVisible();
  await expect(page).toHaveURL(/\/detalhes$/);
  await expect(page.getByText("GPU do porão")).toBeVisible();
  await expect(page.getByText("90 s")).toBeVisible();

  // Deactivate from the list.
  await p.abrirLista();
  await page.getByRole("button", { name: "Desativar Ollama do escritório" }).click();
  await expect(p.aviso('Provedor "Ollama do escritório" desativado.')).toBeVisible();
  await expect(p.linha("Ollama do escritório")).toContainText("Inativo");

  // Delete asks first; cancelling keeps the provider.
  await page.getByRole("button", { name: "Excluir LM Studio da mesa" }).click();
  const dialogo = page.getByRole("dialog", { name: 'Excluir "LM Studio da mesa"?' });
  await expect(dialogo).toBeVisible();
  await dialogo.getByRole("button", { name: "Cancelar" }).click();
  await expect(dialogo).toBeHidden();
  await expect(p.linha("LM Studio da mesa")).toBeVisible();
  await page.getByRole("button", { name: "Excluir LM Studio da mesa" }).click();
  await dialogo.getByRole("button", { name: "Excluir provedor" }).click();
  await expect(p.aviso('Provedor "LM Studio da mesa" excluído.')).toBeVisible();
  await expect(p.linha("LM Studio da mesa")).toHaveCount(0);
  await expect(page.locator("li[data-provedor]")).toHaveCount(2);

  // What the page shows is what a program reads through the API.
  const api = (await (await page.request.get("/api/provedores-llm")).json()) as {
    nome: string;
    ativo: boolean;
    timeout_segundos: number;
  }[];
  expect(api.map((x) => [x.nome, x.ativo, x.timeout_segundos])).toEqual([
    ["llama-server", true, 90],
    ["Ollama do escritório", false, 60],
  ]);
});

test("the form shows each error next to its field and keeps what was typed", async ({ page }) => {
  await page.goto("/provedores-llm/novo");
  await page.getByRole("button", { name: "Cadastrar provedor" }).click();
  await expect(page.getByText("Informe o nome do provedor.")).toBeVisible();
  await expect(page.getByLabel("Nome")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Tipo").selectOption({ label: "OpenAI-compatível" });
  await expect(page.getByLabel("URL base")).toHaveValue("");
  await page.getByLabel("Nome").fill("vLLM");
  await page.getByRole("button", { name: "Cadastrar provedor" }).click();
  await expect(page.getByText("Informe a URL: um servidor OpenAI-compatível não tem endereço padrão.")).toBeVisible();

  await page.getByLabel("URL base").fill("ftp://servidor");
  await page.getByLabel("Temperatura").fill("5");
  await page.getByRole("button", { name: "Cadastrar provedor" }).click();
  await expect(page.getByText("A URL deve começar com http:// ou https://.")).toBeVisible();
  await expect(page.getByText("A temperatura máxima é 2.")).toBeVisible();

  // A rule only the server can check (unique names) comes back under its field too.
  await page.getByLabel("URL base").fill("http://localhost:8000");
  await page.getByLabel("Temperatura").fill("");
  await page.getByLabel("Nome").fill("LLAMA-SERVER");
  await page.getByRole("button", { name: "Cadastrar provedor" }).click();
  await expect(page.getByText('Já existe um provedor chamado "LLAMA-SERVER".')).toBeVisible();
  await expect(page.getByLabel("Nome")).toHaveValue("LLAMA-SERVER");
  await expect(page).toHaveURL(/\/novo$/);
});

test("a provider can be registered with the keyboard alone", async ({ page }) => {
  const p = new PaginaProvedores(page);
  await page.goto("/provedores-llm/novo");
  await page.getByLabel("Nome").focus();
  await page.keyboard.type("Via teclado");
  await page.keyboard.press("Tab"); // Tipo
  await page.keyboard.press("ArrowDown"); // llama.cpp
  await expect(page.getByLabel("URL base")).toHaveValue("http://localhost:8080");
  await page.keyboard.press("Tab"); // URL base: Enter in a text field submits the form
  await expect(page.getByLabel("URL base")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(p.aviso('Provedor "Via teclado" criado.')).toBeVisible();
  await expect(p.linha("Via teclado")).toContainText("llama.cpp");
});

test("an unknown provider page says so", async ({ page }) => {
  const r = await page.goto("/provedores-llm/999999/detalhes");
  expect(r?.status()).toBe(404);
  await expect(page.getByText("Página não encontrada")).toBeVisible();
});

test("the form shows the limit a llama-server reported, and the fair-share values saved are kept", async ({ page, cadastrar }) => {
  const p = new PaginaProvedores(page);
  // Started with -np 3: its /props says total_slots 3, learned with the model list.
  const llama = await new LlamaCppFalso({ modelos: [{ id: "tiny-com-slots" }], slots: 3 }).iniciar();
  try {
    const id = await cadastrar({ nome: "llama com slots", tipo: "llama_cpp", base_url: llama.url });
    await page.goto(`/provedores-llm/${id}/editar`);
    const concorrencia = page.getByLabel("Concorrência máxima");
    // Nothing learned yet: llama-server's own default.
    await expect(concorrencia).toHaveAttribute("placeholder", "Automático: 4 (padrão do llama.cpp)");

    const lista = await page.request.get(`/api/provedores-llm/${id}/modelos?atualizar=true`);
    expect(lista.status()).toBe(200);
    await page.reload();
    await expect(concorrencia).toHaveValue("");
    await expect(concorrencia).toHaveAttribute("placeholder", "Automático: 3 (informado pelo servidor)");
    await expect(page.getByTestId("concorrencia-em-vigor")).toContainText("Em vigor: Automático: 3 (informado pelo servidor).");
    await expect(page.getByLabel("Tamanho máximo da fila")).toHaveValue("64");
    await expect(page.getByLabel("Espera máxima na fila (segundos)")).toHaveValue("60");

    // A limit set here wins over the server's, and the hint says so as it is typed.
    await concorrencia.fill("2");
    await expect(page.getByTestId("concorrencia-em-vigor")).toContainText("Em vigor: 2 (definido aqui).");
    await page.getByLabel("Tamanho máximo da fila").fill("5");
    await page.getByLabel("Espera máxima na fila (segundos)").fill("30");
    await page.getByRole("button", { name: "Salvar alterações" }).click();
    await expect(p.aviso('Provedor "llama com slots" atualizado.')).toBeVisible();
    await expect(page).toHaveURL(/\/detalhes$/);
    await expect(page.getByTestId("concorrencia-em-vigor")).toHaveText("2 (definido no provedor)");
    await expect(page.getByText("até 5 requisições, esperando no máximo 30 s")).toBeVisible();
    const salvo = (await (await page.request.get(`/api/provedores-llm/${id}`)).json()) as Record<string, unknown>;
    expect(salvo).toMatchObject({ max_concorrencia: 2, fila_max: 5, fila_espera_segundos: 30, concorrencia_informada: 3 });

    // Emptied: automatic again, what the server said.
    await page.goto(`/provedores-llm/${id}/editar`);
    await expect(concorrencia).toHaveValue("2");
    await concorrencia.fill("");
    await page.getByRole("button", { name: "Salvar alterações" }).click();
    await expect(p.aviso('Provedor "llama com slots" atualizado.')).toBeVisible();
    await expect(page.getByTestId("concorrencia-em-vigor")).toHaveText("3 (informado pelo servidor)");
    const automatico = (await (await page.request.get(`/api/provedores-llm/${id}`)).json()) as Record<string, unknown>;
    expect(automatico).toMatchObject({ max_concorrencia: null, max_concorrencia_efetiva: 3, fila_max: 5 });
  } finally {
    await llama.parar();
  }
});

test("a new provider's form shows each type's default limit", async ({ page }) => {
  await page.goto("/provedores-llm/novo");
  const concorrencia = page.getByLabel("Concorrência máxima");
  await page.getByLabel("Tipo").selectOption({ label: "Ollama" });
  await expect(concorrencia).toHaveAttribute("placeholder", "Automático: 1 (padrão do Ollama)");
  await expect(page.getByTestId("concorrencia-em-vigor")).toContainText("O limite vale para cada modelo carregado.");
  await page.getByLabel("Tipo").selectOption({ label: "OpenAI-compatível" });
  await expect(concorrencia).toHaveAttribute("placeholder", "Automático: sem limite (padrão do OpenAI-compatível)");
  await concorrencia.fill("0");
  await expect(page.getByTestId("concorrencia-em-vigor")).toContainText("Em vigor: Sem limite.");
});
