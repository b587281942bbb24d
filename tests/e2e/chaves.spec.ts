import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { expect, test } from "./fixtures";

// An access key's whole life in the browser: created on /chaves/nova with a scope picked from the catalogue, its
// secret copied from the page, used by a program (the official openai SDK), its usage on its page, revoked there.

const RESPOSTA = "Resposta para a chave";
let llama: LlamaCppFalso;
const modelo = `modelo-da-chave-${randomUUID().slice(0, 8)}`;

test.beforeAll(async () => {
  llama = await new LlamaCppFalso({ modelos: [{ id: modelo }], resposta: RESPOSTA }).iniciar();
});
test.afterAll(async () => {
  await llama.parar();
});
// A key in use closes the model doors to callers without one: whatever a test left unrevoked (it failed half way)
// is revoked, so the specs after this one find the doors as they were.
const RODADA = randomUUID().slice(0, 6);
test.afterEach(async ({ request }) => {
  const chaves = (await (await request.get("/api/chaves")).json()) as { id: number; nome: string; revogada_em: string | null }[];
  for (const c of chaves) if (c.nome.includes(RODADA) && c.revogada_em === null) await request.delete(`/api/chaves/${c.id}`);
});

/** What the SDK got: the status of its error (401, 403…), or 200 with the answer. */
async function perguntar(cliente: OpenAI, model: string): Promise<{ status: number; texto: string }> {
  try {
    const r = await cliente.chat.completions.create({ model, messages: [{ role: "user", content: "Olá!" }] });
    return { status: 200, texto: r.choices[0]?.message.content ?? "" };
  } catch (e) {
    if (e instanceof OpenAI.APIError) return { status: e.status ?? 0, texto: e.message };
    throw e;
  }
}

