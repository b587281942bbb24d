import type { APIRequestContext, Page } from "@playwright/test";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { expect, test } from "./fixtures";

type Execucao = { id: number; estado: string };

async function execucoes(request: APIRequestContext, id: number): Promise<Execucao[]> {
  const r = await request.get(`/api/provedores-llm/${id}/benchmarks`);
  expect(r.status()).toBe(200);
  return ((await r.json()) as { benchmarks: Execucao[] }).benchmarks;
}

/** Starts the preset chosen on the provider's tab and waits for the bar to reach 100 % and the run to end. */
async function rodarAteOFim(page: Page) {
  await page.getByRole("button", { name: "Iniciar" }).click();
  const barra = page.getByRole("progressbar", { name: "Progresso da execução" });
  await expect(barra).toBeVisible();
  await expect(barra).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(page.getByTestId("progresso-benchmark")).toContainText("28 de 28 requisições (100 %)");
  await expect(page.locator("[data-benchmark] [data-estado]").first()).toHaveText("Concluído");
}

/** Both charts of the page have drawn lines (recharts' curves are svg paths). */
async function graficosDesenhados(page: Page, titulos: RegExp[]) {
  for (const titulo of titulos) {
    const figura = page.getByRole("figure", { name: titulo });
    await expect(figura).toBeVisible();
    await expect(figura.locator("svg path.recharts-curve").first()).toBeVisible();
    expect(await figura.locator("svg path.recharts-curve").count()).toBeGreaterThan(0);
  }
}

test("desempenho: the Rápido preset runs live to 100 %, draws both charts and the cells; two runs compare on /desempenho", async ({
  page,
  request,
  cadastrar,
}) => {
  test.setTimeout(120_000);
  // Live charts and SSE with no error on the console (the CSP's own violations are checked by the fixture).
  const errosNoConsole: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errosNoConsole.push(m.text());
  });
  // A fast server with a set speed, so the run takes seconds: prefill 20 000 tok/s, generation 2 000 tok/s.
  const llama = await new LlamaCppFalso({ modelos: [{ id: "modelo-medido" }], slots: 4 }).iniciar();
  llama.velocidade = { prefillTokensS: 20_000, geracaoTokensS: 2_000, comTimings: true };
  try {
    const nome = `llama.cpp medido ${Date.now()}`;
    const id = await cadastrar({ nome, tipo: "llama_cpp", base_url: llama.url });
    expect((await request.post(`/api/provedores-llm/${id}/testar`)).status()).toBe(200);

    await page.goto(`/provedores-llm/${id}/desempenho`);
    await expect(page.getByRole("heading", { name: `Desempenho de ${nome}`, level: 1 })).toBeVisible();
    await expect(page.getByText("Nenhuma execução ainda.")).toBeVisible();
    await expect(page.getByLabel("Modelo", { exact: true })).toHaveValue("modelo-medido");
    const total = page.getByTestId("total-requisicoes");
    // Rápido: 2 prompt lengths × (1 + 2 + 4) × 2 repetitions.
    await expect(total).toContainText("28 requisições");
    await page.getByRole("radio", { name: /Completo/ }).check();
    await expect(total).toContainText("135 requisições");
    // A custom profile over the cap says so before anything is sent, and Iniciar stays off.
    await page.getByRole("radio", { name: /Personalizado/ }).check();
    await expect(page.getByLabel("Concorrências")).toHaveValue("1, 2, 4, 8");
    await page.getByLabel("Repetições").fill("50");
    await expect(total).toContainText("2.250 requisições");
    await expect(page.getByRole("main").getByRole("alert")).toContainText("o máximo por execução é 2000");
    await expect(page.getByRole("button", { name: "Iniciar" })).toBeDisabled();
    await page.getByLabel("Repetições").fill("0");
    await expect(page.getByText("repeticoes deve ser pelo menos 1.")).toBeVisible();
    await page.getByRole("radio", { name: /Rápido/ }).check();
    await expect(total).toContainText("28 requisições");

    await rodarAteOFim(page);
    // Once it ends another run may start: one at a time, not one ever.
    await expect(page.getByRole("button", { name: "Iniciar" })).toBeEnabled();
    await expect(page.getByText("Uma execução deste servidor está em andamento.")).toHaveCount(0);
    await graficosDesenhados(page, [/^Geração \(tokens\/s\)/, /^Tempo até o primeiro token/]);
    const celulas = page.locator("[data-benchmark] tr[data-celula]");
    await expect(celulas).toHaveCount(6);
    await expect(page.locator('tr[data-celula="1024x4"]')).toContainText("servidor");
    await expect(page.getByText("tokenizador do servidor")).toBeVisible();
    // The history, refreshed at the end, lists the run as done with its best speed.
    const [primeira] = await execucoes(request, id);
    expect(primeira?.estado).toBe("concluido");
    const linha = page.locator(`#historico ~ * tr[data-execucao="${primeira!.id}"]`);
    await expect(linha).toContainText("Concluído");
    await expect(linha).toContainText("tok/s");

    // The run's own page shows the same.
    await linha.getByRole("link", { name: `Ver a execução #${primeira!.id}` }).click();
    await expect(page.getByRole("heading", { name: `Execução #${primeira!.id} de ${nome}` })).toBeVisible();
    await graficosDesenhados(page, [/^Geração \(tokens\/s\)/, /^Tempo até o primeiro token/]);
    await expect(page.locator("tr[data-celula]")).toHaveCount(6);

    // A second run, then both on the comparison page.
    await page.goto(`/provedores-llm/${id}/desempenho`);
    await rodarAteOFim(page);
    const [segunda] = await execucoes(request, id);
    expect(segunda!.id).not.toBe(primeira!.id);

    await page.goto("/desempenho");
    for (const bid of [primeira!.id, segunda!.id]) await page.locator(`label[data-execucao="${bid}"] input[type=checkbox]`).check();
    await page.getByRole("button", { name: "Comparar" }).click();
    await expect(page).toHaveURL(new RegExp(`/desempenho\\?ids=(${primeira!.id},${segunda!.id}|${segunda!.id},${primeira!.id})$`));
    await expect(page.getByRole("heading", { name: "Comparação de 2 execução(ões)" })).toBeVisible();
    await graficosDesenhados(page, [
      /^Geração \(tokens\/s\) por concorrência, prompt de 128/,
      /^Tempo até o primeiro token \(p50\).*concorrência 1$/,
    ]);
    // One series per run, named "provedor · modelo · data", in each chart's legend.
    const legenda = page.getByRole("figure", { name: /^Tempo até o primeiro token/ }).locator(".recharts-legend-item");
    await expect(legenda).toHaveCount(2);
    await expect(legenda.first()).toContainText(`${nome} · modelo-medido · `);
    const tabela = page.locator("#lado-a-lado ~ * table");
    await expect(tabela.locator("tbody tr")).toHaveCount(6);
    await expect(tabela.locator("thead")).toContainText(nome);
    // Another prompt length, kept with the chosen runs.
    await page.getByRole("navigation", { name: "Tamanho do prompt" }).getByRole("link", { name: "1.024" }).click();
    await expect(page.getByRole("figure", { name: /prompt de 1\.024 tokens$/ })).toBeVisible();

    // A finished run can be deleted from the history.
    await page.goto(`/provedores-llm/${id}/desempenho`);
    await page.getByRole("button", { name: `Excluir a execução #${primeira!.id}` }).click();
    await page.getByRole("button", { name: "Excluir execução" }).click();
    await expect(page.locator(`tr[data-execucao="${primeira!.id}"]`)).toHaveCount(0);
    expect((await execucoes(request, id)).map((b) => b.id)).toEqual([segunda!.id]);
    expect(errosNoConsole).toEqual([]);
  } finally {
    await llama.parar();
  }
});

