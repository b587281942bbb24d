import { LlamaCppFalso } from "../servidores/llama-cpp";
import { OllamaFalso } from "../servidores/ollama";
import { expect, test } from "./fixtures";

// Providers here are checked every 5 s (±10%): a change must show by the next check or the one after, with
// room for a busy machine.
const ATE_A_PROXIMA_VERIFICACAO_MS = 15_000;

// A server of this spec's own, whose faults the monitor (running in the e2e app) must notice by itself.
let llama: LlamaCppFalso;
test.beforeAll(async () => {
  llama = await new LlamaCppFalso().iniciar();
});
test.afterAll(() => llama.parar());

test("status is live: badges change without reload, the pages never probe, an outage shows as an incident", async ({ page, cadastrar }) => {
  test.setTimeout(90_000);
  const nome = `llama monitorado ${Date.now()}`;
  const id = await cadastrar({ nome, tipo: "llama_cpp", base_url: llama.url, intervalo_verificacao_segundos: 5 });

  await page.goto("/provedores-llm");
  const linha = page.locator(`[data-provedor="${nome}"]`);
  await expect(linha.getByText("Online", { exact: true })).toBeVisible({ timeout: ATE_A_PROXIMA_VERIFICACAO_MS });

  // the server starts loading a model: the next check says so, and the badge follows on its own
  await llama.definirFalha("carregando");
  await expect(linha.getByText("Carregando modelo")).toBeVisible({ timeout: ATE_A_PROXIMA_VERIFICACAO_MS });
  await llama.definirFalha(null);
  await expect(linha.getByText("Online", { exact: true })).toBeVisible({ timeout: ATE_A_PROXIMA_VERIFICACAO_MS });

  // down: unstable at the first failed check, offline at the third, on the detalhes page without reload
  await page.goto(`/provedores-llm/${id}/detalhes`);
  await expect(page.getByRole("region", { name: "Disponibilidade" })).toContainText("Nenhum incidente nos últimos 30 dias.");
  await llama.definirFalha("recusar");
  const titulo = page.locator("h1").locator("..");
  await expect(titulo.getByText("Instável")).toBeVisible({ timeout: ATE_A_PROXIMA_VERIFICACAO_MS });
  await expect(titulo.getByText("Offline")).toBeVisible({ timeout: 20_000 });
  await llama.definirFalha(null);
  await expect(titulo.getByText("Online", { exact: true })).toBeVisible({ timeout: ATE_A_PROXIMA_VERIFICACAO_MS });

  await page.reload();
  const disponibilidade = page.getByRole("region", { name: "Disponibilidade" });
  const incidente = disponibilidade.locator("[data-incidente]");
  await expect(incidente).toHaveCount(1);
  await expect(incidente).toContainText("Offline");
  await expect(incidente).toContainText("conexão");
  const uptime = Number((await disponibilidade.locator('[data-uptime="24h"]').textContent())!.replace("%", "").replace(",", "."));
  expect(uptime).toBeGreaterThan(0);
  expect(uptime).toBeLessThan(100);

  // every visit above was answered from the monitor's status: the server only ever saw its health checks
  expect(new Set(llama.recebidas.map((x) => x.caminho))).toEqual(new Set(["/health"]));
});

test("modelos: a model the server loads by itself shows as loaded without reload", async ({ page, request, cadastrar }) => {
  const ollama = await new OllamaFalso({
    modelos: [
      { id: "llama3.2:latest", carregado: true },
      { id: "qwen2.5:7b", carregado: false },
    ],
  }).iniciar();
  try {
    const id = await cadastrar({
      nome: `ollama monitorado ${Date.now()}`,
      tipo: "ollama",
      base_url: ollama.url,
      intervalo_verificacao_segundos: 5,
    });
    await request.post(`/api/provedores-llm/${id}/testar`);
    await page.goto(`/provedores-llm/${id}/modelos`);
    const qwen = page.getByRole("row").filter({ hasText: "qwen2.5:7b" });
    await expect(qwen).toContainText("Não");
    await expect(page.locator("h1").locator("..").getByText("Online", { exact: true })).toBeVisible();

    // another client loads qwen (and Ollama evicts llama): the next check sees it in /api/ps
    for (const m of ollama.modelos) m.carregado = !m.carregado;
    await expect(qwen).toContainText("Sim", { timeout: ATE_A_PROXIMA_VERIFICACAO_MS });
    await expect(page.getByRole("row").filter({ hasText: "llama3.2:latest" })).toContainText("Não");
  } finally {
    await ollama.parar();
  }
});

test("fila: the provider's pages show the live 'Na fila' count while a request waits, the list a gauge", async ({
  page,
  request,
  cadastrar,
  baseURL,
}) => {
  // Ollama runs one request at a time by default (lib/fila/config.ts): a second one waits in the app's queue.
  const ollama = await new OllamaFalso({ modelos: [{ id: "llama3.2:latest", carregado: true }] }).iniciar();
  const nome = `ollama com fila ${Date.now()}`;
  try {
    const id = await cadastrar({ nome, tipo: "ollama", base_url: ollama.url });
    await request.post(`/api/provedores-llm/${id}/testar`);
    await ollama.definirFalha("segurar");
    await page.goto(`/provedores-llm/${id}/detalhes`);
    const fila = page.locator("h1").locator("..").locator(`[data-fila-ao-vivo="${id}"]`);
    await expect(fila).toContainText("Na fila 0");
    await expect(fila).toHaveAttribute("title", /cada uma tem a sua fila/);

    // The caller is another program: its streams are held by the server after the first token.
    const pedir = () =>
      fetch(`${baseURL}/api/provedores-llm/${id}/requisicao`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ mensagens: [{ role: "user", content: "oi" }], stream: true }),
      });
    const primeira = await pedir();
    expect(primeira.status).toBe(200);
    await expect.poll(() => ollama.segurando).toBe(1);
    const segunda = pedir();
    await expect(fila).toContainText("Em andamento 1/1");
    await expect(fila).toContainText("Na fila 1");

    // the list shows the same, as a small gauge
    await page.goto("/provedores-llm");
    const medidor = page.locator(`[data-provedor="${nome}"] [data-medidor-fila="${id}"]`);
    await expect(medidor).toContainText("Em andamento 1/1 · Na fila 1");

    // the first ends, the second leaves the queue and is held in turn; then it ends too
    ollama.soltar();
    await primeira.text();
    const r2 = await segunda;
    expect(r2.status).toBe(200);
    await expect(medidor).toContainText("Na fila 0");
    await expect.poll(() => ollama.segurando).toBe(1);
    ollama.soltar();
    await r2.text();
    await expect(medidor).toContainText("Em andamento 0/1 · Na fila 0");
  } finally {
    ollama.soltar();
    await ollama.parar();
  }
});
