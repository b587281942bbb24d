import { OllamaFalso } from "../servidores/ollama";
import { expect, test } from "./fixtures";

// A server of this spec's own: loading, unloading and deleting change its state.
let ollama: OllamaFalso;
test.beforeAll(async () => {
  ollama = await new OllamaFalso({
    modelos: [
      { id: "llama3.2:latest", carregado: true },
      { id: "qwen2.5:7b", carregado: false },
      { id: "phi3:mini", carregado: false },
    ],
  }).iniciar();
  // a load takes a moment, as on a real server: long enough to see the row say so
  ollama.atrasoMs = 700;
});
test.afterAll(() => ollama.parar());

test("modelos: load, unload and delete from the page, each row following the server", async ({ page, request, cadastrar }) => {
  const id = await cadastrar({ nome: `Ollama gerenciado ${Date.now()}`, tipo: "ollama", base_url: ollama.url });
  await request.post(`/api/provedores-llm/${id}/testar`);
  await page.goto(`/provedores-llm/${id}/modelos`);

  const qwen = page.getByRole("row").filter({ hasText: "qwen2.5:7b" });
  await expect(qwen).toContainText("Não");
  await page.getByRole("button", { name: "Carregar qwen2.5:7b" }).click();
  await expect(qwen.getByRole("status")).toHaveText("carregando…");
  await expect(qwen).toContainText("Sim · 4,8 GB na GPU");
  await expect(page.getByRole("button", { name: "Descarregar qwen2.5:7b" })).toBeVisible();
  expect(ollama.modelos.find((m) => m.id === "qwen2.5:7b")!.carregado).toBe(true);

  await page.getByRole("button", { name: "Descarregar llama3.2:latest" }).click();
  const llama = page.getByRole("row").filter({ hasText: "llama3.2:latest" });
  await expect(llama).toContainText("Não");
  await expect(page.getByRole("button", { name: "Carregar llama3.2:latest" })).toBeVisible();

  // delete asks first; cancelling keeps the model
  await page.getByRole("button", { name: "Excluir phi3:mini" }).click();
  const dialogo = page.getByRole("dialog", { name: 'Excluir "phi3:mini" do servidor?' });
  await dialogo.getByRole("button", { name: "Cancelar" }).click();
  await expect(page.getByRole("row").filter({ hasText: "phi3:mini" })).toBeVisible();
  await page.getByRole("button", { name: "Excluir phi3:mini" }).click();
  await dialogo.getByRole("button", { name: "Excluir modelo" }).click();
  await expect(page.getByRole("row").filter({ hasText: "phi3:mini" })).toHaveCount(0);
  expect(ollama.modelos.map((m) => m.id)).not.toContain("phi3:mini");
  await expect(page.getByText('Modelo "phi3:mini" excluído.')).toBeVisible();
});

test("modelos: a llama-server without router mode shows no buttons and says why", async ({ page, cadastrar }) => {
  const id = await cadastrar({ nome: `llama fixo ${Date.now()}`, tipo: "llama_cpp", base_url: process.env.E2E_LLAMA_URL! });
  // before the model list was ever read, the page cannot tell router mode, and says so
  await page.goto(`/provedores-llm/${id}/modelos`);
  await expect(page.getByText("Atualize a lista de modelos para saber se o llama-server está em modo roteador.")).toBeVisible();
  await page.getByRole("button", { name: "Atualizar lista" }).click();
  await expect(page.getByText("llama-server sem modo roteador: o modelo é fixado na inicialização")).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Carregar|Descarregar|Excluir) / })).toHaveCount(0);
});

