import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, banco, rotasDoApp } from "../support/contexto";

const unico = (prefixo: string) => `${prefixo} ${randomUUID().slice(0, 8)}`;

async function criar(corpo: Record<string, unknown>) {
  const r = await api("", { method: "POST", json: corpo });
  expect(r.status, await r.clone().text()).toBe(201);
  return (await r.json()) as Record<string, unknown> & { id: number; nome: string };
}

async function esperarErro(r: Response, status: number, codigo: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toContain("application/json");
  const corpo = (await r.json()) as { erro: { codigo: string; mensagem: string; detalhes?: unknown } };
  expect(corpo.erro.codigo).toBe(codigo);
  expect(corpo.erro.mensagem.length).toBeGreaterThan(10);
  expect(JSON.stringify(corpo)).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
  return corpo.erro;
}

async function contarProvedores(): Promise<number> {
  const r = await banco().execute("select count(*) as n from provedores_llm");
  return Number(r.rows[0]?.n);
}

describe("POST /api/provedores-llm", () => {
  it.each([
    ["lm_studio", "http://localhost:1234"],
    ["llama_cpp", "http://localhost:8080"],
    ["ollama", "http://localhost:11434"],
  ])("creates a %s with its default URL, 201 and a Location that resolves", async (tipo, url) => {
    const r = await api("", { method: "POST", json: { nome: unico(tipo), tipo } });
    expect(r.status).toBe(201);
    const criado = (await r.json()) as Record<string, unknown>;
    expect(criado).toMatchObject({
      tipo,
      base_url: url,
      ativo: true,
      status: "desconhecido",
      timeout_segundos: 60,
      configuracao: {},
      api_key_configurada: false,
      descricao: null,
      modelo_padrao: null,
      ultimo_teste_em: null,
      ultima_latencia_ms: null,
    });
    expect(criado).not.toHaveProperty("api_key");
    expect(typeof criado.criado_em).toBe("string");
    const local = r.headers.get("location");
    expect(local).toBe(`/api/provedores-llm/${criado.id}`);
    const lido = await rotasDoApp().resposta(local!);
    expect(lido.status).toBe(200);
    expect(await lido.json()).toEqual(criado);
  });

  it("keeps everything a user sends and stores the row", async () => {
    const nome = unico("Completo");
    const criado = await criar({
      nome: `  ${nome}  `,
      tipo: "openai_compativel",
      base_url: "https://llm.exemplo.local:8443/v1/",
      descricao: "Servidor vLLM do laboratório",
      ativo: false,
      timeout_segundos: 120,
      configuracao: { temperatura: 0.3, max_tokens: 512, top_p: 0.9, stop: ["</s>"], seed: 7 },
      modelo_padrao: "qwen2.5-7b",
    });
    expect(criado).toMatchObject({
      nome,
      base_url: "https://llm.exemplo.local:8443",
      descricao: "Servidor vLLM do laboratório",
      ativo: false,
      timeout_segundos: 120,
      configuracao: { temperatura: 0.3, max_tokens: 512, top_p: 0.9, stop: ["</s>"], seed: 7 },
      modelo_padrao: "qwen2.5-7b",
    });
    const linha = await banco().execute({ sql: "select * from provedores_llm where id = ?", args: [criado.id] });
    expect(linha.rows[0]).toMatchObject({ nome, tipo: "openai_compativel", ativo: 0, timeout_segundos: 120 });
  });

  it.each([
    ["http://localhost:1234/", "http://localhost:1234"],
    ["http://localhost:1234/v1", "http://localhost:1234"],
    ["http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080"],
    ["localhost:11434", "http://localhost:11434"],
    ["HTTPS://Servidor.Local/prefixo/v1//", "https://servidor.local/prefixo"],
  ])("normalises the pasted URL %s to %s", async (entrada, esperado) => {
    const criado = await criar({ nome: unico("URL"), tipo: "llama_cpp", base_url: entrada });
    expect(criado.base_url).toBe(esperado);
  });

  it.each([
    [{ tipo: "ollama" }, "nome"],
    [{ nome: "   ", tipo: "ollama" }, "nome"],
    [{ nome: "x".repeat(101), tipo: "ollama" }, "nome"],
    [{ nome: "sem tipo" }, "tipo"],
    [{ nome: "tipo errado", tipo: "vllm" }, "tipo"],
    [{ nome: "sem url", tipo: "openai_compativel" }, "base_url"],
    [{ nome: "ftp", tipo: "ollama", base_url: "ftp://localhost:11434" }, "base_url"],
    [{ nome: "url ruim", tipo: "ollama", base_url: "http://" }, "base_url"],
    [{ nome: "url com senha", tipo: "ollama", base_url: "http://u:p@localhost" }, "base_url"],
    [{ nome: "timeout 0", tipo: "ollama", timeout_segundos: 0 }, "timeout_segundos"],
    [{ nome: "timeout 601", tipo: "ollama", timeout_segundos: 601 }, "timeout_segundos"],
    [{ nome: "timeout texto", tipo: "ollama", timeout_segundos: "30" }, "timeout_segundos"],
    [{ nome: "ativo texto", tipo: "ollama", ativo: "sim" }, "ativo"],
    [{ nome: "temp", tipo: "ollama", configuracao: { temperatura: 3 } }, "configuracao.temperatura"],
    [{ nome: "tokens", tipo: "ollama", configuracao: { max_tokens: 1.5 } }, "configuracao.max_tokens"],
    [{ nome: 42, tipo: "ollama" }, "nome"],
  ])("refuses %j with 400 validacao naming %s, and writes nothing", async (corpo, campo) => {
    const antes = await contarProvedores();
    const r = await api("", { method: "POST", json: corpo });
    const erro = await esperarErro(r, 400, "validacao");
    expect(Object.keys((erro.detalhes as { campos: object }).campos)).toContain(campo);
    expect(await contarProvedores()).toBe(antes);
  });

  it("answers a pt-BR message for a wrong type", async () => {
    const r = await api("", { method: "POST", json: { nome: "x", tipo: "vllm" } });
    const erro = await esperarErro(r, 400, "validacao");
    expect(erro.mensagem).toContain("Tipo inválido");
  });

  it("refuses a duplicate name, ignoring case, with 409 nome_duplicado", async () => {
    const nome = unico("Duplicado");
    await criar({ nome, tipo: "ollama" });
    const antes = await contarProvedores();
    const r = await api("", { method: "POST", json: { nome: nome.toUpperCase(), tipo: "lm_studio" } });
    const erro = await esperarErro(r, 409, "nome_duplicado");
    expect(erro.mensagem).toContain(nome.toUpperCase());
    expect(await contarProvedores()).toBe(antes);
  });

  it("lets only one of many concurrent creates with the same name win", async () => {
    const nome = unico("Corrida");
    const respostas = await Promise.all(Array.from({ length: 8 }, () => api("", { method: "POST", json: { nome, tipo: "ollama" } })));
    const status = respostas.map((r) => r.status).sort();
    expect(status.filter((s) => s === 201)).toHaveLength(1);
    expect(status.filter((s) => s === 409)).toHaveLength(7);
  });

  it("answers malformed, empty, non-object and oversize bodies with 4xx", async () => {
    const antes = await contarProvedores();
    await esperarErro(
      await api("", { method: "POST", body: '{"nome": "x",', headers: { "content-type": "application/json" } }),
      400,
      "json_invalido",
    );
    await esperarErro(await api("", { method: "POST", body: "" }), 400, "json_invalido");
    await esperarErro(await api("", { method: "POST", json: ["nome"] }), 400, "validacao");
    await esperarErro(await api("", { method: "POST", json: null }), 400, "validacao");
    const enorme = JSON.stringify({ nome: "grande", tipo: "ollama", descricao: "x".repeat(300 * 1024) });
    await esperarErro(await api("", { method: "POST", body: enorme }), 413, "corpo_muito_grande");
    expect(await contarProvedores()).toBe(antes);
  });
});

