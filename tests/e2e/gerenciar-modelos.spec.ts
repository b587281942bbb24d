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

test("modelos: load, unload and delete from the page, each row following the server", async ({ page, request }) => {
  const r = await request.post("/api/provedores-llm", {
    data: { nome: `Ollama gerenciado ${Date.now()}`, tipo: "ollama", base_url: ollama.url },
  });
  const { id } = (await r.json()) as { id: number };
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

test("modelos: a llama-server without router mode shows no buttons and says why", async ({ page, request }) => {
  const r = await request.post("/api/provedores-llm", {
    data: { nome: `llama fixo ${Date.now()}`, tipo: "llama_cpp", base_url: process.env.E2E_LLAMA_URL! },
  });
  const { id } = (await r.json()) as { id: number };
  await request.post(`/api/provedores-llm/${id}/testar`);
  await page.goto(`/provedores-llm/${id}/modelos`);
  await expect(page.getByText("llama-server sem modo roteador: o modelo é fixado na inicialização")).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Carregar|Descarregar|Excluir) / })).toHaveCount(0);
});