test("a key created on /chaves/nova, copied from the page, works with the openai SDK; its page shows its use; revoked, the SDK gets 401", async ({
  page,
  context,
  baseURL,
  cadastrar,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const provedor = `Servidor da chave ${Date.now()}`;
  const idProvedor = await cadastrar({ nome: provedor, tipo: "llama_cpp", base_url: llama.url });
  expect((await (await page.request.post(`/api/provedores-llm/${idProvedor}/testar`)).json()).sucesso).toBe(true);
  const nome = `Notebook da Ana ${RODADA}`;

  // From the header to the form
  await page.goto("/provedores-llm");
  await page.getByRole("navigation").getByRole("link", { name: "Chaves de acesso" }).click();
  await expect(page).toHaveURL(/\/chaves$/);
  await expect(page.getByRole("heading", { name: "Chaves de acesso", level: 1 })).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: "Nova chave" }).first().click();
  await expect(page).toHaveURL(/\/chaves\/nova$/);

  // Errors show under their fields, in Portuguese, before anything is sent
  await page.getByLabel("Requisições por minuto").fill("0");
  // leaving the field checks it (its error then shows, moving the button down)
  await page.getByLabel("Requisições por minuto").blur();
  await expect(page.getByText("Use um número inteiro de 1 a 1.000.000.000.000, ou deixe vazio para não limitar.")).toBeVisible();
  await page.getByRole("button", { name: "Criar chave" }).click();
  await expect(page.getByText("Informe o nome da chave.")).toBeVisible();
  await expect(page.getByLabel("Nome")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Use um número inteiro de 1 a 1.000.000.000.000, ou deixe vazio para não limitar.")).toBeVisible();
  await expect(page.getByLabel("Requisições por minuto")).toHaveAttribute("aria-invalid", "true");
  // "only these" with none ticked would allow nothing: refused by the same schema
  const portas = page.getByRole("group", { name: "Portas de entrada" });
  await portas.getByLabel("Só estas portas").check();
  await page.getByRole("button", { name: "Criar chave" }).click();
  await expect(portas.getByText("Marque ao menos uma porta, ou escolha “Todas as portas”.")).toBeVisible();

  // The scope, picked from the catalogue: this provider, its model, the OpenAI door; a daily budget
  await page.getByLabel("Nome").fill(nome);
  await page.getByLabel("Requisições por minuto").fill("");
  await portas.getByLabel("OpenAI (/v1)").check();
  const provedores = page.getByRole("group", { name: "Provedores" });
  await provedores.getByLabel("Só estes provedores").check();
  await provedores.getByLabel(provedor, { exact: true }).check();
  const modelos = page.getByRole("group", { name: "Modelos" });
  await modelos.getByLabel("Só estes modelos").check();
  await modelos.getByLabel(new RegExp(`^${modelo}`)).check();
  await page.getByLabel("Tokens por dia").fill("100000");
  await page.getByRole("button", { name: "Criar chave" }).click();

  // The secret, once, with its warning; the copy button puts exactly what is shown on the clipboard
  const criada = page.getByRole("region", { name: `Chave "${nome}" criada` });
  await expect(criada).toBeVisible();
  await expect(criada.getByText("Copie a chave agora: ela não será mostrada de novo.", { exact: false })).toBeVisible();
  const mostrada = (await criada.getByTestId("segredo-da-chave").textContent()) ?? "";
  expect(mostrada).toMatch(/^pllm_[A-Za-z0-9_-]{43,}$/);
  await criada.getByRole("button", { name: "Copiar chave" }).click();
  await expect(criada.getByRole("button", { name: "Copiado!" })).toBeVisible();
  const chave = await page.evaluate(() => navigator.clipboard.readText());
  expect(chave).toBe(mostrada);
  // and a snippet that uses it
  await expect(criada.locator("pre")).toContainText(`export PROVEDORES_LLM_CHAVE="${chave}"`);
  await expect(criada.locator("pre")).toContainText(`curl ${baseURL}/v1/chat/completions`);
  await expect(criada.locator("pre")).toContainText(`"model": "${modelo}"`);

  // A program uses it: the official SDK, the key as its apiKey
  const cliente = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: chave, maxRetries: 0 });
  expect(await perguntar(cliente, modelo)).toEqual({ status: 200, texto: RESPOSTA });
  // it sees only what its scope allows
  const ids = (await cliente.models.list()).data.map((m) => m.id);
  expect(ids).toContain(modelo);
  // nothing else: only the model, routed or pinned to its provider
  expect(ids.filter((i) => i !== modelo && !i.endsWith(`/${modelo}`))).toEqual([]);
  expect((await perguntar(cliente, "llama3.2:latest")).status).toBe(403);

  // Its page: the scope as chosen, the budget, and the use it just made
  await criada.getByRole("link", { name: "Ver a chave" }).click();
  await expect(page.getByRole("heading", { name: nome, level: 1 })).toBeVisible();
  const id = /\/chaves\/(\d+)$/.exec(page.url())?.[1];
  expect(id).toBeTruthy();
  // Shown once: neither the key's page nor the list (their HTML as served) holds the secret
  for (const caminho of [`/chaves/${id}`, "/chaves"]) {
    const html = await (await page.request.get(caminho)).text();
    expect(html).toContain(nome);
    expect(html).not.toContain(chave);
  }
  await expect(page.locator('[data-rotulo="Provedores"]')).toHaveText(provedor);
  await expect(page.locator('[data-rotulo="Modelos"]')).toHaveText(modelo);
  await expect(page.locator('[data-rotulo="Portas"]')).toHaveText("OpenAI (/v1)");
  await expect(page.locator('[data-rotulo="Limites"]')).toHaveText("100.000 tokens/dia");
  await expect(page.locator('[data-rotulo="Prefixo"]')).toHaveText(`${chave.slice(0, 13)}…`);
  const uso = page.getByRole("region", { name: "Uso" });
  // the answer (the 403 outside the scope reached no server), with the tokens the server reported
  await expect(uso.locator('[data-rotulo="Requisições"]')).toHaveText("1");
  await expect(uso.locator('[data-rotulo="Erros"]')).toHaveText("0");
  await expect(uso.locator('[data-rotulo="Tokens"]')).toHaveText(/^[1-9][\d.]* \(/);
  await expect(uso.getByRole("table").getByRole("rowheader", { name: modelo, exact: true })).toHaveCount(1);
  await expect(uso.getByRole("table").getByRole("rowheader", { name: provedor, exact: true })).toHaveCount(1);
  await expect(uso.getByRole("figure", { name: "Requisições e erros" })).toBeVisible();

  // In the list: prefix, state, scope, and today's tokens against the budget
  await page.goto("/chaves");
  const linha = page.locator(`li[data-chave="${nome}"]`);
  await expect(linha).toContainText(`${chave.slice(0, 13)}…`);
  await expect(linha).toContainText("Ativa");
  await expect(linha).toContainText(`provedores ${provedor} · modelos ${modelo} · portas OpenAI (/v1)`);
  await expect(linha.locator('[data-rotulo="Tokens hoje"]')).toContainText(/^[1-9][\d.]* de 100\.000 tokens/);

  // Revoked on its page, after the confirmation; the page then says so and offers no edit
  await linha.getByRole("link", { name: nome }).click();
  await page.getByRole("button", { name: `Revogar ${nome}` }).click();
  const dialogo = page.getByRole("dialog", { name: `Revogar "${nome}"?` });
  await expect(dialogo).toBeVisible();
  await dialogo.getByRole("button", { name: "Revogar chave" }).click();
  await expect(page.getByText("Esta chave foi revogada em")).toBeVisible();
  await expect(page.getByRole("heading", { name: nome, level: 1 }).locator("..")).toContainText("Revogada");
  await expect(page.getByRole("button", { name: "Salvar alterações" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: `Revogar ${nome}` })).toHaveCount(0);

  // and the program is refused (every instance drops a revoked key within 5 s)
  await expect.poll(async () => (await perguntar(cliente, modelo)).status, { timeout: 5_000 }).toBe(401);
});