test("modelos: a download with its bar moving to the end, the list refreshing by itself; another cancelled", async ({
  page,
  request,
  cadastrar,
}) => {
  ollama.atrasoMs = 0;
  ollama.passoPullMs = 150;
  const id = await cadastrar({ nome: `Ollama downloads ${Date.now()}`, tipo: "ollama", base_url: ollama.url });
  await request.post(`/api/provedores-llm/${id}/testar`);
  await page.goto(`/provedores-llm/${id}/modelos`);

  const painel = page.getByRole("region", { name: "Baixar modelo" });
  await painel.getByLabel("Nome do modelo").fill("llama3.2:1b");
  await painel.getByRole("button", { name: "Baixar" }).click();
  const item = painel.getByRole("listitem", { name: "Download de llama3.2:1b" });
  await expect(item).toContainText("Baixando");
  const barra = item.getByRole("progressbar", { name: "Progresso de llama3.2:1b" });
  await expect.poll(async () => Number(await barra.getAttribute("aria-valuenow")), { timeout: 10_000 }).toBeGreaterThan(20);
  await expect(item).toContainText(/MB\/s|GB\/s/);
  await expect(item).toContainText("faltam");
  await expect(item.getByRole("progressbar", { name: /^Camada / })).toHaveCount(2);
  await expect(item).toContainText("Concluído", { timeout: 15_000 });
  await expect(barra).toHaveAttribute("aria-valuenow", "100");
  // the model list refreshed by itself
  await expect(page.getByRole("row").filter({ hasText: "llama3.2:1b" })).toBeVisible();

  // leaving the page does not stop a download; coming back shows it running, and it can be cancelled
  ollama.catalogoPull.set("gemma3:270m", [
    { digest: "sha256:735af2139dc652bf01112746474883d79a52fa1c19038265d363e3d42556f7a2", total: 291_548_160 },
  ]);
  // 15 s in all: two page loads on a busy machine must not outlast it
  ollama.passoPullMs = 1500;
  await painel.getByLabel("Nome do modelo").fill("gemma3:270m");
  await painel.getByRole("button", { name: "Baixar" }).click();
  await expect(painel.getByRole("listitem", { name: "Download de gemma3:270m" })).toContainText("Baixando");
  await page.goto(`/provedores-llm/${id}/estatisticas`);
  await page.goto(`/provedores-llm/${id}/modelos`);
  const gemma = page.getByRole("listitem", { name: "Download de gemma3:270m" });
  await expect(gemma).toContainText("Baixando");
  const antes = ollama.pullsCancelados;
  await gemma.getByRole("button", { name: "Cancelar download de gemma3:270m" }).click();
  await expect(gemma).toContainText("Cancelado");
  await expect.poll(() => ollama.pullsCancelados, { timeout: 5_000 }).toBe(antes + 1);
  ollama.passoPullMs = 40;
});

test("modelos: while a big model loads, the list refreshes and its button comes back without waiting for the load", async ({
  page,
  request,
  cadastrar,
}) => {
  // A server of its own: its load stays pending for the whole test.
  const lento = await new OllamaFalso({
    modelos: [
      { id: "llama3.2:latest", carregado: true },
      { id: "mistral:7b", carregado: false },
    ],
  }).iniciar();
  try {
    const id = await cadastrar({ nome: `Ollama carga lenta ${Date.now()}`, tipo: "ollama", base_url: lento.url });
    await request.post(`/api/provedores-llm/${id}/testar`);
    await page.goto(`/provedores-llm/${id}/modelos`);
    lento.atrasoMs = 20_000;
    const mistral = page.getByRole("row").filter({ hasText: "mistral:7b" });
    await page.getByRole("button", { name: "Carregar mistral:7b" }).click();
    await expect(mistral.getByRole("status")).toHaveText("carregando…");

    await page.getByRole("button", { name: "Atualizar lista" }).click();
    await expect(page.getByText("Lista atualizada: 2 modelo(s).")).toBeVisible({ timeout: 8_000 });
    await expect(page.getByRole("button", { name: "Atualizar lista" })).toBeEnabled({ timeout: 8_000 });
    // the load is still under way: the refresh did not wait for it
    await expect(mistral.getByRole("status")).toHaveText("carregando…");
  } finally {
    await lento.parar();
  }
});