test("desempenho: bad or unknown ids on the comparison page say why", async ({ page }) => {
  await page.goto("/desempenho?ids=abc");
  await expect(page.getByRole("heading", { name: "Desempenho", level: 1 })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("ids deve ser uma lista de números separados por vírgula");
  await page.goto("/desempenho?ids=999999");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("999999");
});

test("desempenho: a start while another run goes on shows the server's reason and that run; Cancelar stops it", async ({
  page,
  request,
  cadastrar,
}) => {
  // Slow enough (64 tokens at 200 tok/s per request, 280 requests) that the run is still going when cancelled.
  const llama = await new LlamaCppFalso({ modelos: [{ id: "modelo-lento" }], slots: 4 }).iniciar();
  llama.velocidade = { prefillTokensS: 20_000, geracaoTokensS: 200 };
  try {
    const nome = `llama.cpp ocupado ${Date.now()}`;
    const id = await cadastrar({ nome, tipo: "llama_cpp", base_url: llama.url });
    expect((await request.post(`/api/provedores-llm/${id}/testar`)).status()).toBe(200);
    await page.goto(`/provedores-llm/${id}/desempenho`);
    await expect(page.getByRole("button", { name: "Iniciar" })).toBeEnabled();
    const r = await request.post(`/api/provedores-llm/${id}/benchmarks`, { data: { modelo: "modelo-lento", repeticoes: 20 } });
    expect(r.status()).toBe(202);
    const { id: bid } = (await r.json()) as { id: number };

    await page.getByRole("button", { name: "Iniciar" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText(`Já há um benchmark em execução no provedor "${nome}"`);
    // The page then shows the run that holds the provider, live, and starts no other.
    await expect(page.getByRole("heading", { name: `Execução #${bid}` })).toBeVisible();
    await expect(page.getByRole("button", { name: "Iniciar" })).toBeDisabled();
    await expect(page.getByTestId("progresso-benchmark")).toContainText("de 280 requisições");
    await expect(page.getByTestId("progresso-benchmark")).toContainText(/faltam ~\d+ (s|min)/);

    await page.getByRole("button", { name: "Cancelar", exact: true }).click();
    await expect(page.locator("[data-benchmark] [data-estado]").first()).toHaveText("Cancelado");
    const depois = (await (await request.get(`/api/provedores-llm/${id}/benchmarks/${bid}`)).json()) as {
      estado: string;
      progresso: { feitas: number };
    };
    expect(depois.estado).toBe("cancelado");
    expect(depois.progresso.feitas).toBeLessThan(280);
    await expect(page.getByRole("button", { name: "Iniciar" })).toBeEnabled();
    await expect(page.locator(`tr[data-execucao="${bid}"]`)).toContainText("Cancelado");
  } finally {
    await llama.parar();
  }
});

test("desempenho: a run followed live that is deleted meanwhile says so instead of staying Executando", async ({
  page,
  request,
  cadastrar,
}) => {
  const llama = await new LlamaCppFalso({ modelos: [{ id: "modelo-lento" }], slots: 4 }).iniciar();
  llama.velocidade = { prefillTokensS: 20_000, geracaoTokensS: 200 };
  try {
    const nome = `llama.cpp apagado ${Date.now()}`;
    const id = await cadastrar({ nome, tipo: "llama_cpp", base_url: llama.url });
    expect((await request.post(`/api/provedores-llm/${id}/testar`)).status()).toBe(200);
    const r = await request.post(`/api/provedores-llm/${id}/benchmarks`, { data: { modelo: "modelo-lento", repeticoes: 20 } });
    expect(r.status()).toBe(202);
    const { id: bid } = (await r.json()) as { id: number };

    // The page's stream reaches the app only once the run is gone, as a reconnect after a dropped connection does
    // (the app's real answer, only later).
    let apagar!: () => void;
    const apagada = new Promise<void>((resolver) => (apagar = resolver));
    await page.route(`**/api/provedores-llm/${id}/benchmarks/${bid}/eventos`, async (rota) => {
      await apagada;
      await rota.continue();
    });
    await page.goto(`/provedores-llm/${id}/desempenho/${bid}`);
    await expect(page.getByRole("heading", { name: `Execução #${bid} de ${nome}` })).toBeVisible();
    await expect(page.locator("[data-benchmark] [data-estado]").first()).toHaveText("Executando");

    // Cancelled, then deleted, through the API.
    expect((await request.delete(`/api/provedores-llm/${id}/benchmarks/${bid}`)).status()).toBe(200);
    expect((await request.delete(`/api/provedores-llm/${id}/benchmarks/${bid}`)).status()).toBe(204);
    // The page's Cancelar, refused, says why in place and is usable again.
    const progresso = page.getByRole("region", { name: "Progresso da execução" });
    await progresso.getByRole("button", { name: "Cancelar", exact: true }).click();
    await expect(progresso.getByRole("alert")).toHaveText(`Execução de benchmark ${bid} não encontrada neste provedor.`);
    await expect(progresso.getByRole("button", { name: "Cancelar", exact: true })).toBeEnabled();

    apagar();
    const visao = page.locator(`[data-benchmark="${bid}"]`);
    await expect(visao.getByRole("alert").first()).toHaveText("A execução não existe mais.", { timeout: 5000 });
    await expect(visao.getByRole("button", { name: "Cancelar", exact: true })).toHaveCount(0);
  } finally {
    await llama.parar();
  }
});

test("desempenho: a run followed live whose provider is deleted ends on the page that says the provider is gone", async ({
  page,
  request,
  cadastrar,
}) => {
  const llama = await new LlamaCppFalso({ modelos: [{ id: "modelo-lento" }], slots: 4 }).iniciar();
  llama.velocidade = { prefillTokensS: 20_000, geracaoTokensS: 200 };
  try {
    const id = await cadastrar({ nome: `llama.cpp excluído ${Date.now()}`, tipo: "llama_cpp", base_url: llama.url });
    expect((await request.post(`/api/provedores-llm/${id}/testar`)).status()).toBe(200);
    const r = await request.post(`/api/provedores-llm/${id}/benchmarks`, { data: { modelo: "modelo-lento", repeticoes: 20 } });
    expect(r.status()).toBe(202);
    const { id: bid } = (await r.json()) as { id: number };
    await page.goto(`/provedores-llm/${id}/desempenho/${bid}`);
    await expect(page.getByTestId("progresso-benchmark")).toContainText(/^[1-9]\d* de 280 requisições/);

    expect((await request.delete(`/api/provedores-llm/${id}`)).status()).toBe(204);
    await expect(page.getByText("O endereço não existe ou o provedor foi excluído.")).toBeVisible({ timeout: 5000 });
  } finally {
    await llama.parar();
  }
});
