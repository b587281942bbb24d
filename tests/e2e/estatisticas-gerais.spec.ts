import { OllamaFalso } from "../servidores/ollama";
import { expect, test } from "./fixtures";

// The cross-server statistics page: the same cards and charts as a provider's, the by-server table and the by-model
// table with each model's servers side by side, under the page's CSP (the fixture fails the test on a violation).

test("estatisticas: every server's figures, charts, by server and by model with its servers, and the period switch", async ({
  page,
  request,
  cadastrar,
}) => {
  const segundo = await new OllamaFalso({
    modelos: [
      { id: "llama3.2:latest", carregado: true },
      { id: "so-no-segundo:latest", carregado: true },
    ],
    resposta: "um dois tres quatro cinco",
  }).iniciar();
  try {
    const sufixo = Date.now();
    const nomeA = `Gerais sala ${sufixo}`;
    const nomeB = `Gerais porão ${sufixo}`;
    const idA = await cadastrar({ nome: nomeA, tipo: "ollama", base_url: process.env.E2E_OLLAMA_URL! });
    const idB = await cadastrar({ nome: nomeB, tipo: "ollama", base_url: segundo.url });
    const pedir = (id: number, modelo: string, stream = false) =>
      request.post(`/api/provedores-llm/${id}/requisicao`, { data: { mensagens: [{ role: "user", content: "oi" }], modelo, stream } });
    for (let i = 0; i < 2; i++) expect((await pedir(idA, "llama3.2:latest")).status()).toBe(200);
    expect((await pedir(idB, "llama3.2:latest", true)).status()).toBe(200);
    expect((await pedir(idB, "so-no-segundo:latest")).status()).toBe(200);
    expect((await pedir(idB, "nao-existe")).status()).toBe(404);

    await page.goto("/estatisticas?periodo=1h");
    await expect(page.getByRole("heading", { level: 1, name: "Estatísticas" })).toBeVisible();
    await expect(page.locator('[data-rotulo="Requisições"]')).toHaveText(/^[\d.]+$/);
    await expect(page.locator('[data-rotulo="p95"]')).toHaveText(/\d+ ms|s$/);
    // the Ollama test servers report 50 tokens/s
    await expect(page.locator('[data-rotulo="Tokens/s p50"]')).toHaveText(/tok\/s/);
    // recharts drew the requests' bars and the latency line
    await expect(page.locator(".recharts-bar-rectangle path").first()).toBeVisible();
    await expect(page.locator(".recharts-line-dots circle").first()).toBeVisible();

    const porServidor = page.getByRole("region", { name: "Por servidor" });
    const linhaA = porServidor.getByRole("row").filter({ hasText: nomeA });
    const linhaB = porServidor.getByRole("row").filter({ hasText: nomeB });
    await expect(linhaA.getByRole("cell").first()).toHaveText("2");
    await expect(linhaB.getByRole("cell").nth(0)).toHaveText("3");
    await expect(linhaB.getByRole("cell").nth(1)).toHaveText("1");
    await expect(linhaB).toContainText("tok/s");

    // the model on both servers lists both, side by side, each linking to its server's statistics
    const servidores = page.getByRole("list", { name: "Servidores de llama3.2:latest" });
    await expect(servidores.getByRole("link", { name: nomeA })).toBeVisible();
    await expect(servidores.getByRole("link", { name: nomeB })).toBeVisible();
    await expect(servidores.getByRole("listitem").filter({ hasText: nomeB })).toContainText("1 req");
    await expect(page.getByRole("list", { name: "Servidores de so-no-segundo:latest" }).getByRole("listitem")).toHaveCount(1);

    for (const periodo of ["24 horas", "7 dias", "30 dias"]) {
      await page.getByRole("link", { name: periodo }).click();
      await expect(page.getByRole("link", { name: periodo })).toHaveAttribute("aria-current", "page");
      await expect(porServidor.getByRole("row").filter({ hasText: nomeB }).getByRole("cell").first()).toHaveText("3");
    }

    await servidores.getByRole("link", { name: nomeB }).click();
    await expect(page).toHaveURL(new RegExp(`/provedores-llm/${idB}/estatisticas\\?periodo=30d$`));
    await expect(page.locator('[data-rotulo="Requisições"]')).toHaveText("3");
    await expect(page.locator('[data-rotulo="Tokens/s p50"]')).toHaveText(/tok\/s/);
  } finally {
    await segundo.parar();
  }
});