describe("GET /api/provedores-llm", () => {
  it("lists by name and filters by tipo, ativo and busca", async () => {
    const marca = randomUUID().slice(0, 8);
    const a = await criar({ nome: `Filtro A ${marca}`, tipo: "ollama", descricao: `caixa-${marca}` });
    const b = await criar({ nome: `Filtro B ${marca}`, tipo: "llama_cpp", ativo: false });
    const c = await criar({ nome: `Filtro C ${marca}`, tipo: "ollama", ativo: false });

    const todos = (await (await api(`?busca=${marca}`)).json()) as { id: number }[];
    expect(todos.map((p) => p.id)).toEqual([a.id, b.id, c.id]);

    const ollamas = (await (await api(`?busca=${marca}&tipo=ollama`)).json()) as { id: number }[];
    expect(ollamas.map((p) => p.id)).toEqual([a.id, c.id]);

    const inativosOllama = (await (await api(`?busca=${marca}&tipo=ollama&ativo=false`)).json()) as { id: number }[];
    expect(inativosOllama.map((p) => p.id)).toEqual([c.id]);

    const pelaDescricao = (await (await api(`?busca=CAIXA-${marca}`)).json()) as { id: number }[];
    expect(pelaDescricao.map((p) => p.id)).toEqual([a.id]);

    const curinga = (await (await api(`?busca=${encodeURIComponent("%_")}`)).json()) as unknown[];
    expect(curinga).toEqual([]);
  });

  it("refuses unknown filter values with 400", async () => {
    await esperarErro(await api("?tipo=vllm"), 400, "validacao");
    await esperarErro(await api("?ativo=talvez"), 400, "validacao");
  });

  it("GET /ativos lists only active providers", async () => {
    const ativo = await criar({ nome: unico("Ativo"), tipo: "ollama" });
    const inativo = await criar({ nome: unico("Inativo"), tipo: "ollama", ativo: false });
    const r = await api("/ativos");
    expect(r.status).toBe(200);
    const lista = (await r.json()) as { id: number; ativo: boolean }[];
    expect(lista.every((p) => p.ativo)).toBe(true);
    expect(lista.map((p) => p.id)).toContain(ativo.id);
    expect(lista.map((p) => p.id)).not.toContain(inativo.id);
  });

  it("answers the documented trailing-slash paths too", async () => {
    const criado = await criar({ nome: unico("Barra"), tipo: "ollama" });
    expect((await api("/")).status).toBe(200);
    const r = await api(`/${criado.id}/`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { id: number }).id).toBe(criado.id);
  });
});

