import { LlamaCppFalso } from "../servidores/llama-cpp";
import { expect, test } from "./fixtures";
import { PaginaProvedores } from "./paginas/provedores";

test("on a phone-width screen the list and the form fit without sideways scrolling", async ({ page }) => {
  const p = new PaginaProvedores(page);
  await p.cadastrar({ nome: "Celular Ollama com um nome bem comprido", tipo: "Ollama" });
  await expect(p.aviso(/criado/)).toBeVisible();
  const linha = p.linha("Celular Ollama com um nome bem comprido");
  await expect(linha).toBeVisible();
  await expect(linha.getByRole("link", { name: /^Editar/ })).toBeInViewport();
  const largura = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(largura[0]).toBeLessThanOrEqual(largura[1]!);
  await page.goto("/provedores-llm/novo");
  const larguraForm = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(larguraForm[0]).toBeLessThanOrEqual(larguraForm[1]!);
});

test("on a phone-width screen the key pages fit without sideways scrolling", async ({ page }) => {
  const largura = () => page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  const r = await page.request.post("/api/chaves", {
    data: { nome: `Chave do celular com um nome bem comprido ${Date.now()}`, modelos: ["*/qwen2.5:*", "llama3*"], limite_rpm: 60 },
  });
  expect(r.status()).toBe(201);
  const { id, nome } = (await r.json()) as { id: number; nome: string };
  try {
    for (const caminho of ["/chaves", "/chaves/nova", `/chaves/${id}`]) {
      await page.goto(caminho);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const [conteudo, tela] = await largura();
      expect(conteudo, caminho).toBeLessThanOrEqual(tela!);
    }
    await expect(page.getByRole("button", { name: `Revogar ${nome}` })).toBeInViewport();
  } finally {
    await page.request.delete(`/api/chaves/${id}`);
  }
});

test("on a phone-width screen the overview fits without sideways scrolling, its header links all reachable", async ({
  page,
  cadastrar,
}) => {
  const nome = `Painel no celular com um nome de servidor bem comprido ${Date.now()}`;
  await cadastrar({ nome, tipo: "ollama", base_url: "http://127.0.0.1:9/um/caminho/bem/comprido/para/a/url" });
  await page.goto("/painel");
  await expect(page.getByRole("heading", { name: "Painel", level: 1 })).toBeVisible();
  await expect(page.locator(`[data-servidor="${nome}"]`)).toBeVisible();
  const [conteudo, tela] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(conteudo).toBeLessThanOrEqual(tela!);
  const nav = page.getByRole("navigation");
  for (const rotulo of ["Painel", "Provedores", "Modelos", "Estatísticas", "Desempenho", "Usar pela API"]) {
    await expect(nav.getByRole("link", { name: rotulo, exact: true })).toBeInViewport();
  }
});

test("on a phone-width screen the model catalogue and the statistics across servers fit without sideways scrolling", async ({
  page,
  cadastrar,
}) => {
  await cadastrar({ nome: `Catálogo no celular ${Date.now()}`, tipo: "ollama", base_url: "http://127.0.0.1:9" });
  for (const [caminho, titulo] of [
    ["/modelos", "Modelos"],
    ["/estatisticas", "Estatísticas"],
  ] as const) {
    await page.goto(caminho);
    await expect(page.getByRole("heading", { name: titulo, level: 1 })).toBeVisible();
    const [conteudo, tela] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(conteudo, caminho).toBeLessThanOrEqual(tela!);
  }
});

test("on a phone-width screen the Desempenho tab, a run and the comparison fit without sideways scrolling", async ({ page, cadastrar }) => {
  // Its own fast server and a small profile: a finished run with cells, so the charts and tables are on the pages.
  const llama = await new LlamaCppFalso({ modelos: [{ id: "modelo-do-celular" }], slots: 2 }).iniciar();
  llama.velocidade = { prefillTokensS: 20_000, geracaoTokensS: 2_000 };
  try {
    const id = await cadastrar({
      nome: `Desempenho no celular com um nome comprido ${Date.now()}`,
      tipo: "llama_cpp",
      base_url: llama.url,
    });
    expect((await page.request.post(`/api/provedores-llm/${id}/testar`)).status()).toBe(200);
    const r = await page.request.post(`/api/provedores-llm/${id}/benchmarks`, {
      data: { modelo: "modelo-do-celular", tokens_prompt: [64, 256], tokens_resposta: 16, concorrencias: [1, 2], repeticoes: 1 },
    });
    expect(r.status()).toBe(202);
    const { id: bid } = (await r.json()) as { id: number };
    await expect
      .poll(
        async () => ((await (await page.request.get(`/api/provedores-llm/${id}/benchmarks/${bid}`)).json()) as { estado: string }).estado,
        {
          timeout: 30_000,
        },
      )
      .toBe("concluido");
    // [page, whether it draws the run's charts]
    for (const [caminho, comGraficos] of [
      [`/provedores-llm/${id}/desempenho`, false],
      [`/provedores-llm/${id}/desempenho/${bid}`, true],
      [`/desempenho?ids=${bid}`, true],
      ["/desempenho", false],
    ] as const) {
      await page.goto(caminho);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      if (comGraficos) await expect(page.locator("svg path.recharts-curve").first()).toBeVisible();
      const [conteudo, tela] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(conteudo, caminho).toBeLessThanOrEqual(tela!);
    }
    await page.goto(`/provedores-llm/${id}/desempenho`);
    const iniciar = page.getByRole("button", { name: "Iniciar" });
    await iniciar.scrollIntoViewIfNeeded();
    await expect(iniciar).toBeInViewport();
  } finally {
    await llama.parar();
  }
});
