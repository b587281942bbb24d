import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Page object for /provedores-llm and its forms, named after what a person sees. */
export class PaginaProvedores {
  constructor(readonly page: Page) {}

  async abrirLista() {
    await this.page.goto("/provedores-llm");
    await expect(this.page.getByRole("heading", { name: "Provedores", exact: true })).toBeVisible();
  }

  linha(nome: string) {
    return this.page.locator(`li[data-provedor="${nome}"]`);
  }

  async cadastrar(dados: { nome: string; tipo?: string; url?: string; apiKey?: string }) {
    await this.page.goto("/provedores-llm/novo");
    if (dados.tipo) await this.page.getByLabel("Tipo").selectOption({ label: dados.tipo });
    await this.page.getByLabel("Nome").fill(dados.nome);
    if (dados.url !== undefined) await this.page.getByLabel("URL base").fill(dados.url);
    if (dados.apiKey) await this.page.getByLabel("API key (opcional)").fill(dados.apiKey);
    await this.page.getByRole("button", { name: "Cadastrar provedor" }).click();
  }

  aviso(texto: string | RegExp) {
    return this.page.getByRole("status").filter({ hasText: texto });
  }
}

/** Starts a test from an empty registry, through the REST API. */
export async function apagarTodos(request: APIRequestContext, cabecalhos: Record<string, string> = {}) {
  const r = await request.get("/api/provedores-llm", { headers: cabecalhos });
  for (const p of (await r.json()) as { id: number }[]) {
    await request.delete(`/api/provedores-llm/${p.id}`, { headers: cabecalhos });
  }
}