describe("GET /api/provedores-llm/{id}", () => {
  it("404 nao_encontrado for an unknown id", async () => {
    const erro = await esperarErro(await api("/987654"), 404, "nao_encontrado");
    expect(erro.mensagem).toContain("987654");
  });

  it.each(["abc", "1.5", "-3", "0", "99999999999999999999"])("400 for the malformed id %s", async (id) => {
    await esperarErro(await api(`/${id}`), 400, "validacao");
  });
});

describe("PUT /api/provedores-llm/{id}", () => {
  it("updates only what is sent", async () => {
    const criado = await criar({ nome: unico("Parcial"), tipo: "ollama", descricao: "antes", timeout_segundos: 30 });
    const r = await api(`/${criado.id}`, { method: "PUT", json: { descricao: "depois", base_url: "http://caixa-gpu.local:11434/v1" } });
    expect(r.status).toBe(200);
    const atualizado = (await r.json()) as Record<string, unknown>;
    expect(atualizado).toMatchObject({
      nome: criado.nome,
      descricao: "depois",
      base_url: "http://caixa-gpu.local:11434",
      timeout_segundos: 30,
      tipo: "ollama",
    });
    expect(new Date(atualizado.atualizado_em as string).getTime()).toBeGreaterThanOrEqual(
      new Date(criado.atualizado_em as string).getTime(),
    );
    expect(await (await api(`/${criado.id}`)).json()).toEqual(atualizado);
  });

  it("deactivates and reactivates", async () => {
    const criado = await criar({ nome: unico("Liga"), tipo: "lm_studio" });
    const off = (await (await api(`/${criado.id}`, { method: "PUT", json: { ativo: false } })).json()) as { ativo: boolean };
    expect(off.ativo).toBe(false);
    const on = (await (await api(`/${criado.id}`, { method: "PUT", json: { ativo: true } })).json()) as { ativo: boolean };
    expect(on.ativo).toBe(true);
  });

  it("keeps the api_key when omitted and clears it on null or empty string", async () => {
    const criado = await criar({ nome: unico("Chave"), tipo: "lm_studio", api_key: "sk-mantida-123456" });
    expect(criado.api_key_configurada).toBe(true);
    const cifradoAntes = (await banco().execute({ sql: "select api_key from provedores_llm where id = ?", args: [criado.id] })).rows[0]
      ?.api_key;

    const semChave = (await (await api(`/${criado.id}`, { method: "PUT", json: { descricao: "outra" } })).json()) as Record<
      string,
      unknown
    >;
    expect(semChave.api_key_configurada).toBe(true);
    const cifradoDepois = (await banco().execute({ sql: "select api_key from provedores_llm where id = ?", args: [criado.id] })).rows[0]
      ?.api_key;
    expect(cifradoDepois).toBe(cifradoAntes);

    const limpa = (await (await api(`/${criado.id}`, { method: "PUT", json: { api_key: null } })).json()) as Record<string, unknown>;
    expect(limpa.api_key_configurada).toBe(false);
    expect(
      (await banco().execute({ sql: "select api_key from provedores_llm where id = ?", args: [criado.id] })).rows[0]?.api_key,
    ).toBeNull();

    await api(`/${criado.id}`, { method: "PUT", json: { api_key: "sk-nova-987654" } });
    const vazia = (await (await api(`/${criado.id}`, { method: "PUT", json: { api_key: "" } })).json()) as Record<string, unknown>;
    expect(vazia.api_key_configurada).toBe(false);
  });

  it("refuses renaming onto another provider's name with 409 and changes nothing", async () => {
    const a = await criar({ nome: unico("Original"), tipo: "ollama" });
    const b = await criar({ nome: unico("Outro"), tipo: "ollama" });
    await esperarErro(await api(`/${b.id}`, { method: "PUT", json: { nome: a.nome.toLowerCase() } }), 409, "nome_duplicado");
    expect(((await (await api(`/${b.id}`)).json()) as { nome: string }).nome).toBe(b.nome);
    // Renaming to its own name with another case is fine.
    const r = await api(`/${a.id}`, { method: "PUT", json: { nome: a.nome.toUpperCase() } });
    expect(r.status).toBe(200);
  });

  it("answers bad input with 4xx and leaves the row as it was", async () => {
    const criado = await criar({ nome: unico("Intacto"), tipo: "ollama" });
    await esperarErro(await api(`/${criado.id}`, { method: "PUT", json: {} }), 400, "validacao");
    await esperarErro(await api(`/${criado.id}`, { method: "PUT", json: { timeout_segundos: -1 } }), 400, "validacao");
    await esperarErro(await api(`/${criado.id}`, { method: "PUT", json: { base_url: "file:///etc/passwd" } }), 400, "validacao");
    await esperarErro(await api(`/${criado.id}`, { method: "PUT", body: "{nome" }), 400, "json_invalido");
    await esperarErro(await api("/987654", { method: "PUT", json: { nome: "x" } }), 404, "nao_encontrado");
    await esperarErro(await api("/abc", { method: "PUT", json: { nome: "x" } }), 400, "validacao");
    expect(await (await api(`/${criado.id}`)).json()).toEqual(criado);
  });
});