test("editing a key on its page: errors under the field from the service, then the new limits and scope shown", async ({ page }) => {
  const nome = `Chave para editar ${RODADA}`;
  const r = await page.request.post("/api/chaves", { data: { nome } });
  expect(r.status()).toBe(201);
  const { id } = (await r.json()) as { id: number };
  const outra = `Outra chave ${RODADA}`;
  expect((await page.request.post("/api/chaves", { data: { nome: outra } })).status()).toBe(201);

  await page.goto(`/chaves/${id}`);
  await expect(page.locator('[data-rotulo="Limites"]')).toHaveText("Sem limites");
  const editar = page.getByRole("region", { name: "Editar" });
  // A name in use: only the service knows, and its message shows under the field
  await editar.getByLabel("Nome").fill(outra);
  await editar.getByRole("button", { name: "Salvar alterações" }).click();
  await expect(editar.getByText(`Já existe uma chave em uso chamada "${outra}".`)).toBeVisible();
  await expect(editar.getByLabel("Nome")).toHaveAttribute("aria-invalid", "true");

  await editar.getByLabel("Nome").fill(nome);
  await editar.getByLabel("Requisições por minuto").fill("30");
  await expect(editar.getByLabel("Prioridade na fila")).toHaveValue("0");
  await editar.getByLabel("Prioridade na fila").fill("5");
  const modelos = editar.getByRole("group", { name: "Modelos" });
  await modelos.getByLabel("Só estes modelos").check();
  await modelos.getByLabel("Outros modelos ou padrões").fill("llama3*, */qwen2.5:*");
  await editar.getByLabel("Ativa (abre as portas de modelos)").uncheck();
  await editar.getByRole("button", { name: "Salvar alterações" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Chave "${nome}" atualizada.` })).toBeVisible();
  await expect(page.locator('[data-rotulo="Limites"]')).toHaveText("30 req/min");
  await expect(page.locator('[data-rotulo="Modelos"]')).toHaveText("llama3*, */qwen2.5:*");
  await expect(page.getByRole("heading", { name: nome, level: 1 }).locator("..")).toContainText("Inativa");

  // what the page saved is what the API answers
  const salva = (await (await page.request.get(`/api/chaves/${id}`)).json()) as Record<string, unknown>;
  expect(salva).toMatchObject({
    nome,
    limite_rpm: 30,
    modelos: ["llama3*", "*/qwen2.5:*"],
    ativa: false,
    provedores: null,
    portas: null,
    prioridade: 5,
  });
});
