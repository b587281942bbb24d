import { PORTA_DESCOBERTA } from "../../playwright.config";
import { OllamaFalso } from "../servidores/ollama";
import { expect, test } from "./fixtures";

test("list page: Procurar servidores finds an Ollama on this machine and registers it in one click", async ({ page, request }) => {
  const ollama = await new OllamaFalso({ modelos: [{ id: "llama3.2:latest", carregado: true }] }).iniciar(PORTA_DESCOBERTA);
  try {
    await page.goto("/provedores-llm");
    await page.getByRole("button", { name: "Procurar servidores nesta máquina" }).click();
    const achado = page.getByRole("listitem").filter({ hasText: `Encontramos um Ollama em http://localhost:${PORTA_DESCOBERTA}` });
    await expect(achado).toContainText("versão 0.12.3");
    // an impatient double click registers it once: the second click neither posts again nor gets a 409
    const acoes: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.headers()["next-action"]) acoes.push(r.url());
    });
    await achado.getByRole("button", { name: `Cadastrar Ollama (localhost:${PORTA_DESCOBERTA})` }).dblclick();
    await expect(page.getByText(`Provedor "Ollama (localhost:${PORTA_DESCOBERTA})" cadastrado.`)).toBeVisible();
    expect(acoes).toHaveLength(1);
    await expect(page.getByRole("link", { name: `Ollama (localhost:${PORTA_DESCOBERTA})` }).first()).toBeVisible();
    // once registered, it is not offered again
    await page.getByRole("button", { name: "Procurar servidores nesta máquina" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Nenhum servidor novo nas portas" })).toContainText(String(PORTA_DESCOBERTA));
  } finally {
    await ollama.parar();
    const lista = (await (await request.get("/api/provedores-llm")).json()) as { id: number; base_url: string }[];
    for (const p of lista.filter((x) => x.base_url.endsWith(`:${PORTA_DESCOBERTA}`))) await request.delete(`/api/provedores-llm/${p.id}`);
  }
});