describe("DELETE /api/provedores-llm/{id}", () => {
  it("answers 204, removes the provider with its models and statistics", async () => {
    const criado = await criar({ nome: unico("Apagar"), tipo: "ollama" });
    const outro = await criar({ nome: unico("Fica"), tipo: "ollama" });
    for (const id of [criado.id, outro.id]) {
      await banco().execute({
        sql: "insert into modelos_provedores (provedor_id, modelo, nome) values (?, 'llama3.2:latest', 'llama3.2')",
        args: [id],
      });
      await banco().execute({ sql: "insert into estatisticas_provedores (provedor_id, inicio, requisicoes) values (?, 0, 3)", args: [id] });
    }
    const r = await api(`/${criado.id}`, { method: "DELETE" });
    expect(r.status).toBe(204);
    expect(await r.text()).toBe("");
    await esperarErro(await api(`/${criado.id}`), 404, "nao_encontrado");
    const contar = async (tabela: string, id: number) =>
      Number((await banco().execute({ sql: `select count(*) as n from ${tabela} where provedor_id = ?`, args: [id] })).rows[0]?.n);
    expect(await contar("modelos_provedores", criado.id)).toBe(0);
    expect(await contar("estatisticas_provedores", criado.id)).toBe(0);
    expect(await contar("modelos_provedores", outro.id)).toBe(1);
    expect(await contar("estatisticas_provedores", outro.id)).toBe(1);
  });

  it("404 for an unknown id, 400 for a malformed one", async () => {
    await esperarErro(await api("/987654", { method: "DELETE" }), 404, "nao_encontrado");
    await esperarErro(await api("/x", { method: "DELETE" }), 400, "validacao");
  });
});
