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
