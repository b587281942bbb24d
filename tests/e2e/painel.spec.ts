import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OllamaFalso } from "../servidores/ollama";
import { expect, test } from "./fixtures";

// Providers here are checked every 5 s (±10%): a change must show by the next check or the one after, with
// room for a busy machine.
const ATE_A_PROXIMA_VERIFICACAO_MS = 15_000;

let ollama: OllamaFalso;
let llama: LlamaCppFalso;
test.beforeAll(async () => {
  [ollama, llama] = await Promise.all([
    new OllamaFalso({
      modelos: [
        { id: "llama3.2:latest", carregado: true },
        { id: "qwen2.5:7b", carregado: false },
      ],
    }).iniciar(),
    new LlamaCppFalso({ modelos: [{ id: "qwen2.5-coder-1.5b" }] }).iniciar(),
  ]);
});
test.afterAll(async () => {
  await Promise.all([ollama.parar(), llama.parar()]);
});

test("painel: every server's loaded models as chips, and a status badge that changes live when a server goes down", async ({
  page,
  request,
  cadastrar,
}) => {
  test.setTimeout(90_000);
  const sufixo = Date.now();
  const nomeOllama = `painel ollama ${sufixo}`;
  const nomeLlama = `painel llama ${sufixo}`;
  for (const [nome, tipo, url] of [
    [nomeOllama, "ollama", ollama.url],
    [nomeLlama, "llama_cpp", llama.url],
  ] as const) {
    const id = await cadastrar({ nome, tipo, base_url: url, intervalo_verificacao_segundos: 5 });
    expect((await (await request.post(`/api/provedores-llm/${id}/testar`)).json()).sucesso).toBe(true);
  }

  // the header leads here, and / too
  await page.goto("/");
  await expect(page).toHaveURL(/\/painel$/);
  await expect(page.getByRole("heading", { name: "Painel", level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation");
  for (const [rotulo, href] of [
    ["Painel", "/painel"],
    ["Provedores", "/provedores-llm"],
    ["Modelos", "/modelos"],
    ["Estatísticas", "/estatisticas"],
    ["Usar pela API", "/provedores-llm/api"],
  ]) {
    await expect(nav.getByRole("link", { name: rotulo, exact: true })).toHaveAttribute("href", href!);
  }

  const cartaoOllama = page.locator(`[data-servidor="${nomeOllama}"]`);
  const cartaoLlama = page.locator(`[data-servidor="${nomeLlama}"]`);
  await expect(cartaoOllama.getByRole("list", { name: "Modelos carregados" }).getByRole("listitem")).toHaveText(["llama3.2:latest"]);
  await expect(cartaoLlama.getByRole("list", { name: "Modelos carregados" }).getByRole("listitem")).toHaveText(["qwen2.5-coder-1.5b"]);
  await expect(cartaoOllama.getByText("Online", { exact: true })).toBeVisible();
  await expect(cartaoLlama.getByText("Online", { exact: true })).toBeVisible();

  // llama-server goes down: its badge follows the monitor's checks without a reload; Ollama's stays
  await llama.definirFalha("recusar");
  await expect(cartaoLlama.getByText("Instável")).toBeVisible({ timeout: ATE_A_PROXIMA_VERIFICACAO_MS });
  await expect(cartaoLlama.getByText("Offline")).toBeVisible({ timeout: 20_000 });
  await expect(cartaoOllama.getByText("Online", { exact: true })).toBeVisible();

  // Ollama loads another model by itself: its chips follow the next check
  for (const m of ollama.modelos) m.carregado = !m.carregado;
  await expect(cartaoOllama.getByRole("list", { name: "Modelos carregados" }).getByRole("listitem")).toHaveText(["qwen2.5:7b"], {
    timeout: ATE_A_PROXIMA_VERIFICACAO_MS,
  });
  await llama.definirFalha(null);
  await expect(cartaoLlama.getByText("Online", { exact: true })).toBeVisible({ timeout: ATE_A_PROXIMA_VERIFICACAO_MS });
});
