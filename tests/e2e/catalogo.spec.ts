import OpenAI from "openai";
import { LmStudioFalso } from "../servidores/lm-studio";
import { OllamaFalso } from "../servidores/ollama";
import { expect, test } from "./fixtures";

const sufixo = Date.now().toString(36);
// Names of this spec only: the app also holds the global servers' models and other specs' providers.
const COMUM = `catalogo-e2e-${sufixo}:7b`;
const SO_NO_OLLAMA = `catalogo-so-${sufixo}:latest`;

let ollama: OllamaFalso;
let lmStudio: LmStudioFalso;
test.beforeAll(async () => {
  ollama = await new OllamaFalso({
    modelos: [
      { id: COMUM, carregado: true, familia: "qwen2", parametros: "7.6B", quantizacao: "Q4_K_M" },
      { id: SO_NO_OLLAMA, carregado: false },
    ],
    resposta: "Resposta do catálogo.",
  }).iniciar();
  lmStudio = await new LmStudioFalso({ modelos: [{ id: COMUM, carregado: false }] }).iniciar();
});
test.afterAll(() => Promise.all([ollama.parar(), lmStudio.parar()]));

test("catálogo: the model on two servers is one row with each server's loaded state; a copied /v1 id works with the openai SDK; load from the row", async ({
  page,
  context,
  baseURL,
  cadastrar,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const nomeOllama = `Ollama do catálogo ${sufixo}`;
  const nomeLm = `LM Studio do catálogo ${sufixo}`;
  // Checked every 5 s: the monitor sees a model loaded by another client while the page is open.
  const idOllama = await cadastrar({ nome: nomeOllama, tipo: "ollama", base_url: ollama.url, intervalo_verificacao_segundos: 5 });
  const idLm = await cadastrar({ nome: nomeLm, tipo: "lm_studio", base_url: lmStudio.url });
  for (const id of [idOllama, idLm])
    expect((await (await page.request.post(`/api/provedores-llm/${id}/testar`)).json()).sucesso).toBe(true);
  const slug = ((await (await page.request.get(`/api/provedores-llm/${idOllama}`)).json()) as { slug: string }).slug;

  await page.goto("/modelos");
  await expect(page.getByRole("heading", { name: "Modelos", exact: true })).toBeVisible();
  const linha = page.getByRole("row").filter({ has: page.getByRole("rowheader").getByText(COMUM, { exact: true }).first() });
  await expect(linha).toHaveCount(1);
  const noOllama = linha.getByRole("listitem", { name: `${nomeOllama}: carregado` });
  const noLm = linha.getByRole("listitem", { name: `${nomeLm}: não carregado` });
  await expect(noOllama.getByText("Carregado", { exact: true })).toBeVisible();
  await expect(noLm.getByText("Não carregado", { exact: true })).toBeVisible();
  await expect(linha).toContainText("qwen2");
  // The model only one server has is a row of its own, with that server alone.
  const so = page.getByRole("row").filter({ has: page.getByRole("rowheader").getByText(SO_NO_OLLAMA, { exact: true }).first() });
  await expect(so.getByRole("listitem")).toHaveCount(1);

  // The pinned id, copied as the button says, is a /v1 model the openai SDK can use.
  const fixo = `${slug}/${COMUM}`;
  await noOllama.getByRole("button", { name: `Copiar o id fixo ${fixo}` }).click();
  await expect(noOllama.getByRole("button", { name: `Copiar o id fixo ${fixo}` })).toHaveText("Copiado!");
  const copiado = await page.evaluate(() => navigator.clipboard.readText());
  expect(copiado).toBe(fixo);
  const cliente = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: "sem-chave", maxRetries: 0, timeout: 15_000 });
  const resposta = await cliente.chat.completions.create({ model: copiado, messages: [{ role: "user", content: "oi" }] });
  expect(resposta.choices[0]!.message.content).toBe("Resposta do catálogo.");
  // The bare id too: any of the two servers may answer it.
  await linha.getByRole("button", { name: `Copiar o id ${COMUM}` }).click();
  const bare = await page.evaluate(() => navigator.clipboard.readText());
  expect(bare).toBe(COMUM);
  expect((await cliente.chat.completions.create({ model: bare, messages: [{ role: "user", content: "oi" }] })).choices.length).toBe(1);

  // Loading from the row uses the server's own action; the chip follows.
  await noLm.getByRole("button", { name: `Carregar ${COMUM}` }).click();
  await expect(linha.getByRole("listitem", { name: `${nomeLm}: carregado` })).toBeVisible();
  expect(lmStudio.modelos.find((m) => m.id === COMUM)!.carregado).toBe(true);
  await expect(page.getByText(`Modelo "${COMUM}" carregado em ${nomeLm}.`)).toBeVisible();

  // Another client loads the other model on the Ollama: the monitor sees it and the row follows, without a reload.
  ollama.modelos.find((m) => m.id === SO_NO_OLLAMA)!.carregado = true;
  await expect(so.getByRole("listitem", { name: `${nomeOllama}: carregado` })).toBeVisible({ timeout: 20_000 });

  // The filters are a plain form (the URL keeps them). Both models are loaded now.
  const cabecalhoDe = (id: string) => page.getByRole("rowheader").getByText(id, { exact: true });
  await page.getByLabel("Buscar").fill(sufixo);
  await page.getByLabel("Carregado", { exact: true }).selectOption("true");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(/carregado=true/);
  await expect(cabecalhoDe(COMUM).first()).toBeVisible();
  await expect(cabecalhoDe(SO_NO_OLLAMA).first()).toBeVisible();
  await page.getByLabel("Tipo de servidor").selectOption("lm_studio");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(/tipo=lm_studio/);
  await expect(cabecalhoDe(COMUM).first()).toBeVisible();
  await expect(cabecalhoDe(SO_NO_OLLAMA)).toHaveCount(0);
  // The traffic of the two calls is on the row.
  await expect(page.getByRole("row").filter({ hasText: COMUM })).toContainText("2 req.");
  await page.getByLabel("Carregado", { exact: true }).selectOption("false");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(/carregado=false/);
  await expect(page.getByText("Nenhum modelo corresponde aos filtros.")).toBeVisible();
  await page.getByRole("link", { name: "Limpar" }).click();
  await expect(page).toHaveURL(/\/modelos$/);
  await expect(cabecalhoDe(SO_NO_OLLAMA).first()).toBeVisible();
});
