import type { APIRequestContext } from "@playwright/test";
import { OllamaFalso } from "../servidores/ollama";
import { expect, test } from "./fixtures";

async function criar(request: APIRequestContext, nome: string, tipo: string, base_url: string, extra: Record<string, unknown> = {}) {
  const r = await request.post("/api/provedores-llm", { data: { nome: `${nome} ${Date.now()}`, tipo, base_url, ...extra } });
  expect(r.status()).toBe(201);
  return (await r.json()) as { id: number; nome: string };
}

test("testar: a connection test, then a streamed answer with its figures", async ({ page, request }) => {
  const p = await criar(request, "Ollama da sala", "ollama", process.env.E2E_OLLAMA_URL!);
  await page.goto(`/provedores-llm/${p.id}/testar`);
  await page.getByRole("button", { name: "Testar conexão" }).click();
  const ok = page.getByRole("status").filter({ hasText: "Conectado em" });
  await expect(ok).toBeVisible();
  await expect(ok).toContainText("versão 0.12.3");
  await expect(ok).toContainText("2 modelos encontrados");
  await expect(ok).toContainText("llama3.2:latest (carregado)");
  await expect(ok).toContainText(/Latência: \d+ ms/);

  await expect(page.getByLabel("Modelo")).toHaveValue("llama3.2:latest");
  await page.getByLabel("Temperatura").fill("0.3");
  await page.getByLabel("Mensagem").fill("Quem é você?");
  await page.getByRole("button", { name: "Enviar" }).click();
  await expect(page.getByTestId("resposta")).toHaveText("Olá! Posso ajudar com o seu servidor local.");
  const metricas = page.getByLabel("Métricas da resposta");
  await expect(metricas).toContainText("Tokens/s");
  await expect(metricas).toContainText("Primeiro token");
  await expect(metricas).toContainText("50"); // eval_count / eval_duration from the server
});

test("testar: the stop button cancels a long answer", async ({ page, request, cadastrar }) => {
  // This test's own slow server (80 words, 150 ms apart: ~12 s of answer), so what it saw can be read here.
  const lento = await new OllamaFalso({
    modelos: [{ id: "lento:latest", carregado: true }],
    resposta: Array.from({ length: 80 }, (_, i) => `palavra${i}`).join(" "),
    atrasoEntreTokensMs: 150,
  }).iniciar();
  try {
    const id = await cadastrar({ nome: `Ollama lento ${Date.now()}`, tipo: "ollama", base_url: lento.url, modelo_padrao: "lento:latest" });
    await page.goto(`/provedores-llm/${id}/testar`);
    await page.getByLabel("Modelo").fill("lento:latest");
    await page.getByLabel("Mensagem").fill("Escreva bastante.");
    await page.getByRole("button", { name: "Enviar" }).click();
    await expect(page.getByTestId("resposta")).toContainText("palavra2");
    await page.getByRole("button", { name: "Parar" }).click();
    await expect(page.getByText("Interrompido")).toBeVisible();
    // The stop reached the server: the app closed its connection to the slow server before the answer's end
    // (an app that let it run would leave the stream to finish, ~12 s, and count nothing here) and recorded
    // the request as cancelled.
    await expect.poll(() => lento.streamsAbandonados, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(
        async () => {
          const corpo = (await (await request.get(`/api/provedores-llm/${id}/requisicoes`)).json()) as {
            requisicoes: { sucesso: boolean; codigo_erro: string | null }[];
          };
          return corpo.requisicoes.map((r) => [r.sucesso, r.codigo_erro]);
        },
        { timeout: 10_000 },
      )
      .toEqual([[false, "cancelado"]]);
    expect(await page.getByTestId("resposta").textContent()).not.toContain("palavra79");
  } finally {
    await lento.parar();
  }
});

test("testar: a server that is not running is reported precisely", async ({ page, request }) => {
  const p = await criar(request, "Desligado", "llama_cpp", "http://127.0.0.1:9");
  await page.goto(`/provedores-llm/${p.id}/testar`);
  await page.getByRole("button", { name: "Testar conexão" }).click();
  const falha = page.getByRole("alert").filter({ hasText: "Falhou" });
  await expect(falha).toContainText("conexão recusada");
  await expect(falha).toContainText("provedor_indisponivel");
});

test("modelos: the table shows what the server knows, refreshes, and says when", async ({ page, request }) => {
  const p = await criar(request, "Ollama modelos", "ollama", process.env.E2E_OLLAMA_URL!);
  await page.goto(`/provedores-llm/${p.id}/modelos`);
  await expect(page.getByText("Última atualização: nunca")).toBeVisible();
  await page.getByRole("button", { name: "Atualizar lista" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Lista atualizada: 2 modelo(s)." })).toBeVisible();
  const linha = page.getByRole("row").filter({ hasText: "llama3.2:latest" });
  await expect(linha).toContainText("1,9 GB");
  await expect(linha).toContainText("llama");
  await expect(linha).toContainText("3.2B");
  await expect(linha).toContainText("Q4_K_M");
  await expect(linha).toContainText("131.072");
  await expect(linha).toContainText("em uso: 8.192");
  await expect(linha).toContainText("Sim");
  const outra = page.getByRole("row").filter({ hasText: "qwen2.5:7b" });
  await expect(outra).toContainText("Não");
  await expect(outra).toContainText("32.768");
  await expect(page.getByText("Última atualização: nunca")).toBeHidden();
});

test("estatisticas and detalhes: figures and charts from real recorded requests", async ({ page, request }) => {
  const p = await criar(request, "Ollama números", "ollama", process.env.E2E_OLLAMA_URL!);
  await request.post(`/api/provedores-llm/${p.id}/testar`);
  for (let i = 0; i < 3; i++) {
    const r = await request.post(`/api/provedores-llm/${p.id}/requisicao`, { data: { mensagens: [{ role: "user", content: "oi" }] } });
    expect(r.status()).toBe(200);
  }
  const erro = await request.post(`/api/provedores-llm/${p.id}/requisicao`, {
    data: { mensagens: [{ role: "user", content: "oi" }], modelo: "nao-existe" },
  });
  expect(erro.status()).toBe(404);

  await page.goto(`/provedores-llm/${p.id}/estatisticas?periodo=1h`);
  await expect(page.locator('[data-rotulo="Requisições"]')).toHaveText("4");
  await expect(page.locator('[data-rotulo="Sucesso"]')).toHaveText("3 (75%)");
  await expect(page.locator('[data-rotulo="Erros"]')).toHaveText("1");
  await expect(page.locator('[data-rotulo="p95"]')).toHaveText(/\d+ ms/);
  await expect(page.locator('[data-rotulo="p99"]')).toHaveText(/\d+ ms/);
  await expect(page.locator('[data-rotulo="Modelos carregados"]')).toHaveText("1");
  // the latest requests, newest first: the failed one on top, with its code
  const ultimas = page.getByRole("region", { name: "Últimas requisições" });
  await expect(ultimas.getByRole("row")).toHaveCount(5);
  await expect(ultimas.getByRole("row").nth(1)).toContainText("modelo_nao_encontrado");
  await expect(ultimas.getByRole("row").nth(2)).toContainText("sucesso");
  await expect(ultimas).toContainText("Página 1 de 1 · 4 requisições");
  // recharts drew bars for the recorded minute and a latency line
  await expect(page.locator(".recharts-bar-rectangle path").first()).toBeVisible();
  await expect(page.locator(".recharts-line-dots circle").first()).toBeVisible();
  for (const periodo of ["24 horas", "7 dias", "30 dias"]) {
    await page.getByRole("link", { name: periodo }).click();
    await expect(page.locator('[data-rotulo="Requisições"]')).toHaveText("4");
  }

  await page.goto(`/provedores-llm/${p.id}/detalhes`);
  await expect(page.getByRole("region", { name: "Conexão" })).toContainText("Online");
  await expect(page.getByRole("region", { name: "Modelos" })).toContainText("1 carregado(s)");
  await expect(page.getByRole("region", { name: "Últimas 24 horas" })).toContainText("4 requisições");
  await expect(page.getByRole("region", { name: "Últimas 24 horas" })).toContainText("sucesso 75%");
});
